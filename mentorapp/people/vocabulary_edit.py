"""Editing a cohort's vocabulary after the fact: rename, merge, reorder, add and remove.

Three lists can be edited: focus areas (``focus``), career stages (``stage``,
most junior first: the order is the matcher's seniority) and regions
(``region``). Each change is one unit of work in the caller's transaction: the
cohort's list changes and the participants follow (their career stage, region,
goal focus areas and expertise areas are rewritten, matched case- and
space-insensitively), and the change goes in the activity log.

A merge never leaves a participant with the same area twice: goal areas are
de-duplicated, and two expertise rows for the same area become one with the
larger number of years.

The answers a past import remembered for next year's form (``settings["import_mapping"]["values"]``,
written by :mod:`mentorapp.importing.mapping`) follow too: an answer mapped onto a renamed or
merged value now maps onto its new name; one mapped onto a removed value is forgotten, so
the next import asks again.

Every change returns the words as they were before it (:class:`VocabularySnapshot`),
so that the screens can undo it with :func:`restore`. Stored match scores are
not this module's business (people never imports matching): the caller then
calls :func:`mentorapp.matching.actions.rescore_current_matches` in the same
transaction, so the board shows scores for the new words.
"""

from __future__ import annotations

import copy
import logging
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from mentorapp.errors import UserError
from mentorapp.people.cohorts import vocabulary_errors
from mentorapp.store import audit
from mentorapp.store.models import Cohort, Expertise, Participant

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Kind:
    key: str  # as the command line names it
    attribute: str  # the Cohort attribute holding the list
    noun: str
    plural: str


# The fields of the remembered import answers that take values from each list.
SAVED_ANSWER_FIELDS = {
    "focus": ("focus_short", "focus_medium", "focus_long", "focus_areas", "expertise_areas"),
    "stage": ("career_stage",),
    "region": ("region",),
}

KINDS: dict[str, Kind] = {
    "focus": Kind("focus", "focus_areas", "focus area", "focus areas"),
    "stage": Kind("stage", "career_stages", "career stage", "career stages"),
    "region": Kind("region", "regions", "region", "regions"),
}


@dataclass
class PersonWords:
    """What a participant says in the cohort's words (what a change may rewrite)."""

    career_stage: str
    region: str
    goals: dict[str, list[str]]  # horizon -> focus areas
    expertise: list[tuple[str, int]]  # (focus area, years), in order


@dataclass
class VocabularySnapshot:
    """A cohort's three lists and the words of the participants a change rewrote."""

    cohort_id: int
    lists: dict[str, list[str]]
    people: dict[int, PersonWords] = field(default_factory=dict)
    import_mapping: Any = None  # the cohort's settings["import_mapping"], as it was


@dataclass
class VocabularyChange:
    """What a change did, in a sentence, and the snapshot that undoes it."""

    description: str
    participants: int
    before: VocabularySnapshot


def fold(value: str) -> str:
    return " ".join(value.split()).casefold()


def clean(value: str) -> str:
    return " ".join(value.split())


def kind_of(key: str) -> Kind:
    kind = KINDS.get(key)
    if kind is None:
        raise UserError(f"'{key}' is not a vocabulary; choose one of: {', '.join(KINDS)}.")
    return kind


# -- reading ------------------------------------------------------------------------------


def _cohort(session: Session, cohort_id: int) -> Cohort:
    cohort = session.get(Cohort, cohort_id)
    if cohort is None:
        raise UserError("The cohort no longer exists.")
    return cohort


def _people(session: Session, cohort_id: int) -> list[Participant]:
    stmt = (
        select(Participant)
        .where(Participant.cohort_id == cohort_id)
        .options(selectinload(Participant.goals), selectinload(Participant.expertise))
        .order_by(Participant.id)
    )
    return list(session.scalars(stmt))


