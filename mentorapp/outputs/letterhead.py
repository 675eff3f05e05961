"""The letterhead: what the top and the end of every letter show.

The society name, logo, address and coordinator live in the ``letterhead``
AppSetting, and a cohort may override any of it in its settings.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from mentorapp.errors import UserError
from mentorapp.outputs.bundled import default_logo
from mentorapp.store import audit
from mentorapp.store.models import AppSetting, Cohort

LETTERHEAD_KEY = "letterhead"
# The most days a letter may give a pair for its first meeting (the Letterhead tab and `letterhead` agree).
MAX_FIRST_MEETING_DAYS = 180


@dataclass
class Letterhead:
    """What the top and the end of every letter show."""

    society_name: str = "Mentoring Scheme"
    address: str = ""  # one or more lines
    contact: str = ""  # e.g. email and telephone of the scheme office
    logo_path: str = ""  # empty: the bundled emblem
    coordinator_name: str = "The Scheme Coordinator"
    coordinator_role: str = "Mentoring Scheme Coordinator"
    first_meeting_days: int = 21

    def logo(self) -> Path | None:
        path = Path(self.logo_path).expanduser() if self.logo_path else default_logo()
        return path if path.is_file() else None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Letterhead:
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known and v not in (None, "")}
        if "first_meeting_days" in values:
            try:
                values["first_meeting_days"] = max(1, int(values["first_meeting_days"]))
            except (TypeError, ValueError):
                del values["first_meeting_days"]
        return cls(**values)


def default_parts(letterhead: Letterhead) -> list[str]:
    """What of the letterhead is still the built-in default that no society would sign with, as words.

    Empty when the society's name and the coordinator's name have both been set.
    """
    default = Letterhead()
    parts = []
    if letterhead.society_name.strip() == default.society_name:
        parts.append(f"the society name '{default.society_name}'")
    if letterhead.coordinator_name.strip() == default.coordinator_name:
        parts.append(f"the signature '{default.coordinator_name}'")
    return parts


def default_letterhead_warning(letterhead: Letterhead) -> str | None:
    """One sentence when the letters would go out on the default letterhead, else None."""
    parts = default_parts(letterhead)
    if not parts:
        return None
    return "The letters use the default letterhead (" + " and ".join(parts) + ")"


def load_letterhead(session: Session, cohort_id: int | None = None) -> Letterhead:
    """Defaults, then the application setting, then the cohort's own overrides."""
    data: dict[str, Any] = {}
    setting = session.get(AppSetting, LETTERHEAD_KEY)
    if setting is not None and isinstance(setting.value, dict):
        data.update(setting.value)
    if cohort_id is not None:
        cohort = session.get(Cohort, cohort_id)
        if cohort is not None and isinstance((cohort.settings or {}).get(LETTERHEAD_KEY), dict):
            data.update(cohort.settings[LETTERHEAD_KEY])
    return Letterhead.from_dict(data)


def save_letterhead(session: Session, letterhead: Letterhead) -> None:
    """Store the letterhead for every cohort (the ``letterhead`` AppSetting)."""
    if letterhead.logo_path:
        logo = Path(letterhead.logo_path).expanduser()
        if not logo.is_file():
            raise UserError(f"The logo file {logo} does not exist.")
        if logo.suffix.lower() not in (".png", ".jpg", ".jpeg", ".gif", ".bmp"):
            raise UserError("The logo must be a PNG, JPEG, GIF or BMP picture.")
    setting = session.get(AppSetting, LETTERHEAD_KEY)
    value = asdict(letterhead)
    if setting is None:
        session.add(AppSetting(key=LETTERHEAD_KEY, value=value))
    else:
        setting.value = value
    session.flush()
    audit.record(session, "letterhead saved", "Letterhead settings saved", entity_type="app_setting")


def letterhead_value(session: Session) -> dict[str, Any] | None:
    """The stored letterhead setting as saved (None: never set), for undo."""
    setting = session.get(AppSetting, LETTERHEAD_KEY)
    return dict(setting.value) if setting is not None and isinstance(setting.value, dict) else None


def restore_letterhead(session: Session, value: dict[str, Any] | None) -> None:
    """Put back a value ``letterhead_value`` returned (undo of ``save_letterhead``)."""
    setting = session.get(AppSetting, LETTERHEAD_KEY)
    if value is None:
        if setting is not None:
            session.delete(setting)
    elif setting is None:
        session.add(AppSetting(key=LETTERHEAD_KEY, value=value))
    else:
        setting.value = value
    session.flush()
    audit.record(session, "letterhead saved", "Letterhead settings restored", entity_type="app_setting")
