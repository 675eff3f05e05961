"""Writing export files safely: all or nothing, cancellable, with progress.

Every export (roster, letters, reports) writes to a temporary file in the
target's folder and renames it over the target only when complete, so a crash
or a Cancel never leaves a half-written file, and an existing file survives a
failed export. Long loops call ``Monitor.step`` which reports progress and
raises :class:`ExportCancelledError` as soon as the caller asks to stop.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from mentorapp.errors import UserError

MAX_NAME_BYTES = 255  # the longest file name Windows, macOS and Linux all take

ProgressFn = Callable[[int, int], None]
CancelFn = Callable[[], bool]


class ExportCancelledError(UserError):
    """The user cancelled an export; nothing was written."""

    def __init__(self) -> None:
        super().__init__("The export was cancelled; no file was written.")


class Monitor:
    """Progress reporting and cancellation for one export of ``total`` steps."""

    def __init__(self, total: int, progress: ProgressFn | None = None, cancel: CancelFn | None = None) -> None:
        self.total = max(total, 1)
        self.done = 0
        self._progress = progress
        self._cancel = cancel

    def check(self) -> None:
        """Raise ExportCancelledError if the caller asked to stop."""
        if self._cancel is not None and self._cancel():
            raise ExportCancelledError()

    def step(self, n: int = 1) -> None:
        self.done = min(self.done + n, self.total)
        if self._progress is not None:
            self._progress(self.done, self.total)
        self.check()

    def finish(self) -> None:
        self.done = self.total
        if self._progress is not None:
            self._progress(self.total, self.total)


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path next to ``target``; rename it over ``target`` on success.

    On any exception (including ExportCancelledError) the temporary file is removed
    and ``target`` is left exactly as it was.
    """
    target = Path(target)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise UserError(f"The folder {folder} does not exist.")
    if len(os.fsencode(target.name)) > MAX_NAME_BYTES:
        raise UserError(
            f"The file name is too long ({len(os.fsencode(target.name)):,} bytes; at most {MAX_NAME_BYTES})."
        )
    # A shortened name in the temporary file's: a long target name must not make it too long.
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name[:40]}.", suffix=".part", dir=folder)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def write_bytes_atomic(target: str | os.PathLike[str], data: bytes) -> None:
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)


_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def safe_filename(text: str, fallback: str = "file") -> str:
    """A file name that works on Windows, macOS and Linux (keeps letters like ł and 王)."""
    name = _UNSAFE.sub("_", text).strip(" ._")
    return name[:120] or fallback
