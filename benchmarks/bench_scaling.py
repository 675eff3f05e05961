"""The scaling curve of matching: ``match --format json`` from 500 to 10,000 mentees, time and peak memory.

Each cohort has half as many mentors as mentees, two places each; every run is
a whole command in its own process, so its peak memory is its own. Printed as a
table; not part of the goals' table (``python -m benchmarks scaling``).
"""

from __future__ import annotations

from benchmarks.bench_matching import cohort_database, run_match

SIZES = (500, 1_000, 2_000, 5_000, 10_000)


def main() -> None:
    print(f"  {'mentees':>8} {'mentors':>8} {'seconds':>8} {'peak MB':>8} {'pairs':>7}  solve")
    for n in SIZES:
        path = cohort_database(n, n // 2, seed=n)
        run = min((run_match(path) for _ in range(2)), key=lambda r: r["seconds"])
        print(
            f"  {n:>8,} {n // 2:>8,} {run['seconds']:>8.2f} {run['peak'] / 2**20:>8.0f} {run['pairs']:>7,}  "
            f"{'exact' if run['exact'] else 'NOT exact'}",
            flush=True,
        )


if __name__ == "__main__":
    main()
