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
from collections.abc import Callable, Iterator, Sequence
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
    with atomic_paths([target]) as (tmp,):
        yield tmp


@contextlib.contextmanager
def atomic_paths(targets: Sequence[str | os.PathLike[str]]) -> Iterator[list[Path]]:
    """Like :func:`atomic_path` for a group of files that belong together (a JSON and its PDF,
    one letter per person): yield a temporary path beside each target, and move them into
    place only once the block has written every one.

    On any exception inside the block no target is touched and every temporary file is
    removed. Should moving one into place fail, the targets already moved that did not exist
    before are removed again, so a failed export never leaves part of its files behind.
    Temporary files (and so the targets) are owner-only (0600), as mkstemp makes them.
    """
    paths = [Path(t) for t in targets]
    temps: list[Path] = []
    moved: list[Path] = []
    existed: set[Path] = set()
    try:
        for target in paths:
            folder = target.parent if str(target.parent) else Path(".")
            if not folder.is_dir():
                raise UserError(f"The folder {folder} does not exist.")
            if len(os.fsencode(target.name)) > MAX_NAME_BYTES:
                raise UserError(
                    f"The file name is too long ({len(os.fsencode(target.name)):,} bytes; at most {MAX_NAME_BYTES})."
                )
            fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name[:40]}.", suffix=".part", dir=folder)
            os.close(fd)
            temps.append(Path(tmp_name))
        yield list(temps)
        existed = {t for t in paths if t.exists()}
        for tmp, target in zip(temps, paths):
            os.replace(tmp, target)
            moved.append(target)
    except BaseException:
        # Best effort while the export's own error propagates: that error is the one to report.
        for tmp in temps:
            with contextlib.suppress(OSError):
                tmp.unlink()
        for target in moved:
            if target not in existed:
                with contextlib.suppress(OSError):
                    target.unlink()
        raise


def write_bytes_atomic(target: str | os.PathLike[str], data: bytes) -> None:
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)


_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def safe_filename(text: str, fallback: str = "file") -> str:
    """A file name that works on Windows, macOS and Linux (keeps letters like ł and 王)."""
    name = _UNSAFE.sub("_", text).strip(" ._")
    return name[:120] or fallback
