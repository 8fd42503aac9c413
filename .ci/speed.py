#!/usr/bin/env python3
"""nestauth's speed as ratios to the floor of its stack, in one interleaved run.

  first frame   nestauth --provider nest  vs  a minimal Bubble Tea v2 text input
                (.ci/floor/textinput.go), on a pty that never answers terminal
                queries and on one that answers them at once
  keystroke     CPU per typed key on a real pty (typing N keys, minus the CPU
                of a run with none), same pair
  exchange      wall time of `nestauth exchange` vs a minimal net/http form POST
                (.ci/floor/post.go) and curl, against a local token server
  memory        peak RSS of each, and the binaries' sizes

Runs alternate between the programs so drift on a shared machine hits both.
Each ratio is printed with its absolute gap.

The harness's own cost stays out of the figures: .ci/ptytime, a small Go
program, starts each program on a pty (creack/pty), answers its queries and
times it, so no Python is forked into the child and no Python loop sits in
the timed path. Peak RSS comes from GNU time (-f %M), a fork of a small C
program: a child's ru_maxrss also keeps the memory of whatever forked it
(pty.fork copied ~15 MB of Python into every earlier figure).

usage: .ci/speed.py [ROUNDS] [--before REF]   (builds into a temporary directory)

With --before REF, nestauth as of git REF is built too and measured in the
same rounds (first frame and exchange), for a before/after figure."""
import http.server, json, os, shutil, statistics
import subprocess, sys, tempfile, threading, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ARGS = [a for a in sys.argv[1:]]
BEFORE = None
if "--before" in ARGS:
    i = ARGS.index("--before")
    BEFORE = ARGS[i + 1]
    del ARGS[i:i + 2]
ROUNDS = int(ARGS[0]) if ARGS else 15
KEYS = 200
BINS = {}
GNU_TIME = shutil.which("time", path="/usr/bin:/bin") or ""


