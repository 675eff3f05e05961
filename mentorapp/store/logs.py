"""The log file: what mentorapp did and what went wrong, for whoever helps a coordinator.

``configure()`` is called once by the command line's ``main`` and by the GUI's
launch: a rotating file, ``mentorapp.log``, in the application's data folder
(the folder that holds the default database), readable by its owner only;
``verbose`` (``--verbose``) also writes everything to stderr at DEBUG.

Every module that logs has ``log = logging.getLogger(__name__)``. Log lines
name people and rows by id, never by name, e-mail or cell value; as a second
guard, a logged exception is written as its type and traceback, without its
message (which may quote a cell), so an erased person cannot survive here.
"""

from __future__ import annotations

import logging
import os
import sys
import traceback
from logging.handlers import RotatingFileHandler
from pathlib import Path

from mentorapp.store.paths import default_db_folder, make_private_dir

LOG_FILE = "mentorapp.log"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 3
# The project's own loggers (the GUI installs as mentorapp_ui); other libraries log warnings only.
OWN_LOGGERS = ("mentorapp", "mentorapp_ui")
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def log_dir() -> Path:
    """The folder of the default database (``MENTORAPP_DB`` if it names a file), else the data folder."""
    return default_db_folder()


def log_path() -> Path:
    return log_dir() / LOG_FILE


class IdOnlyFormatter(logging.Formatter):
    """Tracebacks without exception messages: a message may quote a name, an e-mail or a cell."""

    def format(self, record: logging.LogRecord) -> str:  # logging's hook name
        # Another handler may have cached the full traceback, message included, on the record.
        cached, record.exc_text = record.exc_text, None
        try:
            return super().format(record)
        finally:
            record.exc_text = cached

    def formatException(self, ei) -> str:  # logging's hook name
        kind, _value, tb = ei
        name = getattr(kind, "__qualname__", str(kind))
        return "Traceback (most recent call last):\n" + "".join(traceback.format_tb(tb)) + f"{name} (message omitted)"


class _PrivateRotatingFileHandler(RotatingFileHandler):
    """A rotating file created with mode 0600, as the database is."""

    def _open(self):  # logging's hook name
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        return open(fd, self.mode, encoding=self.encoding, errors=self.errors)


_file_handler: RotatingFileHandler | None = None
_stderr_handler: logging.Handler | None = None


def configure(*, verbose: bool = False) -> Path | None:
    """Log to the rotating file (and to stderr at DEBUG when ``verbose``); returns the file, None if unwritable.

    Calling it again is harmless: the file follows the data folder if that changed
    (as between tests), and ``verbose`` adds or removes the stderr output.
    """
    global _file_handler, _stderr_handler
    root = logging.getLogger()
    formatter = IdOnlyFormatter(FORMAT)
    target: Path | None = log_path()
    if _file_handler is None or Path(_file_handler.baseFilename) != target:
        if _file_handler is not None:
            root.removeHandler(_file_handler)
            _file_handler.close()
            _file_handler = None
        try:
            make_private_dir(target.parent)
            handler = _PrivateRotatingFileHandler(
                target, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8", delay=True
            )
        except OSError as exc:
            print(f"Note: the log file {target} cannot be written ({exc.strerror or exc}).", file=sys.stderr)
            target = None
        else:
            handler.setFormatter(formatter)
            handler.setLevel(logging.INFO)
            root.addHandler(handler)
            _file_handler = handler
    if _stderr_handler is not None:  # replaced each time: sys.stderr may have changed since
        root.removeHandler(_stderr_handler)
        _stderr_handler = None
    if verbose:
        _stderr_handler = logging.StreamHandler(sys.stderr)
        _stderr_handler.setFormatter(formatter)
        _stderr_handler.setLevel(logging.DEBUG)
        root.addHandler(_stderr_handler)
    if root.level == logging.NOTSET or root.level > logging.WARNING:
        root.setLevel(logging.WARNING)
    for name in OWN_LOGGERS:
        logging.getLogger(name).setLevel(logging.DEBUG if verbose else logging.INFO)
    logging.captureWarnings(True)
    return target if _file_handler is not None else None