def _uses(p: Participant, kind: Kind, key: str) -> bool:
    if kind.key == "stage":
        return fold(p.career_stage) == key
    if kind.key == "region":
        return fold(p.region) == key
    return any(fold(a) == key for g in p.goals for a in g.focus_areas) or any(
        fold(e.focus_area) == key for e in p.expertise
    )


def usage_all(session: Session, cohort_id: int) -> dict[str, dict[str, int]]:
    """Per list (``focus``, ``stage``, ``region``): how many participants use each value, in the list's
    order and spelling (0 for unused values). The participants are read once."""
    cohort = _cohort(session, cohort_id)
    counts: dict[str, Counter[str]] = {key: Counter() for key in KINDS}
    for p in _people(session, cohort_id):
        counts["stage"][fold(p.career_stage)] += 1
        counts["region"][fold(p.region)] += 1
        areas = {fold(a) for g in p.goals for a in g.focus_areas} | {fold(e.focus_area) for e in p.expertise}
        counts["focus"].update(areas)
    return {
        key: {v: counts[key][fold(v)] for v in getattr(cohort, kind.attribute) or []} for key, kind in KINDS.items()
    }


def usage(session: Session, cohort_id: int, kind_key: str) -> dict[str, int]:
    """How many participants use each value of one list (see :func:`usage_all`)."""
    return usage_all(session, cohort_id)[kind_of(kind_key).key]


def _find(values: list[str], value: str, kind: Kind) -> int:
    key = fold(value)
    for i, existing in enumerate(values):
        if fold(existing) == key:
            return i
    listed = ", ".join(f"'{v}'" for v in values) or "none yet"
    raise UserError(f"The cohort has no {kind.noun} '{clean(value)}'; its {kind.plural} are: {listed}.")


# -- rewriting participants ------------------------------------------------------------------


def _words(p: Participant) -> PersonWords:
    return PersonWords(
        p.career_stage,
        p.region,
        {g.horizon: list(g.focus_areas) for g in p.goals},
        [(e.focus_area, e.years) for e in p.expertise],
    )


def _rewrite(session: Session, p: Participant, kind: Kind, key: str, new: str) -> None:
    """Replace the value folded to ``key`` by ``new`` in what ``p`` says; never the same area twice."""
    if kind.key == "stage":
        p.career_stage = new
        return
    if kind.key == "region":
        p.region = new
        return
    for goal in p.goals:
        areas: dict[str, str] = {}
        for area in goal.focus_areas:
            area = new if fold(area) == key else area
            areas.setdefault(fold(area), area)
        goal.focus_areas = list(areas.values())
    target = next((e for e in p.expertise if fold(e.focus_area) == fold(new) and fold(e.focus_area) != key), None)
    for row in [e for e in p.expertise if fold(e.focus_area) == key]:
        if target is None:
            row.focus_area = new
            target = row
        else:
            target.years = max(target.years, row.years)
            p.expertise.remove(row)
            session.delete(row)
    session.flush()


def _follow(session: Session, cohort_id: int, kind: Kind, key: str, new: str, before: VocabularySnapshot) -> int:
    count = 0
    for p in _people(session, cohort_id):
        if _uses(p, kind, key):
            before.people[p.id] = _words(p)
            _rewrite(session, p, kind, key, new)
            count += 1
    return count


def _snapshot(cohort: Cohort) -> VocabularySnapshot:
    return VocabularySnapshot(
        cohort.id,
        {k.attribute: list(getattr(cohort, k.attribute) or []) for k in KINDS.values()},
        import_mapping=copy.deepcopy((cohort.settings or {}).get("import_mapping")),
    )


