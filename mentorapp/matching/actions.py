"""Matches: create, move, remove and move through the lifecycle, each undoable.

Every action runs inside the caller's unit of work, records an audit event and
returns a :class:`MatchChange`: the exact rows it touched before and after. Undo
writes the *before* rows back and redo the *after* rows (same ids, same
versions), after checking that nobody changed those rows in the meantime, so
the database always equals what the board shows. Hard rules come from
:mod:`mentorapp.matching.rules`; only the same-organisation rule may be overridden, and
the override is kept on the match.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, bindparam, delete, insert, select, update
from sqlalchemy.orm import Session, aliased, selectinload

from mentorapp.errors import ConflictError, UserError
from mentorapp.matching.rules import RuleContext, Violation, violations
from mentorapp.matching.scoring import PairScore, Scorer, weights_for
from mentorapp.people.participants import ParticipantData
from mentorapp.people.vocabulary import MATCH_STATUS_LABELS
from mentorapp.store import audit
from mentorapp.store.models import (
    CURRENT_MATCH_STATUSES,
    MATCH_STATUSES,
    Cohort,
    ExcludedPair,
    Match,
    Participant,
    utcnow,
)

# Reasons a coordinator picks from when a match ends early (any other text may be typed).
END_REASONS: tuple[str, ...] = (
    "Mentee withdrew from the scheme",
    "Mentor withdrew from the scheme",
    "Change of job or organisation",
    "Personal or health reasons",
    "Not a good fit",
    "Unable to find time to meet",
    "Goals achieved early",
)

# Which statuses each lifecycle action may start from.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "confirmed": ("proposed",),
    "active": ("proposed", "confirmed"),
    "completed": ("confirmed", "active"),
    "ended_early": ("proposed", "confirmed", "active"),
    "proposed": ("confirmed",),
}

RowKey = tuple[str, int]  # (table name, row id)


class RuleBrokenError(UserError):
    """A hard rule forbids this pair; ``overridable`` when only the same-organisation rule does."""

    def __init__(self, message: str, found: list[Violation]) -> None:
        super().__init__(message)
        self.violations = found

    @property
    def overridable(self) -> bool:
        return bool(self.violations) and all(v.code == "same_org" for v in self.violations)


@dataclass(frozen=True)
class StoredScore:
    """A score already computed elsewhere (the board's scorer, a suggestion): total plus reasons."""

    total: float
    reasons: tuple[dict[str, Any], ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"score": round(self.total, 4), "reasons": [dict(r) for r in self.reasons]}


@dataclass
class MatchChange:
    """The rows one action touched: None means "did not exist"."""

    description: str
    cohort_id: int
    before: dict[RowKey, dict[str, Any] | None] = field(default_factory=dict)
    after: dict[RowKey, dict[str, Any] | None] = field(default_factory=dict)

    @property
    def match_ids(self) -> list[int]:
        return sorted(rid for (table, rid), row in self.after.items() if table == "match" and row is not None)


_TABLES: dict[str, Table] = {"match": Match.__table__, "excluded_pair": ExcludedPair.__table__}  # type: ignore[dict-item]


def _read_row(session: Session, key: RowKey) -> dict[str, Any] | None:
    return _read_rows(session, [key])[key]


_CHUNK = 500  # ids per IN (...) list, well under every database's parameter limit


def _read_rows(session: Session, keys: Iterable[RowKey]) -> dict[RowKey, dict[str, Any] | None]:
    """The current rows for many keys in a few queries; None for rows that do not exist."""
    wanted = list(keys)
    found: dict[RowKey, dict[str, Any] | None] = dict.fromkeys(wanted)
    by_table: dict[str, list[int]] = {}
    for table, rid in wanted:
        by_table.setdefault(table, []).append(rid)
    for name, ids in by_table.items():
        table = _TABLES[name]
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            for row in session.execute(select(table).where(table.c.id.in_(chunk))).mappings():
                found[(name, row["id"])] = dict(row)
    return found


class _Tracker:
    """Remembers rows before an action so the change can be described exactly."""

    def __init__(self, session: Session, cohort_id: int) -> None:
        self.session = session
        self.cohort_id = cohort_id
        self.before: dict[RowKey, dict[str, Any] | None] = {}

    def touch(self, table: str, row_id: int) -> None:
        self.touch_many(table, [row_id])

    def touch_many(self, table: str, row_ids: Iterable[int]) -> None:
        keys = [(table, rid) for rid in row_ids if (table, rid) not in self.before]
        if keys:
            self.session.flush()
            self.before.update(_read_rows(self.session, keys))

    def created(self, table: str, row_id: int) -> None:
        self.before.setdefault((table, row_id), None)

    def finish(self, description: str) -> MatchChange:
        self.session.flush()
        after = _read_rows(self.session, self.before)
        return MatchChange(description, self.cohort_id, dict(self.before), after)


# -- reading -----------------------------------------------------------------


def _participant(session: Session, participant_id: int) -> Participant:
    p = session.get(
        Participant, participant_id, options=[selectinload(Participant.goals), selectinload(Participant.expertise)]
    )
    if p is None:
        raise ConflictError("This participant was deleted by someone else; reload the board.")
    return p


def _match(session: Session, match_id: int, expected_version: int | None) -> Match:
    m = session.get(Match, match_id)
    if m is None:
        raise ConflictError("This match was removed by someone else; the board has been reloaded.")
    if expected_version is not None and m.version_id != expected_version:
        raise ConflictError(
            f"The match of {m.mentee.full_name} was changed by someone else; the board has been reloaded."
        )
    return m


def current_match_of(session: Session, mentee_id: int) -> Match | None:
    return session.scalar(select(Match).where(Match.mentee_id == mentee_id, Match.status.in_(CURRENT_MATCH_STATUSES)))


def cohort_scorer(session: Session, cohort_id: int) -> Scorer:
    """One scorer over the whole cohort (text similarity weighs words against the cohort)."""
    from mentorapp.matching.board import load_people

    cohort = session.get(Cohort, cohort_id)
    people = load_people(session, cohort_id).values()
    return Scorer(
        [p for p in people if p.is_mentee],
        [p for p in people if p.is_mentor],
        weights_for(cohort.settings if cohort else {}),
    )


def score_pair(session: Session, mentee: Participant, mentor: Participant) -> PairScore:
    """The compatibility of one pair under the cohort's weights."""
    return cohort_scorer(session, mentee.cohort_id).score(mentee.id, mentor.id)


def _score_fields(pair_score: PairScore | StoredScore) -> dict[str, Any]:
    return {"score": round(float(pair_score.total), 4), "reasons": pair_score.to_json()["reasons"]}


def check_pair(
    session: Session,
    mentee: Participant,
    mentor: Participant,
    *,
    moving_from: int | None = None,
    override_same_org: bool = False,
    context: RuleContext | None = None,
) -> bool:
    """Raise :class:`RuleBrokenError` if a hard rule forbids the pair; True when the override was needed."""
    if mentee.cohort_id != mentor.cohort_id:
        raise UserError(f"{mentee.full_name} and {mentor.full_name} are in different cohorts.")
    ctx = context or RuleContext.load_from(session, mentee.cohort_id)
    found = violations(
        ParticipantData.from_model(mentee), ParticipantData.from_model(mentor), ctx, moving_from=moving_from
    )
    if not found:
        return False
    broken = RuleBrokenError(found[0].message if len(found) == 1 else "; ".join(v.message for v in found), found)
    if broken.overridable and override_same_org:
        return True
    raise broken


# -- actions -----------------------------------------------------------------


def _describe(m: Match) -> str:
    return f"{m.mentee.full_name} (#{m.mentee_id}) with {m.mentor.full_name} (#{m.mentor_id})"


def create_match(
    session: Session,
    mentee_id: int,
    mentor_id: int,
    *,
    override_same_org: bool = False,
    score: PairScore | StoredScore | None = None,
    context: RuleContext | None = None,
    tracker: _Tracker | None = None,
) -> MatchChange | None:
    """Propose a match; refuses a pair that breaks a hard rule (see :func:`check_pair`)."""
    mentee, mentor = _participant(session, mentee_id), _participant(session, mentor_id)
    existing = current_match_of(session, mentee_id)
    if existing is not None:
        raise UserError(
            f"{mentee.full_name} is already matched with {existing.mentor.full_name}; move or remove that match first."
        )
    overridden = check_pair(session, mentee, mentor, override_same_org=override_same_org, context=context)
    pair_score = score or score_pair(session, mentee, mentor)
    own = tracker is None
    tracker = tracker or _Tracker(session, mentee.cohort_id)
    m = Match(
        cohort_id=mentee.cohort_id,
        mentee_id=mentee.id,
        mentor_id=mentor.id,
        status="proposed",
        override_same_org=overridden,
        **_score_fields(pair_score),
    )
    session.add(m)
    session.flush()
    tracker.created("match", m.id)
    if context is not None:
        context.load[mentor.id] = context.load.get(mentor.id, 0) + 1
        context.current[mentee.id] = mentor.id
    note = " (same organisation, confirmed by the coordinator)" if overridden else ""
    audit.record(
        session, "match proposed", _describe(m) + note, cohort_id=m.cohort_id, entity_type="match", entity_id=m.id
    )
    return tracker.finish(f"Match {mentee.full_name} with {mentor.full_name}") if own else None


def _ensure_unlocked(m: Match, doing: str) -> None:
    if m.locked:
        raise UserError(f"The match of {m.mentee.full_name} is locked; unlock it before you {doing}.")


def move_match(
    session: Session,
    match_id: int,
    mentor_id: int,
    *,
    expected_version: int | None = None,
    override_same_org: bool = False,
    score: PairScore | StoredScore | None = None,
) -> MatchChange:
    """Give the mentee another mentor; the match becomes a proposal again with a fresh score."""
    m = _match(session, match_id, expected_version)
    if m.mentor_id == mentor_id:
        raise UserError(f"{m.mentee.full_name} is already matched with {m.mentor.full_name}.")
    if m.status not in ("proposed", "confirmed"):
        raise UserError(
            f"The match of {m.mentee.full_name} is {MATCH_STATUS_LABELS[m.status].lower()}; "
            "only proposed or confirmed matches can be moved."
        )
    _ensure_unlocked(m, "move it")
    mentor = _participant(session, mentor_id)
    overridden = check_pair(session, m.mentee, mentor, moving_from=m.mentor_id, override_same_org=override_same_org)
    pair_score = score or score_pair(session, m.mentee, mentor)
    tracker = _Tracker(session, m.cohort_id)
    tracker.touch("match", m.id)
    old_name = m.mentor.full_name
    m.mentor_id = mentor.id
    m.mentor = mentor
    m.status = "proposed"
    fields = _score_fields(pair_score)
    m.score, m.reasons = fields["score"], fields["reasons"]
    m.override_same_org = overridden
    session.flush()
    audit.record(
        session,
        "match moved",
        f"{_describe(m)}, moved from {old_name}",
        cohort_id=m.cohort_id,
        entity_type="match",
        entity_id=m.id,
    )
    return tracker.finish(f"Move {m.mentee.full_name} to {mentor.full_name}")


def unmatch(session: Session, match_id: int, *, expected_version: int | None = None) -> MatchChange:
    """Remove a proposed or confirmed match; the mentee is unmatched again."""
    m = _match(session, match_id, expected_version)
    if m.status not in ("proposed", "confirmed"):
        raise UserError(
            f"The match of {m.mentee.full_name} is {MATCH_STATUS_LABELS[m.status].lower()}; "
            "end it early instead of removing it."
        )
    _ensure_unlocked(m, "remove it")
    tracker = _Tracker(session, m.cohort_id)
    tracker.touch("match", m.id)
    description = _describe(m)
    name = m.mentee.full_name
    session.delete(m)
    session.flush()
    audit.record(session, "match removed", description, cohort_id=m.cohort_id, entity_type="match", entity_id=m.id)
    return tracker.finish(f"Unmatch {name}")


def set_status(
    session: Session,
    match_id: int,
    status: str,
    *,
    reason: str = "",
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> MatchChange:
    """Move a match through its lifecycle: confirm, mark active, complete, end early (with a reason)."""
    if status not in MATCH_STATUSES:
        raise UserError(f"'{status}' is not a match status; use one of {', '.join(MATCH_STATUSES)}.")
    m = _match(session, match_id, expected_version)
    allowed = TRANSITIONS.get(status, ())
    label = MATCH_STATUS_LABELS[status].lower()
    if m.status not in allowed:
        raise UserError(
            f"The match of {m.mentee.full_name} is {MATCH_STATUS_LABELS[m.status].lower()}, "
            f"so it cannot become {label}."
        )
    reason = " ".join(reason.split())
    if status == "ended_early" and not reason:
        raise UserError("Say why the match ended early.")
    if len(reason) > 500:
        raise UserError("The reason is too long: at most 500 characters.")
    day = today or dt.date.today()
    tracker = _Tracker(session, m.cohort_id)
    tracker.touch("match", m.id)
    m.status = status
    if status == "active" and m.started_on is None:
        m.started_on = day
    if status in ("completed", "ended_early"):
        m.ended_on = day
        if m.started_on is None:
            m.started_on = day if status == "completed" else None
    if status == "ended_early":
        m.end_reason = reason
    session.flush()
    audit.record(
        session,
        f"match {label}",
        _describe(m) + (f": {reason}" if status == "ended_early" else ""),
        cohort_id=m.cohort_id,
        entity_type="match",
        entity_id=m.id,
    )
    verbs = {
        "confirmed": "Confirm",
        "active": "Mark active",
        "completed": "Complete",
        "ended_early": "End early",
        "proposed": "Unconfirm",
    }
    return tracker.finish(f"{verbs[status]}: {m.mentee.full_name} with {m.mentor.full_name}")


def set_locked(session: Session, match_id: int, locked: bool, *, expected_version: int | None = None) -> MatchChange:
    """Lock a match so that suggestions and moves leave it alone (or unlock it)."""
    m = _match(session, match_id, expected_version)
    tracker = _Tracker(session, m.cohort_id)
    tracker.touch("match", m.id)
    m.locked = locked
    session.flush()
    word = "locked" if locked else "unlocked"
    audit.record(session, f"match {word}", _describe(m), cohort_id=m.cohort_id, entity_type="match", entity_id=m.id)
    return tracker.finish(f"{'Lock' if locked else 'Unlock'} the match of {m.mentee.full_name}")


def exclude_pair(session: Session, mentee_id: int, mentor_id: int, *, reason: str = "") -> MatchChange:
    """Rule out a pair for good; a proposed match between them is removed with it."""
    mentee, mentor = _participant(session, mentee_id), _participant(session, mentor_id)
    if mentee.cohort_id != mentor.cohort_id:
        raise UserError(f"{mentee.full_name} and {mentor.full_name} are in different cohorts.")
    if mentee.id == mentor.id:
        raise UserError("A participant cannot be excluded from being matched with themself.")
    found = session.scalar(
        select(ExcludedPair).where(ExcludedPair.mentor_id == mentor_id, ExcludedPair.mentee_id == mentee_id)
    )
    if found is not None:
        raise UserError(f"{mentee.full_name} and {mentor.full_name} are already excluded as a pair.")
    tracker = _Tracker(session, mentee.cohort_id)
    current = current_match_of(session, mentee_id)
    if current is not None and current.mentor_id == mentor_id:
        if current.status != "proposed" or current.locked:
            raise UserError(
                f"{mentee.full_name} and {mentor.full_name} are matched ({MATCH_STATUS_LABELS[current.status].lower()}"
                f"{', locked' if current.locked else ''}); end or unlock that match before excluding the pair."
            )
        tracker.touch("match", current.id)
        session.delete(current)
    pair = ExcludedPair(cohort_id=mentee.cohort_id, mentor_id=mentor_id, mentee_id=mentee_id, reason=reason[:500])
    session.add(pair)
    session.flush()
    tracker.created("excluded_pair", pair.id)
    audit.record(
        session,
        "pair excluded",
        f"{mentee.full_name} (#{mentee.id}) never with {mentor.full_name} (#{mentor.id})",
        cohort_id=mentee.cohort_id,
        entity_type="excluded_pair",
        entity_id=pair.id,
    )
    return tracker.finish(f"Exclude {mentee.full_name} with {mentor.full_name}")


def confirm_all_proposed(session: Session, cohort_id: int) -> MatchChange:
    """Confirm every proposed match of the cohort (the board's and the command line's action)."""
    tracker = _Tracker(session, cohort_id)
    ids = list(session.scalars(select(Match.id).where(Match.cohort_id == cohort_id, Match.status == "proposed")))
    tracker.touch_many("match", ids)
    table = _TABLES["match"]
    for start in range(0, len(ids), _CHUNK):
        session.execute(
            update(table)
            .where(table.c.id.in_(ids[start : start + _CHUNK]), table.c.status == "proposed")
            .values(status="confirmed", version_id=table.c.version_id + 1, updated_at=utcnow())
        )
    session.expire_all()
    n = len(ids)
    audit.record(
        session,
        "matches confirmed",
        f"{n} proposed match{'es' if n != 1 else ''} confirmed",
        cohort_id=cohort_id,
        entity_type="cohort",
        entity_id=cohort_id,
    )
    return tracker.finish(f"Confirm {n} proposed match{'es' if n != 1 else ''}")


def accept_pairs(
    session: Session,
    cohort_id: int,
    pairs: Sequence[tuple[int, int]],
    scores: dict[tuple[int, int], PairScore | StoredScore] | None = None,
) -> MatchChange:
    """Create proposed matches for suggested (mentee, mentor) pairs, all or nothing.

    Thousands of pairs are checked in memory against the same rules as
    :func:`create_match` and written in one batch.
    """
    from mentorapp.matching.board import load_people

    tracker = _Tracker(session, cohort_id)
    people = load_people(session, cohort_id)
    context = RuleContext.load_from(session, cohort_id)
    scores = dict(scores or {})
    missing = [pair for pair in pairs if pair not in scores]
    if missing:
        scorer = cohort_scorer(session, cohort_id)
        scores.update({pair: scorer.score(*pair) for pair in missing})
    new: list[Match] = []
    for mentee_id, mentor_id in pairs:
        mentee, mentor = people.get(mentee_id), people.get(mentor_id)
        if mentee is None or mentor is None:
            raise ConflictError("A suggested participant was deleted by someone else; suggest matches again.")
        if mentee_id in context.current:
            raise UserError(f"{mentee.full_name} is already matched; suggest matches again.")
        found = violations(mentee, mentor, context)
        if found:
            raise RuleBrokenError("; ".join(v.message for v in found), found)
        context.load[mentor_id] = context.load.get(mentor_id, 0) + 1
        context.current[mentee_id] = mentor_id
        new.append(
            Match(
                cohort_id=cohort_id,
                mentee_id=mentee_id,
                mentor_id=mentor_id,
                status="proposed",
                override_same_org=False,
                **_score_fields(scores[(mentee_id, mentor_id)]),
            )
        )
    session.add_all(new)
    session.flush()
    for m in new:
        tracker.created("match", m.id)
    n = len(pairs)
    audit.record(
        session,
        "matches proposed",
        f"{n} suggested match{'es' if n != 1 else ''} accepted",
        cohort_id=cohort_id,
        entity_type="cohort",
        entity_id=cohort_id,
    )
    return tracker.finish(f"Accept {n} suggested match{'es' if n != 1 else ''}")


# -- undo and redo -------------------------------------------------------------


def _same(current: dict[str, Any] | None, expected: dict[str, Any] | None) -> bool:
    if current is None or expected is None:
        return current is None and expected is None
    if "version_id" in expected:
        return current.get("version_id") == expected["version_id"]
    return current == expected


def _put_rows(
    session: Session,
    change: MatchChange,
    expect: dict[RowKey, dict[str, Any] | None],
    target: dict[RowKey, dict[str, Any] | None],
) -> None:
    session.flush()
    current = _read_rows(session, target)
    if any(not _same(current[key], expect.get(key)) for key in target):
        raise ConflictError(
            "Someone else changed these matches since; the board has been reloaded and nothing was changed."
        )
    # Deletes first, then updates, then inserts, so one-current-match-per-mentee holds at every step.
    for name, table in _TABLES.items():
        gone = [key[1] for key, row in target.items() if key[0] == name and row is None and current[key] is not None]
        for start in range(0, len(gone), _CHUNK):
            session.execute(delete(table).where(table.c.id.in_(gone[start : start + _CHUNK])))
    for name, table in _TABLES.items():
        changed = [
            row for key, row in target.items() if key[0] == name and row is not None and current[key] is not None
        ]
        if changed:
            columns = [c.name for c in table.c if c.name != "id"]
            stmt = (
                update(table)
                .where(table.c.id == bindparam("row_id"))
                .values({c: bindparam(f"new_{c}") for c in columns})
            )
            session.execute(stmt, [{"row_id": r["id"], **{f"new_{c}": r[c] for c in columns}} for r in changed])
    for name, table in _TABLES.items():
        added = [row for key, row in target.items() if key[0] == name and row is not None and current[key] is None]
        if added:
            session.execute(insert(table), added)
    session.expire_all()


def undo_change(session: Session, change: MatchChange) -> None:
    """Put back the rows as they were before the action (same ids and versions)."""
    _put_rows(session, change, change.after, change.before)
    audit.record(session, "undo", change.description, cohort_id=change.cohort_id, entity_type="match")


def redo_change(session: Session, change: MatchChange) -> None:
    """Put the rows back as the action left them."""
    _put_rows(session, change, change.before, change.after)
    audit.record(session, "redo", change.description, cohort_id=change.cohort_id, entity_type="match")


# -- listing -------------------------------------------------------------------


@dataclass
class MatchRow:
    """One match as plain values for tables and ``matches --format json``."""

    id: int
    mentee_id: int
    mentee: str
    mentor_id: int
    mentor: str
    status: str
    score: float | None
    locked: bool
    override_same_org: bool
    end_reason: str
    created_at: dt.datetime
    started_on: dt.date | None
    ended_on: dt.date | None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "mentee_id": self.mentee_id,
            "mentee": self.mentee,
            "mentor_id": self.mentor_id,
            "mentor": self.mentor,
            "status": self.status,
            "score": self.score,
            "locked": self.locked,
            "override_same_org": self.override_same_org,
            "end_reason": self.end_reason,
            "created_on": self.created_at.date().isoformat() if self.created_at else None,
            "started_on": self.started_on.isoformat() if self.started_on else None,
            "ended_on": self.ended_on.isoformat() if self.ended_on else None,
        }


def list_matches(session: Session, cohort_id: int, status: str | Iterable[str] | None = None) -> list[MatchRow]:
    """The cohort's matches sorted by mentee name, optionally of some statuses only."""
    mentee, mentor = aliased(Participant), aliased(Participant)
    stmt = (
        select(Match, mentee.first_name, mentee.last_name, mentor.first_name, mentor.last_name)
        .join(mentee, Match.mentee_id == mentee.id)
        .join(mentor, Match.mentor_id == mentor.id)
        .where(Match.cohort_id == cohort_id)
        .order_by(mentee.last_name, mentee.first_name, Match.id)
    )
    if status is not None:
        stmt = stmt.where(Match.status.in_([status] if isinstance(status, str) else list(status)))
    rows = []
    for m, ef, el, rf, rl in session.execute(stmt):
        rows.append(
            MatchRow(
                id=m.id,
                mentee_id=m.mentee_id,
                mentee=f"{ef} {el}".strip(),
                mentor_id=m.mentor_id,
                mentor=f"{rf} {rl}".strip(),
                status=m.status,
                score=m.score,
                locked=bool(m.locked),
                override_same_org=bool(m.override_same_org),
                end_reason=m.end_reason or "",
                created_at=m.created_at,
                started_on=m.started_on,
                ended_on=m.ended_on,
            )
        )
    return rows


def table_state(session: Session, cohort_id: int) -> dict[str, list[dict[str, Any]]]:
    """Every match and excluded-pair row of a cohort, for comparing database states."""
    out: dict[str, list[dict[str, Any]]] = {}
    for name, table in _TABLES.items():
        rows = session.execute(select(table).where(table.c.cohort_id == cohort_id).order_by(table.c.id)).mappings()
        out[name] = [dict(r) for r in rows]
    return out


__all__ = [
    "END_REASONS",
    "MatchChange",
    "MatchRow",
    "RuleBrokenError",
    "StoredScore",
    "accept_pairs",
    "check_pair",
    "confirm_all_proposed",
    "create_match",
    "exclude_pair",
    "list_matches",
    "move_match",
    "redo_change",
    "score_pair",
    "set_locked",
    "set_status",
    "table_state",
    "undo_change",
    "unmatch",
]
