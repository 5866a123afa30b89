"""`./tasks bench`: the build benchmark, save-to-visible under `mkdocs serve` (at 1,000 reports,
or the largest size asked for below that), then the search benchmark when
benchmarks/search_bench.py exists (run as `python -m benchmarks.search_bench --sizes N ...`), then the 查重
benchmark (benchmarks/similar_bench.py).

    python -m benchmarks.run                      # 100, 1,000 and 3,000 reports
    python -m benchmarks.run --sizes 100 --repeat 3
    python -m benchmarks.run --only build         # or --only serve, --only search
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from . import build_bench, serve_bench

HERE = Path(__file__).resolve().parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="build and search benchmarks on synthetic corpora")
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 3000], help="numbers of reports (default 100 1000 3000)")
    parser.add_argument("--repeat", type=int, default=1, help="build runs per variant; the best run counts")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workdir", help="keep corpora, sites and logs here (default: temporary, removed)")
    parser.add_argument("--json", help="write the build figures to this file")
    parser.add_argument("--only", choices=["build", "serve", "search", "similar"])
    parser.add_argument("--plain-max", type=int, default=1000,
                        help="largest size also built without hooks (issue 2's figure; default 1000)")
    args = parser.parse_args(argv)
    sizes = [str(n) for n in args.sizes]
    if args.only in (None, "build"):
        build_args = ["--sizes", *sizes, "--repeat", str(args.repeat), "--seed", str(args.seed),
                      "--plain-max", str(args.plain_max)]
        if args.workdir:
            build_args += ["--workdir", args.workdir]
        if args.json:
            build_args += ["--json", args.json]
        build_bench.main(build_args)
    if args.only in (None, "serve"):
        print("\n== mkdocs serve benchmark ==", flush=True)
        serve_size = max([n for n in args.sizes if n <= 1000] or [min(args.sizes)])
        serve_args = ["--sizes", str(serve_size), "--seed", str(args.seed)]
        serve_bench.main(serve_args + (["--workdir", args.workdir] if args.workdir else []))
    if args.only in (None, "search"):
        if (HERE / "search_bench.py").exists():
            print("\n== search benchmark ==", flush=True)
            done = subprocess.run([sys.executable, "-m", "benchmarks.search_bench", "--sizes", *sizes], cwd=HERE.parent)
            if done.returncode != 0:
                return done.returncode
        elif args.only == "search":
            print("benchmarks/search_bench.py does not exist yet", file=sys.stderr)
            return 1
    if args.only in (None, "similar"):
        print("\n== 查重 benchmark ==", flush=True)
        done = subprocess.run([sys.executable, "-m", "benchmarks.similar_bench", "--sizes", *sizes], cwd=HERE.parent)
        if done.returncode != 0:
            return done.returncode
    return 0


if __name__ == "__main__":
    sys.exit(main())
