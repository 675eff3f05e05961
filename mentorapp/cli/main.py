"""The command line: ``python -m mentorapp [--db PATH_OR_URL] COMMAND ...``.

Each group of commands lives in a module of :mod:`mentorapp.cli` with a
``register(commands, exports)`` function; this module only builds the parser,
opens the database when a command needs it, and turns errors into one sentence
on stderr (exit 1 for bad data, 2 for bad usage), never a traceback.

Only the module of the command that runs is imported (:mod:`mentorapp.cli.registry`
knows which module holds which command from their sources): ``--help`` and a small
command never load openpyxl, reportlab, scipy or Qt. A new module of commands is
added to ``COMMAND_MODULES`` and nowhere else.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import logging
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from sqlalchemy import event
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from mentorapp import __version__
from mentorapp.cli.registry import command_table
from mentorapp.errors import UsageError, UserError, visible
from mentorapp.store import logs

if TYPE_CHECKING:
    from mentorapp.store.db import Database
    from mentorapp.store.workspace import Workspace

log = logging.getLogger(__name__)

COMMAND_MODULES = (
    "mentorapp.cli.basics",
    "mentorapp.cli.participant",
    "mentorapp.cli.safety",
    "mentorapp.cli.importing",
    "mentorapp.cli.outputs",
    "mentorapp.cli.letterhead",
    "mentorapp.cli.matches",
    "mentorapp.cli.evaluation",
    "mentorapp.cli.matching",
    "mentorapp.cli.people",
    "mentorapp.cli.running",
)


class Parser(argparse.ArgumentParser):
    """argparse, but usage errors are one sentence and exit status 2."""

    def error(self, message: str) -> None:  # argparse's hook name
        raise UsageError(f"{self.prog}: {message}")


class Context:
    """What a command handler gets: its arguments and the database, opened on first use."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self._workspace: Workspace | None = None
        self.wrote = False  # whether the command changed the database (it then says which it was)

    @property
    def db(self) -> Database:
        if self._workspace is None:
            self._workspace = self._open()
        return self._workspace.database

    def _open(self) -> Workspace:
        """The one opener (mentorapp.store.workspace), answering as a command line does.

        A damaged file is refused with one sentence naming its newest backup; a file
        the window has open is read read-only; the daily backup is taken.
        """
        from mentorapp.store.workspace import open_workspace

        workspace = open_workspace(self.args.db)
        assert workspace is not None  # the command line's answers never stop quietly
        event.listen(workspace.database.Session, "before_flush", self._flushing)
        event.listen(workspace.database.Session, "after_commit", self._committed)
        event.listen(workspace.database.Session, "after_rollback", self._rolled_back)
        path = workspace.database.path
        created = workspace.created and f"there was no database at {path}, so a new, empty one was made there."
        for note in (
            created,
            workspace.read_only_note,
            workspace.backup_problem and _backup_note(workspace.backup_problem),
        ):
            if note:
                print(f"Note: {note}", file=sys.stderr)
        return workspace

    def _flushing(self, session: Session, *_: object) -> None:
        """Note a change to the cohorts' data (a line in the activity log alone, as a backup writes, is none);
        it counts once committed: a dry run flushes and then rolls back, and has written nothing."""
        from mentorapp.store.models import AuditEvent

        changed = [*session.new, *session.dirty, *session.deleted]
        if any(not isinstance(row, AuditEvent) for row in changed):
            session.info["mentorapp_changed"] = True

    def _committed(self, session: Session) -> None:
        if session.info.pop("mentorapp_changed", False):
            self.wrote = True

    def _rolled_back(self, session: Session) -> None:
        session.info.pop("mentorapp_changed", None)

    def where(self) -> str:
        """The open database as a person may see it: its file, or its URL without the password."""
        from mentorapp.store.recent import without_password

        database = self.db
        return str(database.path) if database.path else without_password(database.url)

    def close(self) -> None:
        workspace, self._workspace = self._workspace, None
        if workspace is not None:
            workspace.close()


def _backup_note(problem: str) -> str:
    return f"today's automatic backup could not be written: {problem.rstrip('.')}."


