"""How every benchmark measures and reports, so that its figures can be believed.

- Ours and the reference are timed in turns (reference, ours, reference, ours ...),
  so a busy machine slows both alike; each side keeps its best of at least five.
- Set-up (a fresh database, a matrix, the cohort for the reference) is done
  before the clock starts, and the reference is never timed inside our work.
- Sides run in this process start alike: the set-up is set aside from the
  garbage collector (``gc.freeze``), so that neither side's collections scan
  what the other side's set-up keeps, and the previous run's garbage is
  collected before the clock, as each would be in a process of its own.
- Each figure is printed with its goal beside it, and recorded as a :class:`Row`
  of the one table that ``python -m benchmarks`` (``make bench``) prints at the end.
"""

from __future__ import annotations

import gc
import os
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

REPEAT = 5  # the fewest runs of each side a figure is the best of


@dataclass(frozen=True)
class Row:
    """One line of the table: a job, its figures and whether it held its goal."""

    job: str
    ours: str
    reference: str
    ratio: str
    goal: str
    held: bool | None  # None: a figure shown for information, with no goal to hold


ROWS: list[Row] = []


def clock(fn: Callable[[], object]) -> float:
    """Seconds one call of ``fn`` takes."""
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def interleaved(
    sides: dict[str, Callable[[], object]],
    repeat: int = REPEAT,
    prepare: Callable[[], object] | None = None,
) -> dict[str, float]:
    """The best of ``repeat`` runs of each side, the sides taken in turn; ``prepare`` runs untimed before each run."""
    best = dict.fromkeys(sides, float("inf"))
    gc.collect()
    gc.freeze()  # the set-up lives on: no run's collections scan it, as in a process of its own
    try:
        for _ in range(max(repeat, REPEAT)):
            for name, fn in sides.items():
                if prepare is not None:
                    prepare()
                gc.collect()  # the previous run's garbage goes before the clock, not into this run
                best[name] = min(best[name], clock(fn))
    finally:
        gc.unfreeze()
    return best


def run_process(cmd: Sequence[str], env: dict[str, str] | None = None, output: Path | None = None) -> tuple[float, int]:
    """(seconds, peak memory in bytes) of a whole process, start-up included; its output goes to ``output`` or away.

    A process that fails stops the benchmark with its error: a figure for a failed run means nothing.
    """
    start = time.perf_counter()
    with open(output or os.devnull, "wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.PIPE, env=env)
    assert proc.stderr is not None
    error = proc.stderr.read()
    _pid, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    proc.stderr.close()
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[:6])} ... failed ({proc.returncode}): {error.decode(errors='replace')}")
    return seconds, usage.ru_maxrss * 1024  # kilobytes on Linux


def until_lines(cmd: Sequence[str], events: Sequence[str], env: dict[str, str] | None = None) -> dict[str, float]:
    """Seconds from starting ``cmd`` to each line it prints that begins with one of ``events`` (start-up included)."""
    found: dict[str, float] = {}
    start = time.perf_counter()
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env) as proc:
        assert proc.stdout is not None
        for line in proc.stdout:
            event = line.split(" ", 1)[0].strip()
            if event in events and event not in found:
                found[event] = time.perf_counter() - start
    if proc.returncode != 0 or len(found) < len(events):
        raise RuntimeError(f"{' '.join(cmd[:4])} ... failed ({proc.returncode}) or never printed {', '.join(events)}")
    return found


def process(cmd: Sequence[str], env: dict[str, str] | None = None) -> Callable[[], float]:
    """A side for :func:`interleaved` that runs ``cmd`` as a whole process."""
    return lambda: run_process(cmd, env)


def seconds(value: float) -> str:
    return f"{value * 1000:.0f} ms" if value < 10 else f"{value:.1f} s"


def ratio_row(job: str, ours: float, reference: float, goal: float | None, *, yardstick: bool = False) -> Row:
    """Record and print a job measured as a ratio to its reference.

    A reference that is part of the job (the library doing its heavy part): a ratio under 1
    means it does not do that part (a broken benchmark), and the row is marked as missed,
    whatever its goal. A ``yardstick`` reference only measures the problem's size (the
    matching row: scipy's dense solver on a random matrix of the same size, which mentorapp
    no longer runs there); under 1 is then a result like any other.
    """
    ratio = ours / reference if reference > 0 else float("inf")
    goal_text, held = ("none", None) if goal is None else (f"<= {goal:g}x", ratio <= goal)
    if ratio < 1 and not yardstick:
        goal_text, held = f"{goal_text}; under 1x: broken benchmark", False
    return record(Row(job, seconds(ours), seconds(reference), f"{ratio:.2f}x", goal_text, held))


def record(row: Row) -> Row:
    ROWS.append(row)
    verdict = verdict_of(row)
    print(
        f"  {row.job}: ours {row.ours}, reference {row.reference}, {row.ratio} (goal {row.goal}: {verdict})", flush=True
    )
    return row


def verdict_of(row: Row) -> str:
    return "-" if row.held is None else ("held" if row.held else "MISSED")


def table(rows: Sequence[Row]) -> str:
    """The rows as one Markdown table, readable in a terminal and in the README alike."""
    head = ("job", "ours", "reference", "ratio", "goal", "verdict")
    body = [(r.job, r.ours, r.reference, r.ratio, r.goal, verdict_of(r)) for r in rows]
    widths = [max(len(line[i]) for line in (head, *body)) for i in range(len(head))]

    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths)) + " |"

    return "\n".join([line(head), line(["-" * w for w in widths]), *(line(b) for b in body)])
