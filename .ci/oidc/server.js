// Loopback OAuth 2.0 authorization server for nestauth end-to-end tests.
// Built on oidc-provider (pinned in package.json). Run: node server.js
// stdout carries exactly one line: "READY http://127.0.0.1:PORT" (the issuer).
// Everything else (oidc-provider notices, request errors) goes to stderr.

import crypto from 'node:crypto';
import http from 'node:http';

// oidc-provider prints its NOTICEs with console.info (stdout). Keep stdout for
// the READY line only: route every console method to stderr before loading it.
const toStderr = (...args) => console.error(...args);
console.log = toStderr;
console.info = toStderr;
console.debug = toStderr;
console.warn = toStderr;

const { default: Provider } = await import('oidc-provider');

const env = process.env;
const HOST = '127.0.0.1';
const PORT = intEnv('OIDC_PORT', 0);
const CLIENT_ID = env.OIDC_CLIENT_ID || 'nestauth-test';
const CLIENT_SECRET = env.OIDC_CLIENT_SECRET || 'nestauth-test-secret';
const DEFAULT_REDIRECT_URIS = [
  'https://www.google.com',
  'https://www.google.com/',
  'http://127.0.0.1:8765/callback',
  'http://localhost:8765/callback',
];
const REDIRECT_URIS = [...new Set([
  ...words(env.OIDC_REDIRECT_URIS, DEFAULT_REDIRECT_URIS),
  ...words(env.OIDC_EXTRA_REDIRECT_URIS, []),
])];
const SCOPES = [
  'openid',
  'offline_access',
  'https://www.googleapis.com/auth/sdm.service',
  'read',
  'write',
];
const ACCESS_TOKEN_TTL = intEnv('OIDC_ACCESS_TOKEN_TTL', 3600);
const CODE_TTL = intEnv('OIDC_CODE_TTL', 300);
const REFRESH_TOKEN_TTL = intEnv('OIDC_REFRESH_TOKEN_TTL', 14 * 24 * 3600);
// '1' = issue a new refresh token on every refresh grant (the old one becomes
// single-use); default: keep the same refresh token (like Google).
const ROTATE_REFRESH = env.OIDC_ROTATE_REFRESH === '1';
// oidc-provider itself accepts client_secret_basic and client_secret_post
// interchangeably for any secret client. Unless OIDC_STRICT_CLIENT_AUTH=0, a
// guard in front of /token* and the device authorization endpoint makes each
// client accept only its own method, so tests can tell which one the app used.
const STRICT_CLIENT_AUTH = env.OIDC_STRICT_CLIENT_AUTH !== '0';
const BASIC_CLIENT_ID = `${CLIENT_ID}-basic`;
// A public client (no secret) for the device flow, as GitHub's and most
// command-line clients are.
const PUBLIC_CLIENT_ID = `${CLIENT_ID}-public`;
const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

function words(value, fallback) {
  if (value === undefined || value.trim() === '') return fallback;
  return value.trim().split(/\s+/);
}

function intEnv(name, fallback) {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`server.js: ${name} must be a non-negative integer, got ${JSON.stringify(raw)}`);
    process.exit(2);
  }
  return n;
}

const server = http.createServer();
server.on('error', (err) => {
  console.error(`server.js: ${err.message}`);
  process.exit(1);
});
await new Promise((resolve) => server.listen(PORT, HOST, resolve));
const issuer = `http://${HOST}:${server.address().port}`;

// Ephemeral signing key (only used for ID tokens when 'openid' is requested).
const signingKey = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' })
  .privateKey.export({ format: 'jwk' });

const baseClient = {
  client_secret: CLIENT_SECRET,
  grant_types: ['authorization_code', 'refresh_token', DEVICE_GRANT],
  response_types: ['code'],
  redirect_uris: REDIRECT_URIS,
  // 'native' (RFC 8252): http redirect URIs on loopback hosts are allowed and
  // matched ignoring the port, so http://127.0.0.1:<any port>/callback works
  // when http://127.0.0.1:8765/callback is registered. Claimed https URIs such
  // as https://www.google.com are fine too. Side effect: every authorization
  // asks for consent (oidc-provider's native_client_prompt check).
  application_type: 'native',
  id_token_signed_response_alg: 'ES256',
};

