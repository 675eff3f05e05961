"""Helpers for ratio benchmarks: best-of-n timing of a callable or a command."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable, Sequence


def best_of(fn: Callable[[], object], repeat: int = 3) -> float:
    """The fastest of ``repeat`` runs, in seconds (least disturbed by the machine's noise)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def best_of_events(
    cmd: Sequence[str], events: Sequence[str], repeat: int = 3, env: dict[str, str] | None = None
) -> dict[str, float]:
    """Seconds from starting ``cmd`` to each line it prints that begins with one of ``events``; best of ``repeat``.

    Measured from outside the process, so that interpreter start-up and imports count.
    """
    best = dict.fromkeys(events, float("inf"))
    for _ in range(repeat):
        start = time.perf_counter()
        with subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env) as proc:
            assert proc.stdout is not None
            for line in proc.stdout:
                event = line.split(" ", 1)[0].strip()
                if event in best:
                    best[event] = min(best[event], time.perf_counter() - start)
        if proc.returncode != 0:
            raise subprocess.CalledProcessError(proc.returncode, cmd)
    missing = [e for e, t in best.items() if t == float("inf")]
    if missing:
        raise RuntimeError(f"{cmd[1]} never printed {', '.join(missing)}")
    return best


def report(label: str, ours: float, reference: float, goal: float | None = None) -> None:
    ratio = ours / reference if reference > 0 else float("inf")
    verdict = "" if goal is None else ("  (goal ≤ {:.1f}x: {})".format(goal, "met" if ratio <= goal else "NOT met"))
    print(f"{label}: {ours * 1000:.0f} ms vs reference {reference * 1000:.0f} ms = {ratio:.2f}x{verdict}")
