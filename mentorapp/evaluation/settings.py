"""A cohort's evaluation settings as one value: criteria, comment themes, the retrospective question.

The window's Evaluation settings dialog edits them together and its undo puts the earlier
value back; each part is still checked and logged by its own module.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from mentorapp.errors import UserError
from mentorapp.evaluation import criteria as criteria_module
from mentorapp.evaluation import themes as themes_module
from mentorapp.evaluation.instrument import RETROSPECTIVE, cohort_options, set_retrospective_pre
from mentorapp.store.models import Cohort


@dataclass
class EvaluationSettings:
    criteria: list[dict[str, Any]] | None  # None: the defaults
    themes: dict[str, list[str]] | None  # None: the default keyword groups
    retrospective_pre: bool


def read_settings(session: Session, cohort_id: int) -> EvaluationSettings:
    cohort = session.get(Cohort, cohort_id)
    if cohort is None:
        raise UserError("The cohort no longer exists.")
    settings = dict(cohort.settings or {})
    stored_criteria = settings.get(criteria_module.SETTINGS_KEY)
    stored_themes = settings.get(themes_module.SETTINGS_KEY)
    return EvaluationSettings(
        [dict(c) for c in stored_criteria] if isinstance(stored_criteria, list) else None,
        {k: list(v) for k, v in stored_themes.items()} if isinstance(stored_themes, dict) else None,
        RETROSPECTIVE in cohort_options(settings),
    )


def write_settings(session: Session, cohort_id: int, new: EvaluationSettings) -> None:
    """Store what differs from the current settings (each part checked; a bad one changes nothing)."""
    old = read_settings(session, cohort_id)
    if new.criteria != old.criteria:
        if new.criteria is None:
            criteria_module.reset_criteria(session, cohort_id)
        else:
            criteria_module.set_criteria(session, cohort_id, new.criteria)
    if new.themes != old.themes:
        themes_module.set_themes(session, cohort_id, new.themes)
    if new.retrospective_pre != old.retrospective_pre:
        set_retrospective_pre(session, cohort_id, new.retrospective_pre)
