"""``python -m benchmarks [NAME ...]`` (``make bench``): run the benchmarks and print one table of every figure.

Without names it runs the jobs of the speed goals (start-up, participants,
matching, exports, import, the window), the report and the backups; the board,
the scaling curve of matching and the quality figures of the real forms run
only when named (``python -m benchmarks board scaling forms``).
"""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

DEFAULT = ("cli", "matching", "exports", "import", "window", "report", "backup")


def main(argv: list[str]) -> int:
    from benchmarks.timing import ROWS, table

    here = Path(__file__).parent
    names = sorted(p.stem.removeprefix("bench_") for p in here.glob("bench_*.py"))
    wanted = [n.removeprefix("bench_") for n in argv] or list(DEFAULT)
    unknown = set(wanted) - set(names)
    if unknown:
        print(f"Unknown benchmark(s): {', '.join(sorted(unknown))}; there are: {', '.join(names)}.", file=sys.stderr)
        return 2
    for name in wanted:
        print(f"== {name} ==", flush=True)
        importlib.import_module(f"benchmarks.bench_{name}").main()
        print(flush=True)
    if ROWS:
        print(table(ROWS))
        goals = [r for r in ROWS if r.held is not None]
        missed = sum(not r.held for r in goals)
        print(f"\n{len(goals) - missed} of {len(goals)} goals held." + (f" {missed} MISSED." if missed else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
