// Headless "user with a browser" for nestauth end-to-end tests.
//
//   node browse.js [--follow] [--deny] [--user NAME] AUTHORIZATION_URL
//   node browse.js --user-code CODE [--deny] [--user NAME] VERIFICATION_URI
//
// GETs the authorization URL, follows the issuer's redirects keeping cookies,
// fills in oidc-provider's dev login form (any login, default "alice") and
// approves its consent form (or, with --deny, presses "Cancel" on the first
// interaction page, which yields error=access_denied). Stops at the first
// redirect that leaves the issuer (the client's redirect_uri) and prints that
// URL on stdout, one line. With --follow it then GETs that URL (e.g. the app's
// loopback listener) and prints "HTTP <status>" and the body on stderr.
// With --user-code it approves a device flow (RFC 8628) instead: opens the
// verification page, types the user code, confirms it, logs in and consents
// (--deny presses "Abort" on the confirmation page), then prints "approved"
// or "denied" on stdout.
// Exit 0 on success, 1 on any failure (message on stderr). Overall limit 20 s.
// Node built-ins only.

const TIMEOUT_MS = 20_000;
const MAX_STEPS = 25;

function usage(msg) {
  if (msg) process.stderr.write(`browse.js: ${msg}\n`);
  process.stderr.write('usage: node browse.js [--follow] [--deny] [--user NAME] AUTHORIZATION_URL\n'
    + '       node browse.js --user-code CODE [--deny] [--user NAME] VERIFICATION_URI\n');
  process.exit(1);
}

function fail(msg) {
  process.stderr.write(`browse.js: ${msg}\n`);
  process.exit(1);
}

const opts = {
  follow: false, deny: false, user: 'alice', userCode: undefined, url: undefined,
};
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i += 1) {
  const a = argv[i];
  if (a === '--follow') opts.follow = true;
  else if (a === '--deny') opts.deny = true;
  else if (a === '--user') {
    opts.user = argv[i += 1];
    if (!opts.user) usage('--user needs a value');
  } else if (a === '--user-code') {
    opts.userCode = argv[i += 1];
    if (!opts.userCode) usage('--user-code needs a value');
  } else if (a === '-h' || a === '--help') usage();
  else if (a.startsWith('-')) usage(`unknown option ${a}`);
  else if (opts.url) usage('only one AUTHORIZATION_URL');
  else opts.url = a;
}
if (!opts.url) usage('missing AUTHORIZATION_URL');

let start;
try {
  start = new URL(opts.url);
} catch {
  fail(`not a URL: ${opts.url}`);
}
const issuerOrigin = start.origin;

const signal = AbortSignal.timeout(TIMEOUT_MS);
setTimeout(() => fail(`timed out after ${TIMEOUT_MS / 1000}s`), TIMEOUT_MS + 500).unref();

// --- minimal cookie jar (single origin: the issuer) ---------------------------
const jar = new Map(); // key "name;path" -> { name, value, path }

function storeCookies(res, url) {
  for (const line of res.headers.getSetCookie()) {
    const [pair, ...attrs] = line.split(';');
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    let path = url.pathname.replace(/\/[^/]*$/, '') || '/';
    let expired = false;
    for (const attr of attrs) {
      const [k, ...rest] = attr.split('=');
      const key = k.trim().toLowerCase();
      const v = rest.join('=').trim();
      if (key === 'path' && v.startsWith('/')) path = v;
      if (key === 'max-age' && Number(v) <= 0) expired = true;
      if (key === 'expires' && Date.parse(v) <= Date.now()) expired = true;
    }
    const id = `${name};${path}`;
    if (expired || value === '') jar.delete(id);
    else jar.set(id, { name, value, path });
  }
}

function cookieHeader(url) {
  const parts = [];
  for (const { name, value, path } of jar.values()) {
    const p = path.endsWith('/') ? path : `${path}/`;
    if (url.pathname === path || url.pathname.startsWith(p) || path === '/') {
      parts.push(`${name}=${value}`);
    }
  }
  return parts.join('; ');
}

async function request(url, { method = 'GET', form } = {}) {
  const headers = { 'user-agent': 'nestauth-ci-browse/1', accept: 'text/html' };
  if (url.origin === issuerOrigin) {
    const c = cookieHeader(url);
    if (c) headers.cookie = c;
  }
  let body;
  if (form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(form).toString();
  }
  let res;
  try {
    res = await fetch(url, { method, headers, body, redirect: 'manual', signal });
  } catch (err) {
    fail(`${method} ${url.href}: ${err.cause?.message || err.message}`);
  }
  if (url.origin === issuerOrigin) storeCookies(res, url);
  return res;
}

// --- tiny HTML helpers for oidc-provider's dev interaction pages -------------
function decodeEntities(s) {
  return s.replace(/&(#x?[0-9a-f]+|amp|lt|gt|quot|apos);/gi, (m, e) => {
    const named = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[e.toLowerCase()];
    if (named) return named;
    const code = e[1].toLowerCase() === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return String.fromCodePoint(code);
  });
}

function attr(tag, name) {
  const m = tag.match(new RegExp(`\\s${name}\\s*=\\s*("([^"]*)"|'([^']*)')`, 'i'));
  return m ? decodeEntities(m[2] ?? m[3]) : undefined;
}

function parseForm(html) {
  const formTag = html.match(/<form\b[^>]*>/i);
  if (!formTag) return undefined;
  const inner = html.slice(formTag.index).split(/<\/form>/i)[0];
  const fields = {};
  for (const [tag] of inner.matchAll(/<input\b[^>]*>/gi)) {
    const name = attr(tag, 'name');
    if (name) fields[name] = attr(tag, 'value') ?? '';
  }
  return {
    action: attr(formTag[0], 'action'),
    method: (attr(formTag[0], 'method') || 'GET').toUpperCase(),
    fields,
  };
}