def _follow_saved_answers(cohort: Cohort, kind: Kind, key: str, new: str | None) -> int:
    """Point remembered import answers mapped onto the value folded to ``key`` at ``new`` (None: forget them)."""
    settings = dict(cohort.settings or {})
    stored = settings.get("import_mapping")
    if not isinstance(stored, dict) or not isinstance(stored.get("values"), dict):
        return 0
    values = copy.deepcopy(stored["values"])
    changed = 0
    for name in SAVED_ANSWER_FIELDS[kind.key]:
        block = values.get(name)
        if not isinstance(block, dict) or not isinstance(block.get("values"), list):
            continue
        kept = []
        for entry in block["values"]:
            if isinstance(entry, dict) and isinstance(entry.get("proposed"), str) and fold(entry["proposed"]) == key:
                changed += 1
                if new is None:
                    continue
                entry = {**entry, "proposed": new}
            kept.append(entry)
        block["values"] = kept
    if changed:
        settings["import_mapping"] = {**stored, "values": values}
        cohort.settings = settings  # a new dict, so the change is saved
    return changed


def _set_list(cohort: Cohort, kind: Kind, values: list[str]) -> None:
    errors = vocabulary_errors(kind.attribute, kind.noun, values)
    if errors:
        raise UserError(errors[0].message)
    setattr(cohort, kind.attribute, [clean(v) for v in values])  # a new list, so the change is saved


def _record(session: Session, cohort: Cohort, action: str, description: str, people: int) -> None:
    audit.record(session, action, description, cohort_id=cohort.id, entity_type="cohort", entity_id=cohort.id)
    log.info("cohort %s: %s, %d participants rewritten", cohort.id, action, people)
    session.flush()


def _following(n: int) -> str:
    return "no participant used it" if n == 0 else ("1 participant follows" if n == 1 else f"{n} participants follow")


# -- the changes ---------------------------------------------------------------------------


def rename(session: Session, cohort_id: int, kind_key: str, old: str, new: str) -> VocabularyChange:
    """Rename a value; participants who use it now use the new name."""
    kind = kind_of(kind_key)
    cohort = _cohort(session, cohort_id)
    values = list(getattr(cohort, kind.attribute))
    i = _find(values, old, kind)
    new_clean, old_name = clean(new), values[i]
    if not new_clean:
        raise UserError(f"The new name of the {kind.noun} '{old_name}' cannot be blank.")
    clash = [v for n, v in enumerate(values) if n != i and fold(v) == fold(new_clean)]
    if clash:
        raise UserError(f"There is already a {kind.noun} '{clash[0]}': merge '{old_name}' into it instead of renaming.")
    before = _snapshot(cohort)
    values[i] = new_clean
    _set_list(cohort, kind, values)
    _follow_saved_answers(cohort, kind, fold(old_name), new_clean)
    n = _follow(session, cohort_id, kind, fold(old_name), new_clean, before)
    text = f"{kind.noun.capitalize()} '{old_name}' renamed to '{new_clean}' ({_following(n)})"
    _record(session, cohort, "vocabulary renamed", text, n)
    return VocabularyChange(text, n, before)


def merge(session: Session, cohort_id: int, kind_key: str, source: str, target: str) -> VocabularyChange:
    """Merge ``source`` into ``target``: it leaves the list and its participants take ``target``."""
    kind = kind_of(kind_key)
    cohort = _cohort(session, cohort_id)
    values = list(getattr(cohort, kind.attribute))
    i, j = _find(values, source, kind), _find(values, target, kind)
    if i == j:
        raise UserError(f"A {kind.noun} cannot be merged into itself ('{values[i]}').")
    source_name, target_name = values[i], values[j]
    before = _snapshot(cohort)
    _set_list(cohort, kind, [v for n, v in enumerate(values) if n != i])
    _follow_saved_answers(cohort, kind, fold(source_name), target_name)
    n = _follow(session, cohort_id, kind, fold(source_name), target_name, before)
    text = f"{kind.noun.capitalize()} '{source_name}' merged into '{target_name}' ({_following(n)})"
    _record(session, cohort, "vocabulary merged", text, n)
    return VocabularyChange(text, n, before)


