#!/usr/bin/env python3
"""Generator benchmark: how fast `moviecol generate` writes N ratings, that the same seed gives
the same bytes at any thread count, and that the data has ml-25m's shape scaled to N
(Tests/Generator/generator_stats.py: every statistic of issue 16 within its tolerance).

    python3 Benchmarks/generator_benchmark.py --binary .build/release/moviecol --ratings 25000000 --runs 3 --workdir W

The goal (issue 16): 25M ratings in under 30 s in a release build; the statistics pass at 1M
(in .ci/run) and at 25M (here). Exits 1 if a check fails.
"""
import hashlib
import os
import shutil
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from process_timing import benchmark_arguments, timed_rss  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def digest(folder):
    h = hashlib.sha256()
    for name in sorted(os.listdir(folder)):
        h.update(name.encode())
        with open(os.path.join(folder, name), "rb") as f:
            for block in iter(lambda: f.read(1 << 22), b""):
                h.update(block)
    return h.hexdigest()


def main():
    ap = benchmark_arguments(binary_default=".build/release/moviecol")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--skip-stats", action="store_true", help="time and determinism only")
    args = ap.parse_args()
    os.makedirs(args.workdir, exist_ok=True)
    out = os.path.join(args.workdir, f"generated-{args.ratings}")
    times, digests = [], []
    for run in range(max(1, args.runs)):
        shutil.rmtree(out, ignore_errors=True)
        seconds, rss, _ = timed_rss([args.binary, "generate", "--out", out, "--ratings", str(args.ratings),
                                     "--seed", str(args.seed)])
        times.append(seconds)
        digests.append(digest(out))
        print(f"run {run + 1}: {seconds:.2f} s, peak RSS {rss / 2**20:.0f} MiB")
    other = out + "-threads1"
    shutil.rmtree(other, ignore_errors=True)
    subprocess.run([args.binary, "generate", "--out", other, "--ratings", str(args.ratings), "--seed", str(args.seed),
                    "--threads", "1"], check=True, stdout=subprocess.DEVNULL)
    digests.append(digest(other))
    shutil.rmtree(other, ignore_errors=True)
    same = len(set(digests)) == 1
    median = statistics.median(times)
    print(f"generate {args.ratings:,} ratings: median {median:.2f} s of {len(times)} runs "
          f"({args.ratings / median / 1e6:.1f} M ratings/s)")
    print(f"{'ok  ' if same else 'FAIL'}  same bytes on every run and at --threads 1")
    failed = not same
    if not args.skip_stats:
        r = subprocess.run([sys.executable, os.path.join(HERE, "..", "Tests", "Generator", "generator_stats.py"),
                            "--data", out, "--ratings", str(args.ratings)])
        failed |= r.returncode != 0
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
