"""The command line: ``python -m mentorapp [--db PATH_OR_URL] COMMAND ...``.

Each group of commands lives in a module of :mod:`mentorapp.cli` with a
``register(commands, exports)`` function; this module only builds the parser,
opens the database when a command needs it, and turns errors into one sentence
on stderr (exit 1 for bad data, 2 for bad usage), never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from sqlalchemy.exc import SQLAlchemyError

from mentorapp import __version__
from mentorapp.errors import UsageError, UserError
from mentorapp.store.db import Database, open_database

COMMAND_MODULES = (
    "mentorapp.cli.basics",
    "mentorapp.cli.safety",
    "mentorapp.cli.importing",
    "mentorapp.cli.outputs",
    "mentorapp.cli.matches",
    "mentorapp.cli.evaluation",
    "mentorapp.cli.matching",
)


class Parser(argparse.ArgumentParser):
    """argparse, but usage errors are one sentence and exit status 2."""

    def error(self, message: str) -> None:  # argparse's hook name
        raise UsageError(f"{self.prog}: {message}")


class Context:
    """What a command handler gets: its arguments and the database, opened on first use."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self._db: Database | None = None
        self._lock = None  # mentorapp.locking.DatabaseLock while the database is open

    @property
    def db(self) -> Database:
        if self._db is None:
            self._db = self._open()
        return self._db

    def _open(self) -> Database:
        """One writer per file (mentorapp.locking): if the window has it open, read it read-only."""
        from mentorapp.store import locking

        try:
            self._lock = locking.acquire(self.args.db)
        except locking.DatabaseLockedError as exc:
            where = exc.info.describe() if exc.info else "in another mentorapp"
            print(
                f"Note: {exc.path.name} is open {where}; it is opened read-only, so changes are refused.",
                file=sys.stderr,
            )
            return locking.open_read_only(self.args.db)
        except PermissionError as exc:
            # A folder we may not write to (a read-only share, a backup disc): reading still works.
            print(f"Note: {exc.filename} cannot be created, so the database is opened read-only.", file=sys.stderr)
            return locking.open_read_only(self.args.db)
        try:
            return open_database(self.args.db)
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        if self._db is not None:
            self._db.dispose()
        lock, self._lock = self._lock, None
        if lock is not None:
            lock.release()


def build_parser() -> Parser:
    parser = Parser(prog="mentorapp", description="Run a professional mentoring scheme offline.")
    parser.add_argument(
        "--db",
        metavar="PATH_OR_URL",
        help="database file or SQLAlchemy URL (default: $MENTORAPP_DB, else the embedded database in your data folder)",
    )
    parser.add_argument("--version", action="version", version=f"mentorapp {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    export = commands.add_parser("export", help="write a file: roster, letters, report ...")
    exports = export.add_subparsers(dest="what", metavar="WHAT", parser_class=Parser)
    export.set_defaults(func=lambda ctx: _missing(export))
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(commands, exports)
    return parser


def _missing(parser: argparse.ArgumentParser) -> int:
    raise UsageError(f"{parser.prog}: say what to do; see '{parser.prog} --help'.")


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except UsageError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    ctx = Context(args)
    try:
        return int(args.func(ctx) or 0)
    except UsageError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except UserError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except SQLAlchemyError as exc:
        orig = getattr(exc, "orig", None) or exc
        print(
            f"The database could not be used: {str(orig).splitlines()[0] if str(orig) else type(orig).__name__}.",
            file=sys.stderr,
        )
        return 1
    except BrokenPipeError:
        # The reader (e.g. `head`) went away: not an error of ours.
        sys.stderr.close()
        return 0
    except OSError as exc:
        print(f"{exc.strerror or exc}: {exc.filename}." if exc.filename else f"{exc}.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Interrupted; nothing half-written was kept.", file=sys.stderr)
        return 130
    finally:
        ctx.close()