def reorder(session: Session, cohort_id: int, kind_key: str, order: list[str]) -> VocabularyChange:
    """Put the list in ``order``, which must name every value exactly once (stages: most junior first)."""
    kind = kind_of(kind_key)
    cohort = _cohort(session, cohort_id)
    values = list(getattr(cohort, kind.attribute))
    by_key = {fold(v): v for v in values}
    seen: set[str] = set()
    for value in order:
        key = fold(value)
        if key not in by_key:
            _find(values, value, kind)  # raises, naming the list
        if key in seen:
            raise UserError(f"The new order names the {kind.noun} '{by_key[key]}' twice.")
        seen.add(key)
    missing = [v for v in values if fold(v) not in seen]
    if missing:
        names = ", ".join(f"'{v}'" for v in missing)
        raise UserError(f"The new order must name every {kind.noun} exactly once; it leaves out {names}.")
    before = _snapshot(cohort)
    new_order = [by_key[fold(v)] for v in order]
    _set_list(cohort, kind, new_order)
    first = "most junior first: " if kind.key == "stage" else ""
    text = f"{kind.plural.capitalize()} put in a new order ({first}{', '.join(new_order)})"
    _record(session, cohort, "vocabulary reordered", text, 0)
    return VocabularyChange(text, 0, before)


def add(session: Session, cohort_id: int, kind_key: str, value: str) -> VocabularyChange:
    """Add a value at the end of the list (a new career stage is the most senior until reordered)."""
    kind = kind_of(kind_key)
    cohort = _cohort(session, cohort_id)
    values = list(getattr(cohort, kind.attribute))
    before = _snapshot(cohort)
    _set_list(cohort, kind, [*values, value])
    text = f"{kind.noun.capitalize()} '{clean(value)}' added"
    _record(session, cohort, "vocabulary added", text, 0)
    return VocabularyChange(text, 0, before)


def remove(session: Session, cohort_id: int, kind_key: str, value: str) -> VocabularyChange:
    """Remove an unused value; refused (with the count) while a participant uses it."""
    kind = kind_of(kind_key)
    cohort = _cohort(session, cohort_id)
    values = list(getattr(cohort, kind.attribute))
    i = _find(values, value, kind)
    name = values[i]
    n = sum(1 for p in _people(session, cohort_id) if _uses(p, kind, fold(name)))
    if n:
        who = "1 participant uses" if n == 1 else f"{n} participants use"
        raise UserError(
            f"{who} the {kind.noun} '{name}': merge it into another {kind.noun} instead, or change them first."
        )
    before = _snapshot(cohort)
    _set_list(cohort, kind, [v for k, v in enumerate(values) if k != i])
    forgotten = _follow_saved_answers(cohort, kind, fold(name), None)
    text = f"{kind.noun.capitalize()} '{name}' removed"
    if forgotten:
        text += f" (the next import asks again about {forgotten} remembered answer{'s' if forgotten != 1 else ''})"
    _record(session, cohort, "vocabulary removed", text, 0)
    return VocabularyChange(text, 0, before)


def restore(session: Session, snapshot: VocabularySnapshot) -> None:
    """Put back the lists and participants' words a change started from (undo)."""
    cohort = _cohort(session, snapshot.cohort_id)
    for attribute, values in snapshot.lists.items():
        setattr(cohort, attribute, list(values))
    settings = dict(cohort.settings or {})
    if snapshot.import_mapping is None:
        settings.pop("import_mapping", None)
    else:
        settings["import_mapping"] = copy.deepcopy(snapshot.import_mapping)
    cohort.settings = settings
    for p in _people(session, snapshot.cohort_id):
        words = snapshot.people.get(p.id)
        if words is None:
            continue
        p.career_stage, p.region = words.career_stage, words.region
        for goal in p.goals:
            goal.focus_areas = list(words.goals.get(goal.horizon, goal.focus_areas))
        for row in list(p.expertise):
            p.expertise.remove(row)
            session.delete(row)
        session.flush()
        p.expertise.extend(Expertise(focus_area=area, years=years) for area, years in words.expertise)
    session.flush()
    _record(session, cohort, "vocabulary restored", "Vocabulary change undone", len(snapshot.people))