function abortLink(html) {
  for (const [tag] of html.matchAll(/<a\b[^>]*>/gi)) {
    const href = attr(tag, 'href');
    if (href && /\/abort(\?|$)/.test(href)) return href;
  }
  return undefined;
}

function describeErrorPage(status, html) {
  const pre = html.match(/<pre[^>]*>([\s\S]*?)<\/pre>/i);
  const text = pre ? pre[1] : html.replace(/<[^>]+>/g, ' ');
  return `issuer answered HTTP ${status}: ${decodeEntities(text).replace(/\s+/g, ' ').trim().slice(0, 500)}`;
}

function pageMessage(html) {
  const m = html.match(/<p class="red">([\s\S]*?)<\/p>/i);
  return m ? decodeEntities(m[1]).trim() : 'no message';
}

// --- device flow: type the user code, confirm, log in, consent ---------------
async function approveDevice() {
  let url = start;
  let next = { method: 'GET' };
  let submitted = false;
  let aborted = false;
  for (let step = 0; step < MAX_STEPS; step += 1) {
    const res = await request(url, next);
    next = { method: 'GET' };
    if (res.status >= 300 && res.status < 400) {
      const loc = res.headers.get('location');
      if (!loc) fail(`HTTP ${res.status} without Location from ${url.href}`);
      url = new URL(loc, url);
      await res.arrayBuffer().catch(() => {});
      if (url.origin !== issuerOrigin) fail(`the device flow left the issuer for ${url.href}`);
      continue;
    }
    const html = await res.text();
    if (res.status !== 200) fail(describeErrorPage(res.status, html));
    const form = parseForm(html);
    if (!form) {
      if (/<title>Sign-in Success<\/title>/i.test(html)) return 'approved';
      fail(describeErrorPage(res.status, html));
    }
    const action = new URL(form.action || url.href, url);
    if (action.origin !== issuerOrigin) fail(`page posts to a non-issuer URL (${action.href})`);
    const fields = { ...form.fields };
    if ('confirm' in fields) { // "Confirm Device"
      if (opts.deny) {
        delete fields.confirm;
        fields.abort = 'yes';
        aborted = true;
      }
    } else if ('user_code' in fields) { // the code entry page, or its auto-submitted form
      if (aborted) return 'denied'; // shown again: "The Sign-in request was interrupted"
      if (submitted) fail(`the user code was not accepted: ${pageMessage(html)}`);
      if (!fields.user_code) fields.user_code = opts.userCode;
      submitted = true;
    } else if (fields.prompt === 'login') {
      fields.login = opts.user;
      fields.password = 'password';
    } else if (fields.prompt !== 'consent') {
      fail(`unexpected page (prompt=${fields.prompt ?? 'none'}) at ${url.href}`);
    }
    url = action;
    next = { method: form.method, form: fields };
  }
  return fail(`the device flow did not end after ${MAX_STEPS} requests`);
}

if (opts.userCode) {
  process.stdout.write(`${await approveDevice()}\n`);
  process.exit(0);
}

// --- main loop ----------------------------------------------------------------
let url = start;
let next = { method: 'GET' };
let finalUrl;

for (let step = 0; step < MAX_STEPS && !finalUrl; step += 1) {
  const res = await request(url, next);
  next = { method: 'GET' };

  if (res.status >= 300 && res.status < 400) {
    const loc = res.headers.get('location');
    if (!loc) fail(`HTTP ${res.status} without Location from ${url.href}`);
    const target = new URL(loc, url);
    await res.arrayBuffer().catch(() => {});
    if (target.origin !== issuerOrigin) {
      finalUrl = target;
      break;
    }
    url = target;
    continue;
  }

  const html = await res.text();
  if (res.status !== 200) fail(describeErrorPage(res.status, html));

  const form = parseForm(html);
  if (!form || !form.action) fail(describeErrorPage(res.status, html));
  const action = new URL(form.action, url);

  if (action.origin !== issuerOrigin) {
    // response_mode=form_post: the browser would POST the result to the client.
    fail(`page posts to a non-issuer URL (${action.href}); response_mode=form_post is not supported by browse.js`);
  }

  if (opts.deny) {
    const href = abortLink(html);
    if (!href) fail(`--deny: no abort link on interaction page ${url.href}`);
    url = new URL(href, url);
    continue;
  }

  const prompt = form.fields.prompt;
  const fields = { ...form.fields };
  if (prompt === 'login') {
    fields.login = opts.user;
    fields.password = 'password';
  } else if (prompt !== 'consent') {
    fail(`unexpected interaction page (prompt=${prompt ?? 'none'}) at ${url.href}`);
  }
  url = action;
  next = { method: form.method, form: fields };
}

if (!finalUrl) fail(`no redirect off the issuer after ${MAX_STEPS} requests`);

process.stdout.write(`${finalUrl.href}\n`);

if (opts.follow) {
  let res;
  try {
    res = await fetch(finalUrl, { redirect: 'follow', signal });
  } catch (err) {
    fail(`--follow GET ${finalUrl.href}: ${err.cause?.message || err.message}`);
  }
  const body = await res.text().catch((err) => fail(`--follow reading body: ${err.message}`));
  process.stderr.write(`HTTP ${res.status}\n${body}${body.endsWith('\n') ? '' : '\n'}`);
}

process.exit(0);
