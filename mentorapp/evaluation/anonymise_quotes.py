"""Taking people and places out of free-text answers before anyone outside reads them.

Names are matched as names, not as words: a participant's first or last name
counts where it is written with its capital (``Grace``, ``GRACE``), as a whole
word, so "showed grace" stays while "Grace helped me" becomes "[name] helped me".
First names alone count too, since in a cohort of forty "Grace" is someone.
Other people are caught by their title ("Dr Patel"), organisations by the
cohort's own list and by the words institutions end in ("St Mary's Hospital",
"Leeds Teaching Hospitals NHS Trust"). E-mails and phone numbers go as well.

No rule is perfect, so the coordinator still reviews every quote before it is
printed (:mod:`mentorapp.evaluation.report`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

EMAIL_RE = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
PHONE_RE = re.compile(r"(?<![\w£$€])\+?\(?\d[\d ()-]{6,}\d(?!\w)")
TITLES = r"(?:Dr|Doctor|Mr|Mrs|Ms|Miss|Mx|Prof|Professor|Sister|Nurse|Sir|Dame)"
CAPITALISED = r"[A-Z][\w'’-]*"
TITLE_RE = re.compile(rf"\b{TITLES}\.?\s+{CAPITALISED}(?:\s+{CAPITALISED})?")
INSTITUTION_WORDS = (
    "Hospital",
    "Hospitals",
    "Infirmary",
    "Trust",
    "NHS",
    "University",
    "College",
    "Clinic",
    "Practice",
    "Surgery",
    "Council",
    "Centre",
    "Center",
    "Ltd",
    "plc",
    "Limited",
    "Board",
    "Authority",
    "Foundation",
)
# One or more capitalised words (or "St", "of", "and" between them), then an institution word.
INSTITUTION_RE = re.compile(
    rf"\b(?:{CAPITALISED}\s+(?:(?:of|and|&|the)\s+)?)+(?:{'|'.join(INSTITUTION_WORDS)})\b(?:\s+(?:NHS\s+)?Trust)?"
)


@dataclass
class Anonymiser:
    """The cohort's names and organisations, compiled once for all its quotes."""

    names: re.Pattern[str] | None
    organisations: re.Pattern[str] | None

    def __call__(self, text: str) -> str:
        return anonymise(text, self)


def _variants(word: str) -> set[str]:
    """A name as a name is written: its own capitalisation, Title case and CAPITALS."""
    word = word.strip()
    if len(word) < 2:
        return set()
    return {word, word[:1].upper() + word[1:], word.upper()}


def name_pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    """Every part of every name, case-aware, as whole words."""
    words: set[str] = set()
    for name in names:
        for part in re.split(r"[\s]+", name or ""):
            # "Mary-Jane" also as "Mary" and "Jane"; "O'Neill" stays whole.
            words |= _variants(part)
            if "-" in part:
                for piece in part.split("-"):
                    words |= _variants(piece)
    if not words:
        return None
    ordered = sorted(words, key=len, reverse=True)
    return re.compile(r"(?<![\w@])(?:" + "|".join(re.escape(w) for w in ordered) + r")(?![\w@])")


def organisation_pattern(organisations: Iterable[str]) -> re.Pattern[str] | None:
    """The cohort's organisations, whatever their case, spaces flexible."""
    parts = sorted({" ".join(o.split()) for o in organisations if o and len(o.strip()) >= 3}, key=len, reverse=True)
    if not parts:
        return None
    alternatives = [r"\s+".join(re.escape(w) for w in p.split(" ")) for p in parts]
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)", re.IGNORECASE)


def make_anonymiser(names: Iterable[str], organisations: Iterable[str]) -> Anonymiser:
    return Anonymiser(name_pattern(names), organisation_pattern(organisations))


def anonymise(text: str, anonymiser: Anonymiser) -> str:
    """E-mails, phones, known organisations, institutions, titled people and participants' names out."""
    text = EMAIL_RE.sub("[email]", text)
    text = PHONE_RE.sub("[phone]", text)
    if anonymiser.organisations is not None:
        text = anonymiser.organisations.sub("[organisation]", text)
    text = INSTITUTION_RE.sub("[organisation]", text)
    text = TITLE_RE.sub("[name]", text)
    if anonymiser.names is not None:
        text = anonymiser.names.sub("[name]", text)
    return " ".join(text.split())
