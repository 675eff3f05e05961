"""Words of a form's answers against a scheme's values: what proposes a value when the spelling alone does not.

:mod:`mentorapp.importing.reconcile` asks these after an exact or normalised match fails:
a value whose words hold the answer's (or the reverse), capitals that spell a value's
initials ("QI projects" for Quality improvement), or the one value sharing a telling word
("Yorkshire & Humber" for North East and Yorkshire).
"""

from __future__ import annotations

import re

STOP = {"and", "or", "of", "the", "a", "an", "in", "for", "with", "to", "&"}


def loose_form(value: str) -> str:
    """Lower case, punctuation to spaces, single spaces: how two spellings of one answer are compared."""
    return " ".join(re.sub(r"[^\w]+", " ", value.casefold()).split())


def by_initials(answer: str, vocabulary: list[str]) -> str | None:
    """The one scheme value whose words' initials an answer writes in capitals ("QI", "SE"), if exactly one."""
    capitals = {w for w in re.findall(r"\b[A-Z]{2,4}\b", answer)}
    if not capitals:
        return None
    found = [s for s in vocabulary if "".join(w[0] for w in ordered_words(s)).upper() in capitals]
    return found[0] if len(found) == 1 else None


def only_one_sharing_a_word(answer: str, vocabulary: list[str]) -> str | None:
    """The one scheme value that shares with the answer a word no other value has, if there is one."""
    holders: dict[str, set[str]] = {}
    for s in vocabulary:
        for w in content_words(s):
            holders.setdefault(w, set()).add(s)
    found = {s for w in content_words(answer) if len(holders.get(w, ())) == 1 for s in holders[w]}
    return found.pop() if len(found) == 1 else None


def ordered_words(text: str) -> list[str]:
    return [w for w in loose_form(text).split() if w not in STOP]


def content_words(text: str) -> set[str]:
    return {w for w in loose_form(text).split() if w not in STOP}
