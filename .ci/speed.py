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
Absolute times are printed for reference; the ratios are the measure.

usage: .ci/speed.py [ROUNDS] [--before REF]   (builds into a temporary directory)

With --before REF, nestauth as of git REF is built too and measured in the
same rounds (first frame and exchange), for a before/after figure."""
import http.server, os, pty, resource, select, shutil, signal, statistics
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


def build(tmp):
    bins = {}
    for name, src in [("nestauth", "."), ("floor-textinput", ".ci/floor/textinput.go"),
                      ("floor-post", ".ci/floor/post.go")]:
        out = os.path.join(tmp, name)
        subprocess.run(["go", "build", "-o", out, src], cwd=ROOT, check=True)
        bins[name] = out
    if BEFORE:
        src = os.path.join(tmp, "before-src")
        os.mkdir(src)
        archive = subprocess.run(["git", "archive", BEFORE], cwd=ROOT, check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", src], input=archive, check=True)
        out = os.path.join(tmp, "nestauth-before")
        subprocess.run(["go", "build", "-o", out, "."], cwd=src, check=True)
        bins["nestauth-before"] = out
    return bins


def answer(fd, buf):
    """Answer the queries a terminal would: background colour, DA1, modes."""
    if b"\x1b]11;?" in buf:
        os.write(fd, b"\x1b]11;rgb:0000/0000/0000\x07")
    if b"\x1b[c" in buf or b"\x1b[0c" in buf:
        os.write(fd, b"\x1b[?62;22c")
    for mode in (b"2026", b"2027"):
        if b"\x1b[?" + mode + b"$p" in buf:
            os.write(fd, b"\x1b[?" + mode + b";2$y")


def session(argv, env, answering, keys):
    """Start argv on a pty; time the first frame; type keys; return
    (first_frame_s, cpu_s, maxrss_kib)."""
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(argv[0], argv, env)
    start = time.perf_counter()
    buf = b""
    first = None
    while first is None:
        r, _, _ = select.select([fd], [], [], 10)
        if not r:
            os.kill(pid, 9)
            raise SystemExit(f"{argv[0]}: no frame within 10 s")
        chunk = os.read(fd, 65536)
        buf += chunk
        if answering:
            answer(fd, chunk)
        if b"Step" in buf:
            first = time.perf_counter() - start
    def drain(t):
        end = time.perf_counter() + t
        while True:
            left = end - time.perf_counter()
            if left <= 0:
                return
            r, _, _ = select.select([fd], [], [], left)
            if r:
                try:
                    chunk = os.read(fd, 65536)
                except OSError:
                    return
                if answering:
                    answer(fd, chunk)
    drain(0.05)
    for i in range(keys):
        os.write(fd, b"x" if i % 2 == 0 else b"\x7f")
        drain(0.002)
    drain(0.05)
    os.write(fd, b"\x03")
    _, status, ru = os.wait4(pid, 0)
    try:
        os.close(fd)
    except OSError:
        pass
    return first, ru.ru_utime + ru.ru_stime, ru.ru_maxrss


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
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        os.execve(argv[0], argv, env)
    _, status, ru = os.wait4(pid, 0)
    if status != 0:
        raise SystemExit(f"{argv} exited {status}")
    return time.perf_counter() - start, ru.ru_maxrss


def med(xs):
    return statistics.median(xs)


def main():
    tmp = tempfile.mkdtemp()
    try:
        bins = build(tmp)
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
                             "cpu0_n", "cpu0_f", "cpuk_n", "cpuk_f", "rss_n", "rss_f",
                             "ex_n", "ex_p", "ex_c", "exrss_n", "exrss_p",
                             "ff_silent_b", "ff_answer_b", "ex_b"]}
        for _ in range(ROUNDS):
            for answering, tag in ((False, "silent"), (True, "answer")):
                for argv, s in ((wiz, "n"), (floor, "f")) + (((wizb, "b"),) if BEFORE else ()):
                    ff, cpu, rss = session(argv, env, answering, 0)
                    r[f"ff_{tag}_{s}"].append(ff)
                    if answering and s != "b":
                        r[f"cpu0_{s}"].append(cpu)
            for argv, s in ((wiz, "n"), (floor, "f")):
                _, cpu, rss = session(argv, env, True, KEYS)
                r[f"cpuk_{s}"].append(cpu)
                r[f"rss_{s}"].append(rss)
            for argv, e, s in ((ex, exenv, "n"), (post, env, "p"), (curl, env, "c")) + (((exb, exenv, "b"),) if BEFORE else ()):
                t, rss = timed(argv, e)
                r[f"ex_{s}"].append(t)
                if s in ("n", "p"):
                    r[f"exrss_{s}"].append(rss)
        srv.shutdown()
        ms = lambda x: f"{x*1000:.1f} ms"
        print(f"{ROUNDS} interleaved rounds; medians")
        for tag, what in (("silent", "never answers"), ("answer", "answers queries")):
            n, f = med(r[f"ff_{tag}_n"]), med(r[f"ff_{tag}_f"])
            print(f"first frame, pty that {what}: nestauth {ms(n)}, floor {ms(f)}: {n/f:.2f}x")
            if BEFORE:
                b = med(r[f"ff_{tag}_b"])
                print(f"  before ({BEFORE}): {ms(b)}: {b/f:.2f}x the floor; after/before {n/b:.2f}x")
        kn = (med(r["cpuk_n"]) - med(r["cpu0_n"])) / KEYS
        kf = (med(r["cpuk_f"]) - med(r["cpu0_f"])) / KEYS
        print(f"CPU per key on a pty: nestauth {kn*1e6:.0f} µs, floor {kf*1e6:.0f} µs: {kn/kf:.2f}x")
        n, p, c = med(r["ex_n"]), med(r["ex_p"]), med(r["ex_c"])
        print(f"exchange wall time: nestauth {ms(n)}, Go POST {ms(p)} ({n/p:.2f}x), curl {ms(c)} ({n/c:.2f}x)")
        if BEFORE:
            b = med(r["ex_b"])
            print(f"  before ({BEFORE}): {ms(b)}: {b/p:.2f}x the Go POST; after/before {n/b:.2f}x")
        print(f"peak RSS: wizard {med(r['rss_n'])/1024:.1f} MiB (floor {med(r['rss_f'])/1024:.1f}), "
              f"exchange {med(r['exrss_n'])/1024:.1f} MiB (Go POST {med(r['exrss_p'])/1024:.1f})")
        print("binary size: " + ", ".join(f"{k} {os.path.getsize(v)/1e6:.1f} MB" for k, v in bins.items()))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
