"""Themes in the free-text answers, by a method anyone can check: keyword groups.

Each theme is a name and a list of keywords; a comment belongs to a theme when
any keyword starts a word of it (``confiden`` finds "confident" and
"confidence"), case ignored. A comment may belong to several themes or none.
The groups are the cohort's (``Cohort.settings["quote_themes"]``), edited by the
coordinator; :data:`DEFAULT_THEMES` is the starting point. The report prints the
groups on its methods page so the counts can be recomputed by hand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from mentorapp.errors import UserError
from mentorapp.people.cohorts import update_settings
from mentorapp.store import audit
from mentorapp.store.models import Cohort

SETTINGS_KEY = "quote_themes"
MAX_THEMES = 30
DEFAULT_THEMES: dict[str, list[str]] = {
    "Time and scheduling": ["time", "busy", "schedul", "rota", "diary", "protected", "clinic"],
    "Confidence": ["confiden", "reassur", "self-belief", "assur"],
    "Career and progression": ["career", "promotion", "post", "job", "apply", "progress", "plan"],
    "Network and introductions": ["network", "introduc", "contact", "connect", "people across"],
    "Structure and goals": ["goal", "structure", "expectation", "focus", "agenda", "guidance"],
    "Feedback and advice": ["feedback", "advice", "honest", "perspective"],
    "Learning both ways": ["learn", "fresh", "idea", "insight"],
    "Meeting format": ["online", "video", "in person", "face to face", "meet other"],
}


@dataclass
class ThemeCount:
    theme: str
    keywords: list[str]
    count: int = 0


@dataclass
class QuestionThemes:
    """One free-text question: how many comments, and how many fall in each theme."""

    item_key: str
    comments: int = 0
    themes: list[ThemeCount] = field(default_factory=list)
    unthemed: int = 0


def themes_for(settings: dict[str, Any] | None) -> dict[str, list[str]]:
    stored = (settings or {}).get(SETTINGS_KEY)
    if isinstance(stored, dict):
        return {str(k): [str(w) for w in v] for k, v in stored.items() if isinstance(v, list)}
    return {k: list(v) for k, v in DEFAULT_THEMES.items()}


def _matcher(keywords: list[str]) -> re.Pattern[str] | None:
    words = [" ".join(k.split()).lower() for k in keywords if k.strip()]
    if not words:
        return None
    alternatives = (r"\s+".join(re.escape(part) for part in w.split(" ")) for w in words)
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + ")", re.IGNORECASE)


def count_themes(comments: dict[str, list[str]], groups: dict[str, list[str]]) -> list[QuestionThemes]:
    """``comments``: question key -> its comments. Themes listed by count, largest first."""
    matchers = {name: _matcher(words) for name, words in groups.items()}
    out = []
    for key, texts in comments.items():
        q = QuestionThemes(key, comments=len(texts))
        counts = {name: ThemeCount(name, list(groups[name])) for name in groups}
        for text in texts:
            hit = False
            for name, matcher in matchers.items():
                if matcher is not None and matcher.search(text):
                    counts[name].count += 1
                    hit = True
            q.unthemed += not hit
        q.themes = sorted((c for c in counts.values() if c.count), key=lambda c: (-c.count, c.theme))
        out.append(q)
    return out


def check_theme(name: str, keywords: list[str]) -> tuple[str, list[str]]:
    clean_name = " ".join(name.split())
    if not clean_name or len(clean_name) > 60:
        raise UserError("A theme needs a name of 1 to 60 characters.")
    words = [" ".join(k.split()) for k in keywords if k.strip()]
    if not words:
        raise UserError(f"The theme '{clean_name}' needs at least one keyword.")
    if any(len(w) < 2 or len(w) > 40 for w in words):
        raise UserError(f"A keyword of '{clean_name}' is shorter than 2 or longer than 40 characters.")
    return clean_name, words


def set_themes(session: Session, cohort_id: int, groups: dict[str, list[str]] | None) -> dict[str, list[str]]:
    """Replace the cohort's keyword groups (None: back to the defaults); logged."""
    cohort = session.get(Cohort, cohort_id)
    if cohort is None:
        raise UserError("The cohort no longer exists.")
    if groups is None:
        settings = dict(cohort.settings or {})
        settings.pop(SETTINGS_KEY, None)
        cohort.settings = settings
        session.flush()
        clean = themes_for(None)
    else:
        if len(groups) > MAX_THEMES:
            raise UserError(f"At most {MAX_THEMES} themes.")
        clean = dict(check_theme(n, w) for n, w in groups.items())
        update_settings(session, cohort_id, **{SETTINGS_KEY: clean})
    audit.record(
        session,
        "themes changed",
        f"Comment themes of '{cohort.name}' set ({len(clean)})",
        cohort_id=cohort_id,
        entity_type="cohort",
        entity_id=cohort_id,
    )
    return clean