def build(tmp):
    bins = {}
    for name, src in [("nestauth", "."), ("floor-textinput", ".ci/floor/textinput.go"),
                      ("floor-post", ".ci/floor/post.go")]:
        out = os.path.join(tmp, name)
        subprocess.run(["go", "build", "-o", out, src], cwd=ROOT, check=True)
        bins[name] = out
    out = os.path.join(tmp, "ptytime")
    subprocess.run(["go", "build", "-o", out, "."], cwd=os.path.join(ROOT, ".ci", "ptytime"), check=True)
    bins["ptytime"] = out
    if BEFORE:
        src = os.path.join(tmp, "before-src")
        os.mkdir(src)
        archive = subprocess.run(["git", "archive", BEFORE], cwd=ROOT, check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", src], input=archive, check=True)
        out = os.path.join(tmp, "nestauth-before")
        subprocess.run(["go", "build", "-o", out, "."], cwd=src, check=True)
        bins["nestauth-before"] = out
    return bins


def ptytime(args, env):
    """One run under .ci/ptytime (the Go harness): its JSON figures."""
    out = subprocess.run([BINS["ptytime"]] + args, env=env, check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def session(argv, env, answering, keys):
    """argv on a pty: (first frame in s, the program's CPU in s, its VmHWM in KiB before ctrl+c)."""
    r = ptytime(["-re", "Step", "-keys", str(keys)] + (["-answer"] if answering else []) + ["--"] + argv, env)
    return r["first_frame_ms"] / 1000, r["cpu_ms"] / 1000, r["hwm_kib"]


def peak_rss(argv, env, pty):
    """The program's own peak RSS in KiB, exit included, from GNU time (-f %M):
    a fork of a small C program, so its ru_maxrss is the program's."""
    with tempfile.NamedTemporaryFile() as f:
        wrapped = [GNU_TIME, "-f", "%M", "-o", f.name] + argv
        ptytime((["-re", "Step", "-answer", "-keys", str(KEYS)] if pty else []) + ["--"] + wrapped, env)
        return int(f.read().decode().split()[-1])


class TokenHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_POST(self):
        n = int(self.headers.get("Content-Length", 0))
        self.rfile.read(n)
        body = b'{"access_token":"c.demo","token_type":"Bearer","expires_in":3600}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a):
        pass


def timed(argv, env):
    """Wall time of argv in s, output to /dev/null, timed by .ci/ptytime."""
    return ptytime(["--"] + argv, env)["wall_ms"] / 1000


def med(xs):
    return statistics.median(xs)


def main():
    if not GNU_TIME or not subprocess.run([GNU_TIME, "-f", "%M", "true"], capture_output=True).stderr.strip().isdigit():
        sys.exit("peak RSS needs GNU time (/usr/bin/time; apt-get install time)")
    tmp = tempfile.mkdtemp()
    try:
        BINS.update(build(tmp))
        bins = BINS
        env = {k: v for k, v in os.environ.items() if k not in ("TMUX", "COLORTERM")}
        env["TERM"] = "xterm-256color"
        srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), TokenHandler)
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{srv.server_address[1]}/token"
        wiz = [bins["nestauth"], "--provider", "nest"]
        floor = [bins["floor-textinput"]]
        ex = [bins["nestauth"], "exchange", "--provider", "nest", "--token-url", url,
              "--client-id", "id", "--code", "c"]
        exenv = dict(env, NESTAUTH_CLIENT_SECRET="s")
        post = [bins["floor-post"], url]
        wizb = [bins["nestauth-before"]] + wiz[1:] if BEFORE else None
        exb = [bins["nestauth-before"]] + ex[1:] if BEFORE else None
        curl = [shutil.which("curl") or "/usr/bin/curl", "-s", "-d",
                "grant_type=authorization_code&code=c&client_id=id&client_secret=s", url]
        r = {k: [] for k in ["ff_silent_n", "ff_silent_f", "ff_answer_n", "ff_answer_f",
                             "cpu0_n", "cpu0_f", "cpuk_n", "cpuk_f", "rss_n", "rss_f", "hwm_n", "hwm_f",
                             "ex_n", "ex_p", "ex_c", "exrss_n", "exrss_p",
                             "ff_silent_b", "ff_answer_b", "ex_b"]}
        for _ in range(ROUNDS):
            for answering, tag in ((False, "silent"), (True, "answer")):
                for argv, s in ((wiz, "n"), (floor, "f")) + (((wizb, "b"),) if BEFORE else ()):
                    ff, cpu, _ = session(argv, env, answering, 0)
                    r[f"ff_{tag}_{s}"].append(ff)
                    if answering and s != "b":
                        r[f"cpu0_{s}"].append(cpu)
            for argv, s in ((wiz, "n"), (floor, "f")):
                _, cpu, hwm = session(argv, env, True, KEYS)
                r[f"cpuk_{s}"].append(cpu)
                r[f"hwm_{s}"].append(hwm)
                r[f"rss_{s}"].append(peak_rss(argv, env, True))
            for argv, e, s in ((ex, exenv, "n"), (post, env, "p"), (curl, env, "c")) + (((exb, exenv, "b"),) if BEFORE else ()):
                r[f"ex_{s}"].append(timed(argv, e))
                if s in ("n", "p"):
                    r[f"exrss_{s}"].append(peak_rss(argv, e, False))
        srv.shutdown()
        ms = lambda x: f"{x*1000:.1f} ms"
        gap = lambda a, b: f"{(a-b)*1000:+.1f} ms"
        mib = lambda k: f"{med(r[k])/1024:.1f} MiB"
        print(f"{ROUNDS} interleaved rounds; medians; timed by .ci/ptytime (Go), peak RSS by GNU time")
        for tag, what in (("silent", "never answers"), ("answer", "answers queries")):
            n, f = med(r[f"ff_{tag}_n"]), med(r[f"ff_{tag}_f"])
            print(f"first frame, pty that {what}: nestauth {ms(n)}, floor {ms(f)}: {n/f:.2f}x, {gap(n, f)}")
            if BEFORE:
                b = med(r[f"ff_{tag}_b"])
                print(f"  before ({BEFORE}): {ms(b)}: {b/f:.2f}x the floor, {gap(b, f)}; after/before {n/b:.2f}x, {gap(n, b)}")
        kn = (med(r["cpuk_n"]) - med(r["cpu0_n"])) / KEYS
        kf = (med(r["cpuk_f"]) - med(r["cpu0_f"])) / KEYS
        print(f"CPU per key on a pty: nestauth {kn*1e6:.0f} µs, floor {kf*1e6:.0f} µs: {kn/kf:.2f}x")
        n, p, c = med(r["ex_n"]), med(r["ex_p"]), med(r["ex_c"])
        print(f"exchange wall time: nestauth {ms(n)}, Go POST {ms(p)} ({n/p:.2f}x, {gap(n, p)}), curl {ms(c)} ({n/c:.2f}x)")
        if BEFORE:
            b = med(r["ex_b"])
            print(f"  before ({BEFORE}): {ms(b)}: {b/p:.2f}x the Go POST, {gap(b, p)}; after/before {n/b:.2f}x, {gap(n, b)}")
        print(f"peak RSS: wizard ({KEYS} keys) {mib('rss_n')} (floor {mib('rss_f')}), "
              f"exchange {mib('exrss_n')} (Go POST {mib('exrss_p')})")
        print(f"  VmHWM before ctrl+c, read from /proc: wizard {mib('hwm_n')}, floor {mib('hwm_f')}")
        print("binary size: " + ", ".join(f"{k} {os.path.getsize(v)/1e6:.1f} MB" for k, v in bins.items() if k != "ptytime"))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
