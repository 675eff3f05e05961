"""The one way to ask for a file or folder: each kind of file remembers its own last folder.

The first time, a dialog starts in the person's documents folder (never the program's own
folder); after that, in the folder last used for that kind of file ("report", "letters",
"evaluation_form" …), kept in QSettings under ``fileDialogs/<kind>``.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtWidgets import QDialog, QFileDialog, QLineEdit, QWidget


def documents_folder() -> Path:
    """The person's documents folder (their home if the system names none that exists)."""
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found and Path(found).is_dir() else Path.home()


def start_folder(kind: str) -> Path:
    """Where a dialog for ``kind`` opens: the folder last used for it, else the documents folder."""
    last = QSettings().value(f"fileDialogs/{kind}", "")
    if last and Path(str(last)).is_dir():
        return Path(str(last))
    return documents_folder()


def remember_folder(kind: str, path: str | Path) -> None:
    """Remember the folder of ``path`` (or ``path`` itself, a folder) for the next dialog of ``kind``."""
    chosen = Path(path)
    folder = chosen if chosen.is_dir() else chosen.parent
    QSettings().setValue(f"fileDialogs/{kind}", str(folder.resolve()))


def suggested_path(kind: str, name: str) -> Path:
    """A full path for a new file named ``name``, in the start folder of ``kind``."""
    return start_folder(kind) / name


def ask_save_file(parent: QWidget | None, kind: str, title: str, name: str, pattern: str) -> str:
    """A save dialog suggesting ``name`` in the start folder of ``kind``; "" if cancelled."""
    path, _ = QFileDialog.getSaveFileName(parent, title, str(suggested_path(kind, name)), pattern)
    if path:
        remember_folder(kind, path)
    return path


def ask_open_file(parent: QWidget | None, kind: str, title: str, pattern: str, start: Path | None = None) -> str:
    """An open dialog in ``start`` (when given) or the start folder of ``kind``; "" if cancelled."""
    path, _ = QFileDialog.getOpenFileName(parent, title, str(start or start_folder(kind)), pattern)
    if path:
        remember_folder(kind, path)
    return path


def ask_open_files(parent: QWidget | None, kind: str, title: str, pattern: str) -> list[str]:
    """An open dialog for several files in the start folder of ``kind``; [] if cancelled."""
    paths, _ = QFileDialog.getOpenFileNames(parent, title, str(start_folder(kind)), pattern)
    if paths:
        remember_folder(kind, paths[0])
    return paths


def ask_folder(parent: QWidget | None, kind: str, title: str) -> str:
    """A folder dialog in the start folder of ``kind``; "" if cancelled."""
    path = QFileDialog.getExistingDirectory(parent, title, str(start_folder(kind)))
    if path:
        remember_folder(kind, path)
    return path


def suggest_print_file(dialog: QDialog, path: Path) -> None:
    """Offer ``path`` (a full path) as the print dialog's "print to file" name.

    Qt's own print dialog (Linux) otherwise suggests a name in the working folder; its file
    field is the line edit named "filename". Native dialogs (Windows, macOS) ask for the file
    themselves, so there is nothing to set.
    """
    field = dialog.findChild(QLineEdit, "filename")
    if field is not None:
        field.setText(str(path))
