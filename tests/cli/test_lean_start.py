"""The command line imports a command's module only when that command runs (issue 19, item 1).

``--help`` and small commands never load openpyxl, reportlab, scipy, numpy or Qt;
every command of every module in COMMAND_MODULES is reachable and helped exactly
as if every module had been imported.
"""

from __future__ import annotations

import argparse
import gc
import subprocess
import sys

import pytest

from mentorapp.cli import registry
from mentorapp.cli.main import COMMAND_MODULES, build_parser, main

HEAVY = ("openpyxl", "reportlab", "scipy", "PySide6", "wordllama")
NUMERIC = ("numpy",)  # matching's modules need it even to list matches
# Opening a current SQLite database needs neither Alembic (the revision is read with one query) nor the
# PostgreSQL dialect (the models' partial index names it only when its DDL is made).
NOT_ON_OPEN = ("alembic", "sqlalchemy.dialects.postgresql")


def imported(*args: str) -> set[str]:
    """The modules a whole ``python -m mentorapp ARGS`` process imports (from ``-X importtime``), each with every
    package above it: ``sqlalchemy.dialects.postgresql.base`` gives ``sqlalchemy``, ``sqlalchemy.dialects`` ..."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "mentorapp", *args], capture_output=True, text=True, timeout=120
    )
    assert done.returncode in (0, 2), done.stderr[-2000:]
    names = set()
    for line in done.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            parts = line.rsplit("|", 1)[1].strip().split(".")
            names.update(".".join(parts[: i + 1]) for i in range(len(parts)))
    assert "sqlalchemy" in names or "--help" in args, "importtime printed nothing: the check would prove nothing"
    return names


@pytest.fixture
def small_db(tmp_path) -> str:
    path = str(tmp_path / "lean.db")
    assert main(["--db", path, "demo", "--cohort", "Lean Start 2027", "--mentees", "3", "--mentors", "2"]) == 0
    return path


@pytest.mark.parametrize(
    ("args", "never"),
    [
        (("--help",), HEAVY + NUMERIC),
        (("export", "--help"), HEAVY + NUMERIC),
        (("cohorts",), HEAVY + NUMERIC + NOT_ON_OPEN),
        (("participants", "--format", "json"), HEAVY + NUMERIC + NOT_ON_OPEN),
        (("log",), HEAVY + NUMERIC + NOT_ON_OPEN),
        (("matches",), HEAVY + NOT_ON_OPEN),
        (("letterhead",), HEAVY + NUMERIC + NOT_ON_OPEN),
    ],
)
def test_help_and_small_commands_never_import_the_heavy_libraries(args, never, small_db) -> None:
    names = imported("--db", small_db, *args)
    assert not names & set(never), f"{' '.join(args)} imported {sorted(names & set(never))}"


def test_a_heavy_command_does_import_its_library(small_db, tmp_path) -> None:
    """The check above can fail: the roster export loads openpyxl."""
    names = imported("--db", small_db, "export", "roster", "-o", str(tmp_path / "r.xlsx"))
    assert "openpyxl" in names


def test_an_older_database_is_still_migrated_by_any_command(tmp_path) -> None:
    """The check above can fail too: a database at an older revision loads Alembic and is brought up to date."""
    from mentorapp.store.db import current_revision, head_revision, make_engine, resolve_url, upgrade

    url = resolve_url(str(tmp_path / "old.db"))
    engine = make_engine(url)
    upgrade(engine, "0005")
    engine.dispose()
    names = imported("--db", str(tmp_path / "old.db"), "cohorts")
    assert "alembic" in names
    engine = make_engine(url)
    assert current_revision(engine) == head_revision()
    engine.dispose()


def test_the_command_line_collects_garbage_as_usual_once_started(small_db, monkeypatch, capsys) -> None:
    """The collector paused for start-up (python -m mentorapp) runs again for the command itself: a long
    command must not grow without bound. Called with arguments (as here above), main() leaves it alone."""
    monkeypatch.setattr(sys, "argv", ["mentorapp", "--db", small_db, "cohorts"])
    seen = []
    monkeypatch.setattr("mentorapp.cli.basics.list_cohorts", lambda s: seen.append(gc.isenabled()) or [])
    gc.disable()
    try:
        assert main() == 0
        assert seen == [True] and gc.isenabled()
    finally:
        gc.enable()
        gc.unfreeze()
    gc.disable()
    try:
        assert main(["--db", small_db, "cohorts"]) == 0
        assert not gc.isenabled()
    finally:
        gc.enable()


def subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_every_command_of_every_module_is_reachable_and_helped_as_before() -> None:
    full = build_parser()  # every module imported
    table = registry.command_table(COMMAND_MODULES)
    assert table is not None
    assert build_parser([]).format_help() == full.format_help()
    assert build_parser(["export"]).format_help() == full.format_help()
    full_commands = subcommands(full)
    full_exports = subcommands(full_commands["export"])
    listed = {(c.group, c.name) for c in table}
    expected = {("commands", n) for n in full_commands if n != "export"} | {("exports", n) for n in full_exports}
    assert listed == expected, "a command is missing from, or extra in, the table read from the sources"
    assert len(listed) == len(table), "a command is listed twice"
    assert subcommands(build_parser(["export"])).keys() == full_commands.keys()
    for command in table:
        lean = build_parser(["--db", "x.db", "export", command.name] if command.group == "exports" else [command.name])
        chosen = subcommands(lean)
        original = full_commands
        if command.group == "exports":
            chosen, original = subcommands(chosen["export"]), full_exports
        # The command's own parser is the real one: same options, same help, something to run.
        assert chosen[command.name].format_help() == original[command.name].format_help(), command
        assert "func" in chosen[command.name]._defaults or subcommands(chosen[command.name]), command


def test_the_table_is_read_from_the_cache_once_written(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    first = registry.command_table(COMMAND_MODULES)
    assert (tmp_path / "cache" / "mentorapp" / "command-table.json").is_file()
    monkeypatch.setattr(registry, "_scan", lambda *a: pytest.fail("the sources were read again"))
    assert registry.command_table(COMMAND_MODULES) == first


def test_without_sources_every_module_is_imported(monkeypatch) -> None:
    """A bundle holding compiled modules only: slower, never wrong."""
    monkeypatch.setattr(registry, "_source_of", lambda module: None)
    assert registry.command_table(COMMAND_MODULES) is None
    assert build_parser(["cohorts"]).format_help() == build_parser().format_help()
