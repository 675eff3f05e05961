"""Where bundled files live (icons, fonts, templates)."""

from __future__ import annotations

from pathlib import Path

RESOURCES = Path(__file__).resolve().parents[2] / "resources"


def icon_path(name: str) -> Path:
    return RESOURCES / "icons" / name
