"""Measure the one-folder bundle `make bundle` built: its size, by component, and its start-up time.

    python packaging/measure_bundle.py [DIST] [--record benchmarks/bundle.json]

Size: every file under ``DIST/mentorapp``, grouped by what it is for, and the size of the folder zipped
(what a coordinator downloads). Start-up: seconds from starting ``mentorapp --startup-report`` on a demo
database (made with the bundle's own ``mentorapp-cli``) to its window being shown, best of 5, against
``DIST/bare-window``, a bare PySide6 window built by the same spec, the same way. Both run with an
empty environment but HOME and the offscreen platform. The figures are printed and kept in the record.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import json
import platform
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZE_GOAL_MB = 350
START_GOAL = 2.0  # times the bare window's

# Component -> the first path parts (under _internal/) that belong to it; the first match wins.
COMPONENTS: list[tuple[str, tuple[str, ...]]] = [
    ("ICU (Qt's text handling)", ("PySide6/Qt/lib/libicu",)),
    ("Qt libraries", ("PySide6/Qt/lib/",)),
    ("Qt plugins", ("PySide6/Qt/plugins/",)),
    ("PySide6 bindings", ("PySide6/", "shiboken6/")),
    ("BLAS for numpy and scipy", ("numpy.libs/", "scipy.libs/")),
    ("scipy (statistics, the matcher's solver)", ("scipy/",)),
    ("numpy", ("numpy/",)),
    (
        "meaning model (wordllama, tokenizers, safetensors, pydantic)",
        ("wordllama/", "tokenizers/", "safetensors/", "pydantic", "toml/"),
    ),
    ("PDF (reportlab, Pillow, pypdfium2)", ("reportlab/", "PIL/", "pillow.libs/", "pypdfium2")),
    (
        "database (SQLAlchemy, Alembic, SQLite, psycopg)",
        ("sqlalchemy/", "alembic/", "mako/", "libsqlite3", "psycopg", "_sqlite3"),
    ),
    ("spreadsheets and matching text (openpyxl, xlrd, rapidfuzz)", ("openpyxl/", "xlrd/", "et_xmlfile/", "rapidfuzz/")),
    ("mentorapp (code, fonts, templates, migrations)", ("mentorapp/", "mentorapp_ui/")),
    ("Python runtime", ("libpython", "python3", "base_library.zip", "lib-dynload/")),
]
OTHER_PACKAGES = "other Python packages"
SYSTEM = "system libraries (X11, fonts, printing, TLS)"
PROGRAMS = "the two programs"


def component(rel: str) -> str:
    """Which component a file of the bundle (path relative to DIST/mentorapp) belongs to."""
    if not rel.startswith("_internal/"):
        return PROGRAMS
    inner = rel[len("_internal/") :]
    for name, prefixes in COMPONENTS:
        if inner.startswith(prefixes):
            return name
    return SYSTEM if "/" not in inner and ".so" in inner else OTHER_PACKAGES


def sizes(folder: Path) -> dict[str, int]:
    out: dict[str, int] = {}
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            name = component(path.relative_to(folder).as_posix())
            out[name] = out.get(name, 0) + path.stat().st_size
    return dict(sorted(out.items(), key=lambda item: -item[1]))


def zipped_size(folder: Path) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "mentorapp.zip"
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    archive.write(path, Path("mentorapp") / path.relative_to(folder))
        return target.stat().st_size


def seconds_to(cmd: Sequence[str], event: str, env: dict[str, str]) -> float:
    """Seconds from starting ``cmd`` until it prints a line starting with ``event`` (it must then end well)."""
    start = time.perf_counter()
    seen = None
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env) as proc:
        assert proc.stdout is not None
        for line in proc.stdout:
            if seen is None and line.startswith(event):
                seen = time.perf_counter() - start
    if proc.returncode != 0 or seen is None:
        raise SystemExit(f"{cmd[0]} ended with status {proc.returncode} without printing '{event}'.")
    return seen


def start_times(dist: Path, repeat: int = 5) -> tuple[float, float]:
    """Seconds to the window shown: (mentorapp on a demo database, the bare window).

    Timed in turns (bare, ours, bare, ours ...) so that a busy machine slows both alike; best of ``repeat``.
    """
    with tempfile.TemporaryDirectory() as tmp:
        env = {"HOME": tmp, "QT_QPA_PLATFORM": "offscreen"}
        db = str(Path(tmp) / "demo.db")
        subprocess.run([str(dist / "mentorapp" / "mentorapp-cli"), "--db", db, "demo"], env=env, check=True)
        ours_cmd = [str(dist / "mentorapp" / "mentorapp"), "--db", db, "--page", "participants", "--startup-report"]
        bare_cmd = [str(dist / "bare-window" / "bare-window")]
        ours, bare = float("inf"), float("inf")
        for _ in range(repeat):
            bare = min(bare, seconds_to(bare_cmd, "shown", env))
            ours = min(ours, seconds_to(ours_cmd, "shown", env))
    return ours, bare


def _version(distribution: str) -> str:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dist", nargs="?", type=Path, default=ROOT / "dist")
    parser.add_argument("--record", type=Path, default=ROOT / "benchmarks" / "bundle.json")
    args = parser.parse_args(argv)
    folder = args.dist / "mentorapp"
    parts = sizes(folder)
    total = sum(parts.values())
    zipped = zipped_size(folder)
    ours, bare = start_times(args.dist)
    mb = 1024 * 1024
    print(f"\nThe bundle {folder}: {total / mb:.0f} MB ({zipped / mb:.0f} MB zipped); goal under {SIZE_GOAL_MB} MB.")
    for name, size in parts.items():
        print(f"  {size / mb:7.1f} MB  {name}")
    ratio = ours / bare
    verdict = "met" if ratio <= START_GOAL else "NOT met"
    print(
        f"Window shown in {ours:.2f} s; the bare PySide6 window in {bare:.2f} s: {ratio:.2f}x"
        f" (goal within {START_GOAL:g}x: {verdict})."
    )
    record = {
        "measured": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "platform": f"{platform.system()} {platform.machine()}, Python {platform.python_version()}",
        "built_with": ", ".join(f"{name} {_version(name)}" for name in ("pyinstaller", "PySide6-Essentials")),
        "size_mb": round(total / mb, 1),
        "zipped_mb": round(zipped / mb, 1),
        "size_goal_mb": SIZE_GOAL_MB,
        "components_mb": {name: round(size / mb, 1) for name, size in parts.items()},
        "window_shown_s": round(ours, 3),
        "bare_window_shown_s": round(bare, 3),
        "start_ratio": round(ratio, 2),
        "start_goal_ratio": START_GOAL,
    }
    args.record.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(f"Recorded in {args.record}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
