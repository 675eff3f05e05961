"""The files bundled with mentorapp (fonts, icons, letter templates, the letterhead logo), found through
the package, never through a path climbing out of it.

They live in the repository's top-level ``resources/`` folder, which installs as the package
``mentorapp.resources`` (``setup.py`` maps it; in an editable install the same name points at the
folder). This module lives in ``outputs/`` because the outputs wing owns the fonts and the letters; the
evaluation report (a wing above) and the screens read the logo and the icon from here too.

``bundled(...)`` gives a Traversable, enough to read a file (``read_text``, ``read_bytes``).
``bundled_path(...)`` gives a real file name, for the libraries that insist on one (reportlab's
``TTFont`` and ``ImageReader``, Qt's ``QIcon``). Installed as a folder (a wheel, an editable install, a
one-folder bundle) that is the file itself; were the package ever imported from a zip file,
``importlib.resources.as_file`` extracts a temporary copy, which is kept (and the same copy handed out
again) until the process ends, since fonts and logos are used long after they are first asked for.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
from importlib.resources import as_file, files
from importlib.resources.abc import Traversable
from pathlib import Path

PACKAGE = "mentorapp.resources"

FONTS = "fonts"
ICONS = "icons"
LETTER_TEMPLATES = "letter_templates"
LETTERHEAD = "letterhead"

_extracted = contextlib.ExitStack()
atexit.register(_extracted.close)


def bundled(*parts: str) -> Traversable:
    """A bundled file or folder, e.g. ``bundled("fonts", "DejaVuSans.ttf")``."""
    return files(PACKAGE).joinpath(*parts)


@functools.cache
def bundled_path(*parts: str) -> Path:
    """A bundled file as a real path on disk (see the module's docstring); it may not exist."""
    return _extracted.enter_context(as_file(bundled(*parts)))


def default_logo() -> Path:
    """The emblem printed on letters and reports when the coordinator has not chosen a logo."""
    return bundled_path(LETTERHEAD, "default_logo.png")


def default_letter_template_text() -> str:
    """The default letter template, as JSON text."""
    return bundled(LETTER_TEMPLATES, "default.json").read_text(encoding="utf-8")


def font_path(filename: str) -> Path:
    return bundled_path(FONTS, filename)
