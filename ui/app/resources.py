"""Where the screens find bundled files: the package ``mentorapp.resources`` through
``importlib.resources`` (see :mod:`mentorapp.outputs.bundled`), never a path climbing out of a package."""

from __future__ import annotations

from pathlib import Path

from mentorapp.outputs.bundled import ICONS, bundled_path


def icon_path(name: str) -> Path:
    """A bundled icon as a real file (``QIcon`` takes a file name)."""
    return bundled_path(ICONS, name)
