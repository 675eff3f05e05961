"""Finding and removing a person's identifying text: in log lines and in other people's free text."""

from __future__ import annotations

import re

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from mentorapp.store.models import AuditEvent, Participant

ERASED = "[erased]"


# --- scrubbing the activity log ------------------------------------------------------------


def personal_strings(p: Participant) -> list[str]:
    """The texts that identify ``p`` in a log line, longest first so 'Ann Lee' goes before 'Ann'."""
    candidates = {p.full_name, f"{p.title} {p.full_name}".strip(), p.email, f"{p.last_name}, {p.first_name}"}
    return sorted((c for c in candidates if c and len(c.strip()) > 2), key=len, reverse=True)


def scrub(text: str, needles: list[str], replacement: str) -> str:
    for needle in needles:
        text = re.sub(re.escape(needle), replacement, text, flags=re.IGNORECASE)
    return text


def scrub_audit(session: Session, people: list[Participant], replacement_for) -> int:
    """Replace each person's name and email in every log line that mentions them or their row."""
    changed = 0
    for p in people:
        needles = personal_strings(p)
        conditions = [func.lower(AuditEvent.description).contains(n.lower()) for n in needles]
        conditions.append((AuditEvent.entity_type == "participant") & (AuditEvent.entity_id == p.id))
        for event in session.scalars(select(AuditEvent).where(or_(*conditions))):
            new = scrub(event.description, needles, replacement_for(p))
            if new != event.description:
                event.description = new
                changed += 1
    return changed
