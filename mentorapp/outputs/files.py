"""Writing export files safely: all or nothing, cancellable, with progress.

Every export (roster, letters, reports) writes to a temporary file in the
target's folder and renames it over the target only when complete, so a crash
or a Cancel never leaves a half-written file, and an existing file survives a
failed export. Long loops call ``Monitor.step`` which reports progress and
raises :class:`ExportCancelledError` as soon as the caller asks to stop.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from mentorapp.errors import UserError
from mentorapp.store.paths import make_private_dir

log = logging.getLogger(__name__)

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


# A folder of per-person files lists what mentorapp wrote there, so that a later export
# knows its earlier files (to clear or keep them) from anything else in the folder.
MANIFEST = ".mentorapp-export.json"
EARLIER_CHOICES = ("refuse", "clear", "keep")


def person_filename(label: str, person_id: int, suffix: str = ".pdf", max_label: int = 80, *, detail: str = "") -> str:
    """A per-person file name, unique by construction: ``label`` made safe and shortened, ``detail``, then the id.

    The id always ends the name (after a space, before the suffix) and holds no space, so two
    names are equal only for one id, whatever the labels (same name, names that differ only by
    case, accents or punctuation, names cut short); and on a file system that ignores case too.
    ``detail`` (" pair 12", " check-in 2024-10-01") tells one person's files apart and is never cut;
    the label is cut to fit :data:`MAX_NAME_BYTES` in UTF-8, so a long name in any script still has its file.
    """
    kept = safe_filename(detail, "")
    tail = f"{' ' + kept if kept else ''} {int(person_id)}{suffix}"
    text = safe_filename(label, "participant")[:max_label]
    room = MAX_NAME_BYTES - len(tail.encode("utf-8"))
    while len(text.encode("utf-8")) > room:
        text = text[:-1]
    return f"{text.rstrip(' ._') or 'participant'}{tail}"


def earlier_exports(folder: str | os.PathLike[str]) -> list[Path]:
    """The files an earlier export wrote in ``folder`` (its manifest) that are still there."""
    folder = Path(folder)
    try:
        names = json.loads((folder / MANIFEST).read_text(encoding="utf-8")).get("files", [])
    except FileNotFoundError:
        return []
    except (OSError, ValueError, AttributeError):
        log.warning("the export manifest of a folder could not be read; no file there is taken as ours")
        return []
    found = []
    for name in names:
        path = folder / str(name)
        # Only plain names in this folder: a manifest never makes us touch a file elsewhere.
        if isinstance(name, str) and Path(name).name == name and path.is_file() and not path.is_symlink():
            found.append(path)
    return found


class EarlierExportsError(UserError):
    """The folder holds files of an earlier export and the caller did not say to clear or keep them."""

    def __init__(self, folder: Path, files: list[Path]) -> None:
        self.files = files
        n = len(files)
        super().__init__(
            f"{folder} already holds {n} file{'s' if n != 1 else ''} from an earlier export; clear "
            f"{'them' if n != 1 else 'it'} first (--replace on the command line) or choose another folder."
        )


@contextlib.contextmanager
def folder_export(
    folder: str | os.PathLike[str], names: Sequence[str], *, earlier: str = "refuse"
) -> Iterator[list[Path]]:
    """Temporary paths for the files ``names`` of one export into ``folder`` (created owner-only).

    Every file is moved into place only once all are written (:func:`atomic_paths`), so a
    failure leaves no file of this run. Files of an earlier export (the folder's manifest)
    are refused (``earlier="refuse"``: EarlierExportsError), removed once the new files are in
    place ("clear"), or kept beside them ("keep"). A file of one of the new names that no
    mentorapp export wrote is never replaced: the export is refused with a sentence.
    """
    if earlier not in EARLIER_CHOICES:
        raise ValueError(f"earlier must be one of {EARLIER_CHOICES}")
    folder = make_private_dir(folder)
    if len({n.casefold() for n in names}) != len(names):
        raise UserError("Two files of this export would have the same name; nothing was written.")
    previous = earlier_exports(folder)
    if previous and earlier == "refuse":
        raise EarlierExportsError(folder, previous)
    targets = [folder / n for n in names]
    ours = {p.name.casefold() for p in previous}
    for target in targets:
        if (target.exists() or target.is_symlink()) and target.name.casefold() not in ours:
            raise UserError(
                f"{target.name} is already in {folder} and no mentorapp export wrote it; move it, or choose "
                "another folder. Nothing was written."
            )
    with atomic_paths(targets) as temps:
        yield temps
    new = {t.name.casefold() for t in targets}
    kept = [p for p in previous if p.name.casefold() not in new]
    if earlier == "clear":
        for old in kept:
            old.unlink(missing_ok=True)
        kept = []
    listing = json.dumps({"files": [t.name for t in targets] + [p.name for p in kept]}, ensure_ascii=False, indent=1)
    write_bytes_atomic(folder / MANIFEST, listing.encode("utf-8"))


def write_bytes_atomic(target: str | os.PathLike[str], data: bytes) -> None:
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)


_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')
# Invisible marks and direction overrides: a name starting with U+202E would show its file name reversed.
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]+")


def safe_filename(text: str, fallback: str = "file") -> str:
    """A file name that works on Windows, macOS and Linux (keeps letters like ł and 王)."""
    name = _UNSAFE.sub("_", _INVISIBLE.sub("", text)).strip(" ._")
    return name[:120] or fallback
