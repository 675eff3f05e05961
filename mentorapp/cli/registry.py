"""Which module of :mod:`mentorapp.cli` holds which command, known without importing any of them.

A command module imports its job's libraries (openpyxl, reportlab, scipy ...)
when it is imported; the command line imports only the one module whose command
runs, so that every other command, and ``--help``, starts lean. The table of
commands is read from the modules' own source, so a new command needs nothing
declared twice: a module's ``register(commands, exports)`` adds its commands
with ``commands.add_parser("name", help="...")`` and its exports with
``exports.add_parser("what", help="...")`` (the parameters keep those names, and
a helper in another ``mentorapp.cli`` module that it imports may add them the
same way). The name and help must be plain strings.

The table is kept in the user's cache folder, keyed by the size and time of
every source file read, so a command pays only for a few ``stat`` calls. Where
the sources cannot be read (a bundle holding only compiled modules),
:func:`command_table` returns None and the command line imports every module as
before: slower, never wrong.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

GROUPS = ("commands", "exports")  # the names of register()'s two parameters, and of the two kinds of command
_CLI_PACKAGE = "mentorapp.cli"


@dataclass(frozen=True)
class Command:
    """One command (``group`` "commands") or export (``group`` "exports") and the module that registers it."""

    group: str
    name: str
    help: str
    module: str


def command_table(modules: Sequence[str]) -> list[Command] | None:
    """Every command the modules register, in their order; None when a module's source cannot be read."""
    sources = _sources(modules)
    if sources is None:
        return None
    key = [[name, str(path), *_stamp(path)] for name, paths in sources.items() for path in paths]
    cached = _read_cache(key)
    if cached is not None:
        return cached
    table = [command for name, paths in sources.items() for command in _scan(name, paths)]
    _write_cache(key, table)
    return table


def _sources(modules: Sequence[str]) -> dict[str, list[Path]] | None:
    """Each module's source file, then those of the mentorapp.cli modules it imports (helpers adding commands)."""
    found: dict[str, list[Path]] = {}
    for name in modules:
        path = _source_of(name)
        if path is None:
            return None
        paths = [path]
        for helper in _cli_imports(path):
            if helper in modules:
                continue  # a command module of its own: its commands are its own
            helper_path = _source_of(helper)
            if helper_path is not None and helper_path not in paths:
                paths.append(helper_path)
        found[name] = paths
    return found


def _source_of(module: str) -> Path | None:
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        return None
    origin = getattr(spec, "origin", None)
    return Path(origin) if origin and origin.endswith(".py") and os.path.isfile(origin) else None


def _cli_imports(path: Path) -> list[str]:
    """The mentorapp.cli modules ``path`` imports, at the top or inside a function.

    Read from the lines ``from mentorapp.cli.x import ...`` and ``from mentorapp.cli import x``: cheap, and
    enough to know which files to scan.
    """
    modules = []
    for line in path.read_text(encoding="utf-8").splitlines():
        words = line.split()
        if len(words) >= 4 and words[0] == "from" and words[2] == "import":
            if words[1].startswith(_CLI_PACKAGE + "."):
                modules.append(words[1])
            elif words[1] == _CLI_PACKAGE:
                modules += [f"{_CLI_PACKAGE}.{w.strip(',()')}" for w in words[3:] if w.strip(",()").isidentifier()]
    return modules


def _stamp(path: Path) -> list[int]:
    info = path.stat()
    return [info.st_size, info.st_mtime_ns]


def _scan(module: str, paths: list[Path]) -> list[Command]:
    """The ``commands.add_parser(...)`` and ``exports.add_parser(...)`` calls in the files, in source order."""
    import ast  # only when the sources changed since the table was cached

    found: list[Command] = []
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        calls = [node for node in ast.walk(tree) if isinstance(node, ast.Call)]
        calls.sort(key=lambda node: (node.lineno, node.col_offset))
        for call in calls:
            func = call.func
            if not (
                isinstance(func, ast.Attribute)
                and func.attr == "add_parser"
                and isinstance(func.value, ast.Name)
                and func.value.id in GROUPS
                and call.args
            ):
                continue
            name = _literal(call.args[0])
            text = next((_literal(k.value) for k in call.keywords if k.arg == "help"), "")
            if name:
                found.append(Command(func.value.id, name, text or "", module))
    return found


def _literal(node: Any) -> str | None:
    import ast

    try:
        value = ast.literal_eval(node)
    except ValueError:
        return None  # an f-string or a name: not known without running the module
    return value if isinstance(value, str) else None


def _cache_file() -> Path:
    import platformdirs

    return Path(platformdirs.user_cache_dir("mentorapp", appauthor=False)) / "command-table.json"


def _read_cache(key: list) -> list[Command] | None:
    try:
        data = json.loads(_cache_file().read_text(encoding="utf-8"))
        if data.get("key") != key:
            return None
        return [Command(*row) for row in data["commands"]]
    except (OSError, ValueError, TypeError, KeyError):
        return None  # Reason: no cache yet, or one from another version: the sources are read again.


def _write_cache(key: list, table: list[Command]) -> None:
    import tempfile

    path = _cache_file()
    data = {"key": key, "commands": [[c.group, c.name, c.help, c.module] for c in table]}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False, suffix=".tmp", encoding="utf-8") as fh:
            json.dump(data, fh)
        os.replace(fh.name, path)
    except OSError as exc:
        # Reason: a cache folder that cannot be written only costs the next command the reading of the sources.
        log.debug("the command table could not be cached: %s", type(exc).__name__)
