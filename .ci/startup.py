#!/usr/bin/env python3
"""Time from exec to the first frame of the wizard, in a pseudo-terminal that
never answers terminal queries (as over ssh -tt or a relayed pty).

usage: .ci/startup.py BINARY [RUNS]"""
import os, pty, select, statistics, sys, time

def once(binary):
    pid, fd = pty.fork()
    if pid == 0:
        os.execv(binary, [binary, "--provider", "nest"])
    start = time.perf_counter()
    buf = b""
    while b"Step" not in buf:
        r, _, _ = select.select([fd], [], [], 10)
        if not r:
            raise SystemExit("no frame within 10 s")
        buf += os.read(fd, 65536)
    elapsed = time.perf_counter() - start
    os.kill(pid, 9)
    os.waitpid(pid, 0)
    os.close(fd)
    return elapsed

binary = sys.argv[1]
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 20
times = sorted(once(binary) for _ in range(runs))
print(f"first frame: median {statistics.median(times)*1000:.1f} ms, "
      f"min {times[0]*1000:.1f} ms, max {times[-1]*1000:.1f} ms over {runs} runs")