def build_parser(argv: Sequence[str] | None = None) -> Parser:
    """The parser. Given the command line ``argv``, only the module of the command it names is imported
    (every other command is there by name and help, from :mod:`mentorapp.cli.registry`); without it,
    every command module is imported (the whole parser, as tests and the documentation want it)."""
    parser = Parser(prog="mentorapp", description="Run a professional mentoring scheme offline.")
    _global_options(parser)
    parser.add_argument("--version", action="version", version=f"mentorapp {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    export = commands.add_parser("export", help="write a file: roster, letters, report ...")
    exports = export.add_subparsers(dest="what", metavar="WHAT", parser_class=Parser)
    export.set_defaults(func=lambda ctx: _missing(export))
    table = command_table(COMMAND_MODULES) if argv is not None else None
    if table is None:
        for name in COMMAND_MODULES:
            importlib.import_module(name).register(commands, exports)
        return parser
    chosen = _chosen_module(table, argv)
    groups = {"commands": commands, "exports": exports}
    for name in COMMAND_MODULES:
        if name == chosen:
            importlib.import_module(name).register(commands, exports)
            continue
        for command in table:
            if command.module == name:
                # Listed with its help; never chosen (the chosen command's module registered it for real).
                groups[command.group].add_parser(command.name, help=command.help, add_help=False)
    return parser


def _global_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="PATH_OR_URL",
        help="database file or SQLAlchemy URL (default: $MENTORAPP_DB, else the one the window opened last, else the "
        "embedded database in your data folder)",
    )
    parser.add_argument("--verbose", action="store_true", help="also write the log to stderr, with every detail")


def _chosen_module(table: Sequence, argv: Sequence[str]) -> str | None:
    """The module of the command ``argv`` names (for ``export WHAT``, of WHAT); None for none or an unknown one."""
    words = Parser(prog="mentorapp", add_help=False)
    _global_options(words)
    try:
        _known, rest = words.parse_known_args(list(argv))
    except UsageError:  # a bad global option: the real parser says what is wrong with it
        return None
    positional = [word for word in rest if not word.startswith("-")]
    if not positional:
        return None
    group, name = (
        ("exports", positional[1]) if positional[0] == "export" and len(positional) > 1 else ("commands", positional[0])
    )
    return next((c.module for c in table if c.group == group and c.name == name), None)


def _missing(parser: argparse.ArgumentParser) -> int:
    raise UsageError(f"{parser.prog}: say what to do; see '{parser.prog} --help'.")


def _started(own_process: bool) -> None:
    """Start-up is over (every module the command needs is loaded): collect garbage as usual from here on.

    Run as the process's own command line (``python -m mentorapp``, ``mentorapp-cli``), the collector was
    paused while start-up made its long-lived objects (scanning them again and again cost about 40 ms of
    every command); they are set aside for good (:func:`gc.freeze`: start-up leaves a few hundred garbage
    objects, not worth a full collection), so that no later collection scans them either. Called from
    Python with arguments (tests, scripts), the caller's process is left as it is.
    """
    if own_process:
        gc.freeze()
        gc.enable()


def main(argv: Sequence[str] | None = None) -> int:
    own_process = argv is None
    argv = sys.argv[1:] if argv is None else argv
    if own_process:
        gc.disable()  # already so under python -m mentorapp; the console script gets here with it running
    try:
        parser = build_parser(argv)
    finally:
        _started(own_process)
    try:
        if argv is not None and any("\x00" in str(arg) for arg in argv):
            # No real command line can carry a NUL (the system ends each argument there).
            raise UsageError("mentorapp: an argument holds a NUL character; type it again without it.")
        args = parser.parse_args(argv)
    except UsageError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    logs.configure(verbose=args.verbose)
    # The command's name only: its arguments may hold a name or an e-mail address.
    log.info("command %s started", args.command)
    ctx = Context(args)
    try:
        code = int(args.func(ctx) or 0)
        log.info("command %s finished (exit %d)", args.command, code)
        if ctx.wrote and code == 0:
            # --db, MENTORAPP_DB or the database the window used last: say which one was changed.
            print(f"Wrote to the database {ctx.where()}", file=sys.stderr)
        return code
    except UsageError as exc:
        log.info("command %s refused: wrong usage", args.command)
        print(visible(str(exc)), file=sys.stderr)
        return 2
    except UserError as exc:
        # The sentence goes to the person; the log keeps its kind (the sentence may name someone).
        log.info("command %s stopped: %s", args.command, type(exc).__name__)
        print(visible(str(exc)), file=sys.stderr)
        return 1
    except SQLAlchemyError as exc:
        log.exception("command %s: the database could not be used", args.command)
        orig = getattr(exc, "orig", None) or exc
        print(
            f"The database could not be used: {str(orig).splitlines()[0] if str(orig) else type(orig).__name__}.",
            file=sys.stderr,
        )
        return 1
    except BrokenPipeError:
        log.debug("command %s: the reader of its output went away", args.command)
        # The reader (e.g. `head`) went away: not an error of ours.
        sys.stderr.close()
        return 0
    except OSError as exc:
        log.warning("command %s: %s on a file", args.command, type(exc).__name__)
        print(f"{exc.strerror or exc}: {exc.filename}." if exc.filename else f"{exc}.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        log.info("command %s interrupted", args.command)
        print("Interrupted; nothing half-written was kept.", file=sys.stderr)
        return 130
    finally:
        ctx.close()
