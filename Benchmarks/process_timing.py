"""Whole-process timing shared by the benchmark scripts: wall seconds, the process's own peak
RSS (from wait4) and what it printed."""
import os
import sys
import time


def timed_rss(cmd):
    """Runs cmd to completion; returns (seconds, peak RSS bytes, stdout). Exits on failure."""
    start = time.perf_counter()
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        os.dup2(w, 1)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        os.execvp(cmd[0], cmd)
    os.close(w)
    chunks = []
    while True:
        b = os.read(r, 65536)
        if not b:
            break
        chunks.append(b)
    os.close(r)
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - start
    if status != 0:
        sys.exit(f"command failed ({status}): {' '.join(cmd)}")
    return seconds, usage.ru_maxrss * 1024, b"".join(chunks).decode()


def benchmark_arguments(binary_default=None):
    """The options every benchmark takes: --binary, --ratings, --runs, --workdir."""
    import argparse
    ap = argparse.ArgumentParser()
    if binary_default:
        ap.add_argument("--binary", default=binary_default)
    else:
        ap.add_argument("--binary", required=True)
    ap.add_argument("--ratings", type=int, default=25_000_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--workdir", default=".build/bench")
    return ap
