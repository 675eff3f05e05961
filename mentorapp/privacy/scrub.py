"""Finding and removing a person's identifying text: in log lines and in other people's free text.

A person is found by every value they ever had: their current name, email and
phone, and the former ones kept by id in ``former_value`` (an import that
updated a duplicate may have renamed them after log lines named them). Names
match as whole words whatever the spacing and case; a phone number matches in
any usual format (``+44 7700 900123``, ``07700-900-123``, ``(07700) 900123``).

Beyond the literal values, a person is found in the usual short forms of their
name (:func:`name_forms`) and in their email written to dodge spam robots
(``ann.lee at example.org``, ``ann.lee(at)example(dot)org``). A surname alone,
with no title, initial or first name beside it, is left: it may well be someone
else's, or an ordinary word ("Chen is a common name", "Mr Brown and Dr Green").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from sqlalchemy import func, or_, select, true
from sqlalchemy.orm import Session

from mentorapp.people.participants import titled_name
from mentorapp.people.vocabulary import TITLES
from mentorapp.store.models import AuditEvent, FormerValue, Participant

ERASED = "[erased]"
# A run of digits with the separators people write in phone numbers, at least 7 digits long.
_PHONE_LIKE = re.compile(r"(?<![\w+])(?:\+|00)?[\d(][\d\s().\-/]{5,}\d(?!\w)")
_PHONE_TAIL = 9  # the national number's last digits: the same whatever the country or trunk prefix


def phone_digits(phone: str) -> str:
    """The last digits that identify a phone number in any format; '' when it is too short to look for."""
    digits = re.sub(r"\D", "", phone or "")
    return digits[-_PHONE_TAIL:] if len(digits) >= 7 else ""


def personal_strings(session: Session, p: Participant) -> list[str]:
    """The texts that identify ``p``, now and before, longest first so 'Ann Lee' goes before 'Ann'."""
    candidates = {p.full_name, titled_name(p), p.email, f"{p.last_name}, {p.first_name}"}
    if p.person_id is not None:
        candidates |= set(session.scalars(select(FormerValue.value).where(FormerValue.person_id == p.person_id)))
    return sorted((c for c in candidates if c and len(c.strip()) > 2 and not phone_digits(c)), key=len, reverse=True)


def phones(session: Session, p: Participant) -> set[str]:
    """The identifying digits of every phone number ``p`` has had."""
    found = {phone_digits(p.phone)}
    if p.person_id is not None:
        found |= {
            phone_digits(v)
            for v in session.scalars(select(FormerValue.value).where(FormerValue.person_id == p.person_id))
        }
    return {d for d in found if d}


# Forms of address written before a surname ("Dr Chen", "Prof. Chen"), any case, with or without a full stop.
_TITLES = "|".join(
    re.escape(t)
    for t in sorted(
        {*TITLES, "Professor", "Doctor", "Sir", "Dame", "Lord", "Lady", "Rev", "Revd"}, key=len, reverse=True
    )
)
# '@' and the ways people write it out: ' at ', '(at)', '[at]', '{at}'; and the same for a dot.
_AT = r"(?:\s*@\s*|\s+at\s+|\s*[(\[{]\s*at\s*[)\]}]\s*)"
_DOT = r"(?:\s*\.\s*|\s+dot\s+|\s*[(\[{]\s*dot\s*[)\]}]\s*)"
_OPEN, _CLOSE = r"[(\[]\s*", r"\s*[)\]]"


def _words(text: str) -> str:
    """A name as a regex of whole words, any spacing."""
    return r"\s+".join(re.escape(w) for w in text.split())


def _pattern(needle: str) -> re.Pattern[str]:
    """A name as whole words (any spacing, any case); an email also with its '@' and dots written out."""
    local, at, domain = needle.strip().rpartition("@")
    if at and local and domain and not any(c.isspace() for c in needle.strip()):
        dotted = _DOT.join(re.escape(part) for part in domain.split("."))
        return re.compile(rf"(?<![\w.+-]){re.escape(local)}{_AT}{dotted}(?![\w-])", re.IGNORECASE)
    return re.compile(rf"(?<!\w){_words(needle)}(?!\w)", re.IGNORECASE)


def name_forms(p: Participant) -> list[re.Pattern[str]]:
    """The short forms of ``p``'s name that point at them alone and that the literal values miss.

    A title or initial before the surname ("Dr Chen", "Prof. D. Chen", "D Chen"; the
    initial is their own, in capitals) and the first name and surname with either in
    brackets ("Dafydd (Chen)", "Chen [Dafydd]", "(Dafydd) Chen"). A surname alone is left.
    """
    first, last = (p.first_name or "").strip(), (p.last_name or "").strip()
    if len(last) < 2:
        return []
    surname = rf"(?i:{_words(last)})(?!\w)"
    titles = _TITLES + (f"|{_words(p.title)}" if (p.title or "").strip() else "")
    # Their own initial, then any middle ones: "J. Chen" is someone else's name, not theirs.
    initials = rf"{re.escape(first[0].upper())}\.?\s+(?:[A-Z]\.?\s+)*" if first else ""
    forms = [rf"(?<!\w)(?i:{titles})\.?\s+(?:{initials})?{surname}"]
    if first:
        given = rf"(?i:{_words(first)})"
        forms += [
            rf"(?<!\w){initials}{surname}",
            rf"(?<!\w){given}\s*{_OPEN}{surname}{_CLOSE}",
            rf"(?<!\w){surname}\s*{_OPEN}{given}{_CLOSE}",
            rf"{_OPEN}{given}{_CLOSE}\s*{surname}",
        ]
    return [re.compile(f) for f in forms]


def scrub(
    text: str,
    needles: Iterable[str],
    replacement: str,
    phone_tails: Iterable[str] = (),
    forms: Iterable[re.Pattern[str]] = (),
) -> str:
    """``text`` with every needle, every name form and every phone number ending in one of ``phone_tails`` replaced."""
    for needle in needles:
        text = _pattern(needle).sub(replacement, text)
    for form in forms:
        text = form.sub(replacement, text)
    tails = tuple(phone_tails)
    if tails:

        def swap(m: re.Match[str]) -> str:
            digits = re.sub(r"\D", "", m.group(0))
            return replacement if any(digits.endswith(t) for t in tails) else m.group(0)

        text = _PHONE_LIKE.sub(swap, text)
    return text


def scrub_first_name(text: str, first_name: str, others_named: Iterable[str], replacement: str) -> str:
    """Replace a first name standing alone, unless the text could mean someone else by it.

    ``others_named`` are the first names of the other people this text is by or
    names in full: a first name shared with one of them is ambiguous, and left.
    """
    name = first_name.strip()
    if len(name) < 2 or name.casefold() in {o.strip().casefold() for o in others_named}:
        return text
    return re.compile(rf"(?<!\w){re.escape(name)}(?!\w)").sub(replacement, text)


# --- scrubbing the activity log ------------------------------------------------------------


def scrub_audit(session: Session, people: list[Participant], replacement_for: Callable[[Participant], str]) -> int:
    """Replace each person's names, emails and phones (now and former) in every log line naming them or their row."""
    changed = 0
    for p in people:
        needles = personal_strings(session, p)
        tails = phones(session, p)
        forms = name_forms(p)
        # The surname and the email's local part find the lines where a short form or a written-out email may be.
        hints = [*needles, *([p.last_name] if forms else []), *(n.rpartition("@")[0] for n in needles if "@" in n)]
        conditions = [func.lower(AuditEvent.description).contains(n.lower(), autoescape=True) for n in hints if n]
        conditions.append((AuditEvent.entity_type == "participant") & (AuditEvent.entity_id == p.id))
        if tails:  # a number can be written in any format: every line is looked at
            conditions.append(true())
        for event in session.scalars(select(AuditEvent).where(or_(*conditions))):
            new = scrub(event.description, needles, replacement_for(p), tails, forms)
            if new != event.description:
                event.description = new
                changed += 1
    return changed