const provider = new Provider(issuer, {
  clients: [
    { ...baseClient, client_id: CLIENT_ID, token_endpoint_auth_method: 'client_secret_post' },
    { ...baseClient, client_id: BASIC_CLIENT_ID, token_endpoint_auth_method: 'client_secret_basic' },
    {
      client_id: PUBLIC_CLIENT_ID,
      token_endpoint_auth_method: 'none',
      grant_types: [DEVICE_GRANT, 'refresh_token'],
      response_types: [],
      redirect_uris: [],
      application_type: 'native',
      id_token_signed_response_alg: 'ES256',
    },
  ],
  scopes: SCOPES,
  claims: { openid: ['sub'] },
  jwks: { keys: [{ ...signingKey, kid: 'ci-es256', use: 'sig', alg: 'ES256' }] },
  cookies: { keys: [crypto.randomBytes(32).toString('base64url')] },
  features: {
    devInteractions: { enabled: true }, // login form (any login) + consent form
    revocation: { enabled: true },
    // RFC 8628: /device/auth, the user code page at /device (browse.js --user-code).
    deviceFlow: { enabled: true },
  },
  pkce: {
    // PKCE stays optional for confidential clients, but any code_challenge sent
    // is verified at the token endpoint. Public clients would still need it.
    required: (ctx, client) => client.clientAuthMethod === 'none',
  },
  // Always hand out a refresh token for authorization_code when the client may
  // use the refresh_token grant, with or without offline_access.
  issueRefreshToken: async (ctx, client) => client.grantTypeAllowed('refresh_token'),
  // Tokens do not die with the browser session (browse.js drops its cookies).
  expiresWithSession: async () => false,
  rotateRefreshToken: () => ROTATE_REFRESH,
  findAccount: async (ctx, sub) => ({
    accountId: sub,
    claims: async () => ({ sub }),
  }),
  ttl: {
    AccessToken: ACCESS_TOKEN_TTL,
    AuthorizationCode: CODE_TTL,
    RefreshToken: REFRESH_TOKEN_TTL,
    IdToken: 3600,
    Interaction: 3600,
    Session: 24 * 3600,
    Grant: 24 * 3600,
  },
  renderError: async (ctx, out) => {
    ctx.type = 'html';
    ctx.body = `<!DOCTYPE html><html><head><title>oops</title></head><body><h1>oops! something went wrong</h1><pre id="error">${
      Object.entries(out).map(([k, v]) => `${esc(k)}: ${esc(v)}`).join('\n')
    }</pre></body></html>`;
  },
});

function esc(s) {
  return String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const logError = (kind) => (ctx, err) => {
  const detail = err.error_detail ? ` (${err.error_detail})` : '';
  console.error(`[oidc] ${kind}: ${err.error || err.name}: ${err.error_description || err.message}${detail}`);
};
provider.on('server_error', (ctx, err) => console.error('[oidc] server_error:', err));
provider.on('authorization.error', logError('authorization.error'));
provider.on('grant.error', logError('grant.error'));

async function readForm(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > 56 * 1024) throw new Error('request entity too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function basicClientId(header) {
  const m = /^basic\s+(\S+)$/i.exec(header || '');
  if (!m) return undefined;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  if (i === -1) return undefined;
  try {
    return decodeURIComponent(decoded.slice(0, i).replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

if (STRICT_CLIENT_AUTH) {
  provider.use(async (ctx, next) => {
    if (ctx.method !== 'POST' || !(ctx.path.startsWith('/token') || ctx.path === '/device/auth')
      || !ctx.is('application/x-www-form-urlencoded')) {
      return next();
    }
    let clientId;
    let method;
    if (ctx.get('authorization')) {
      clientId = basicClientId(ctx.get('authorization'));
      method = 'client_secret_basic';
    } else {
      // Read the form here and hand it to oidc-provider as req.body (its
      // documented "already parsed body" fallback).
      const raw = await readForm(ctx.req);
      ctx.req.body = raw;
      const form = new URLSearchParams(raw.toString('utf8'));
      clientId = form.get('client_id');
      method = form.get('client_secret') ? 'client_secret_post' : undefined;
    }
    const expected = { [CLIENT_ID]: 'client_secret_post', [BASIC_CLIENT_ID]: 'client_secret_basic' }[clientId];
    if (method && expected && method !== expected) {
      console.error(`[oidc] grant.error: invalid_client: client authentication failed (client ${clientId} is registered for ${expected}, request used ${method})`);
      ctx.status = 401;
      ctx.set('Cache-Control', 'no-store');
      if (method === 'client_secret_basic') {
        ctx.set('WWW-Authenticate', `Basic realm="${issuer}", error="invalid_client", error_description="client authentication failed"`);
      }
      ctx.body = { error: 'invalid_client', error_description: 'client authentication failed' };
      return undefined;
    }
    return next();
  });
}

server.on('request', provider.callback());

function shutdown(signal) {
  console.error(`[oidc] ${signal}, shutting down`);
  server.close(() => process.exit(0));
  server.closeAllConnections();
  setTimeout(() => process.exit(0), 1000).unref();
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));

process.stdout.write(`READY ${issuer}\n`);
