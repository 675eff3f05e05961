"""The one way to change a match: create, move, remove, lock, exclude, set a status, accept suggestions.

Every screen and command changes matches through this module; no other module
writes a match or an excluded pair. Before it writes, each action asks the
rule of :mod:`mentorapp.matching.checks` for that change (re-exported here, so
that the board asks the very same functions to mark a drop target or enable a
menu item): the rules are decided in one place.

Every action runs inside the caller's unit of work, records an audit event and
returns a :class:`~mentorapp.matching.changes.MatchChange`: the exact rows it
touched before and after. Undo writes the *before* rows back and redo the
*after* rows (same ids, same versions), after checking that nobody changed
those rows in the meantime, so the database always equals what the board
shows. Hard rules come from :mod:`mentorapp.matching.rules`; only the
same-organisation rule may be overridden, and the override is kept on the match.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, selectinload

from mentorapp.dates import long_date
from mentorapp.errors import ConflictError, UserError
from mentorapp.matching.changes import CHUNK, TABLES, MatchChange, Tracker
from mentorapp.matching.checks import (
    MOVABLE,
    TRANSITIONS,
    Refusal,
    RuleBrokenError,
    exclusion_refusal,
    lock_refusal,
    moving_refusal,
    pairing_refusal,
    removal_refusal,
    status_refusal,
)
from mentorapp.matching.queries import cohort_scorer, current_match_of, score_pair
from mentorapp.matching.rules import RuleContext
from mentorapp.matching.scoring import PairScore
from mentorapp.matching.undo import redo_change, undo_change
from mentorapp.people.exclusions import find_exclusion, new_exclusion
from mentorapp.people.participants import ParticipantData, list_participants, titled_name
from mentorapp.people.vocabulary import MATCH_STATUS_LABELS
from mentorapp.store import audit
from mentorapp.store.models import Cohort, Match, Participant, utcnow

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


@dataclass(frozen=True)
class StoredScore:
    """A score already computed elsewhere (the board's scorer, a suggestion): total plus reasons."""

    total: float
    reasons: tuple[dict[str, Any], ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"score": round(self.total, 4), "reasons": [dict(r) for r in self.reasons]}


def _allow(refusal: Refusal | None, *, override_same_org: bool = False) -> bool:
    """Raise the refusal's error; True when the same-organisation override was needed (and given)."""
    if refusal is None:
        return False
    if refusal.overridable and override_same_org:
        return True
    raise refusal.error()


# -- reading ---------------------------------------------------------------------------------


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
            f"The match of {titled_name(m.mentee)} was changed by someone else; the board has been reloaded."
        )
    return m


def _name_of(session: Session) -> Callable[[int], str]:
    return lambda pid: _participant(session, pid).full_name


def _score_fields(pair_score: PairScore | StoredScore) -> dict[str, Any]:
    return {"score": round(float(pair_score.total), 4), "reasons": pair_score.to_json()["reasons"]}


def _describe(m: Match) -> str:
    return f"{titled_name(m.mentee)} (#{m.mentee_id}) with {titled_name(m.mentor)} (#{m.mentor_id})"


# -- actions ---------------------------------------------------------------------------------


def create_match(
    session: Session,
    mentee_id: int,
    mentor_id: int,
    *,
    override_same_org: bool = False,
    score: PairScore | StoredScore | None = None,
) -> MatchChange:
    """Propose a match; refuses a pair that breaks a hard rule (see :func:`pairing_refusal`)."""
    mentee, mentor = _participant(session, mentee_id), _participant(session, mentor_id)
    rules = RuleContext.load_from(session, mentee.cohort_id)
    overridden = _allow(
        pairing_refusal(
            ParticipantData.from_model(mentee), ParticipantData.from_model(mentor), rules, mentor_name=_name_of(session)
        ),
        override_same_org=override_same_org,
    )
    pair_score = score or score_pair(session, mentee, mentor)
    tracker = Tracker(session, mentee.cohort_id)
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
    note = " (same organisation, confirmed by the coordinator)" if overridden else ""
    audit.record(
        session, "match proposed", _describe(m) + note, cohort_id=m.cohort_id, entity_type="match", entity_id=m.id
    )
    return tracker.finish(f"Match {titled_name(mentee)} with {titled_name(mentor)}")


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
    mentor = _participant(session, mentor_id)
    rules = RuleContext.load_from(session, m.cohort_id)
    overridden = _allow(
        pairing_refusal(ParticipantData.from_model(m.mentee), ParticipantData.from_model(mentor), rules, moving=m),
        override_same_org=override_same_org,
    )
    pair_score = score or score_pair(session, m.mentee, mentor)
    tracker = Tracker(session, m.cohort_id)
    tracker.touch("match", m.id)
    old_name = titled_name(m.mentor)
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
    return tracker.finish(f"Move {titled_name(m.mentee)} to {titled_name(mentor)}")


def unmatch(session: Session, match_id: int, *, expected_version: int | None = None) -> MatchChange:
    """Remove a proposed or confirmed match; the mentee is unmatched again."""
    m = _match(session, match_id, expected_version)
    _allow(removal_refusal(m, titled_name(m.mentee)))
    tracker = Tracker(session, m.cohort_id)
    tracker.touch("match", m.id)
    description = _describe(m)
    name = titled_name(m.mentee)
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
    """Move a match through its lifecycle: confirm, mark active, complete, end early (:func:`end_pair`)."""
    if status == "ended_early":  # one way to end a pair: with its reason, who ended it, and the exclusion
        return end_pair(session, match_id, reason=reason, today=today, expected_version=expected_version)
    m = _match(session, match_id, expected_version)
    _allow(status_refusal(m, status, titled_name(m.mentee)))
    day = today or dt.date.today()
    tracker = Tracker(session, m.cohort_id)
    tracker.touch("match", m.id)
    m.status = status
    if status == "active" and m.started_on is None:
        m.started_on = day
    if status == "completed":
        m.ended_on = day
        m.started_on = m.started_on or day
    session.flush()
    label = MATCH_STATUS_LABELS[status].lower()
    audit.record(session, f"match {label}", _describe(m), cohort_id=m.cohort_id, entity_type="match", entity_id=m.id)
    verbs = {"confirmed": "Confirm", "active": "Mark active", "completed": "Complete", "proposed": "Unconfirm"}
    return tracker.finish(f"{verbs[status]}: {titled_name(m.mentee)} with {titled_name(m.mentor)}")


def set_locked(session: Session, match_id: int, locked: bool, *, expected_version: int | None = None) -> MatchChange:
    """Lock a match so that suggestions and moves leave it alone (or unlock it)."""
    m = _match(session, match_id, expected_version)
    _allow(lock_refusal(m, titled_name(m.mentee)))
    tracker = Tracker(session, m.cohort_id)
    tracker.touch("match", m.id)
    m.locked = locked
    session.flush()
    word = "locked" if locked else "unlocked"
    audit.record(session, f"match {word}", _describe(m), cohort_id=m.cohort_id, entity_type="match", entity_id=m.id)
    return tracker.finish(f"{'Lock' if locked else 'Unlock'} the match of {titled_name(m.mentee)}")


def exclude_pair(session: Session, mentee_id: int, mentor_id: int, *, reason: str = "") -> MatchChange:
    """Rule out a pair for good; a proposed match between them is removed with it."""
    mentee, mentor = _participant(session, mentee_id), _participant(session, mentor_id)
    found = find_exclusion(session, mentor.person_id, mentee.person_id)
    current = current_match_of(session, mentee_id)
    between = current if current is not None and current.mentor_id == mentor_id else None
    _allow(
        exclusion_refusal(
            ParticipantData.from_model(mentee),
            ParticipantData.from_model(mentor),
            {(mentor_id, mentee_id)} if found is not None else set(),
            between,
        )
    )
    tracker = Tracker(session, mentee.cohort_id)
    if between is not None:
        tracker.touch("match", between.id)
        session.delete(between)
    pair = new_exclusion(mentor.person_id, mentee.person_id, cohort_id=mentee.cohort_id, reason=reason)
    session.add(pair)
    session.flush()
    tracker.created("excluded_pair", pair.id)
    audit.record(
        session,
        "pair excluded",
        f"{titled_name(mentee)} (#{mentee.id}) never with {titled_name(mentor)} (#{mentor.id})",
        cohort_id=mentee.cohort_id,
        entity_type="excluded_pair",
        entity_id=pair.id,
    )
    return tracker.finish(f"Exclude {titled_name(mentee)} with {titled_name(mentor)}")


def confirm_all_proposed(session: Session, cohort_id: int) -> MatchChange:
    """Confirm every proposed match of the cohort (the board's and the command line's action)."""
    tracker = Tracker(session, cohort_id)
    ids = list(session.scalars(select(Match.id).where(Match.cohort_id == cohort_id, Match.status == "proposed")))
    tracker.touch_many("match", ids)
    table = TABLES["match"]
    for start in range(0, len(ids), CHUNK):
        session.execute(
            update(table)
            .where(table.c.id.in_(ids[start : start + CHUNK]), table.c.status == "proposed")
            .values(status="confirmed", version_id=table.c.version_id + 1, updated_at=utcnow())
        )
    session.expire_all()
    n = len(ids)
    if n:  # nothing to do is no change: no log line (the board then adds no undo step)
        audit.record(
            session,
            "matches confirmed",
            f"{n} proposed match{'es' if n != 1 else ''} confirmed",
            cohort_id=cohort_id,
            entity_type="cohort",
            entity_id=cohort_id,
        )
    return tracker.finish(f"Confirm {n} proposed match{'es' if n != 1 else ''}")


def rescore_current_matches(session: Session, cohort_id: int) -> int:
    """Fresh scores and reasons for the cohort's proposed and confirmed matches; how many.

    For when the words they were scored on changed (a vocabulary edit, or its undo), so that
    the board and the roster show what the pair scores now. Active and ended matches keep the
    score they were made with.
    """
    statuses = ("proposed", "confirmed")
    stmt = select(Match).where(Match.cohort_id == cohort_id, Match.status.in_(statuses)).order_by(Match.id)
    matches = list(session.scalars(stmt))
    if not matches:
        return 0
    scorer = cohort_scorer(session, cohort_id)
    for m in matches:
        fields = _score_fields(scorer.score(m.mentee_id, m.mentor_id))
        m.score, m.reasons = fields["score"], fields["reasons"]
    session.flush()
    return len(matches)


def accept_suggestions(
    session: Session,
    cohort_id: int,
    pairs: Sequence[tuple[int, int]],
    scores: dict[tuple[int, int], PairScore | StoredScore] | None = None,
) -> MatchChange:
    """Store suggested (mentee, mentor) pairs as proposed matches, all or nothing.

    The board's Accept and Accept all and ``match --apply`` both come here.
    The rules are checked again against the database as it is now (in memory,
    so thousands of pairs take one batch), so a suggestion that went stale
    (the mentee was matched meanwhile, the mentor filled up, the pair was
    excluded) stops the whole change with a clear message and nothing is written.
    """
    tracker = Tracker(session, cohort_id)
    people = {p.id: p for p in list_participants(session, cohort_id)}
    rules = RuleContext.load_from(session, cohort_id)
    scores = dict(scores or {})
    missing = [pair for pair in pairs if pair not in scores]
    if missing:
        scorer = cohort_scorer(session, cohort_id)
        scores.update({pair: scorer.score(*pair) for pair in missing})
    new: list[Match] = []
    for mentee_id, mentor_id in pairs:
        mentee, mentor = people.get(mentee_id), people.get(mentor_id)
        if mentee is None or mentor is None:
            raise ConflictError("A suggested participant is no longer in this cohort; ask for new suggestions.")
        if mentee_id in rules.current:
            raise ConflictError(f"{titled_name(mentee)} already has a match now; ask for new suggestions.")
        refusal = pairing_refusal(mentee, mentor, rules)
        if refusal is not None:
            raise RuleBrokenError(f"{refusal.message} Ask for new suggestions.", list(refusal.violations))
        rules.load[mentor_id] = rules.load.get(mentor_id, 0) + 1
        rules.current[mentee_id] = mentor_id
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
        mentee, mentor = people[m.mentee_id], people[m.mentor_id]
        audit.record(
            session,
            "match proposed",
            f"{titled_name(mentee)} (#{mentee.id}) with {titled_name(mentor)} (#{mentor.id}), a suggestion accepted",
            cohort_id=cohort_id,
            entity_type="match",
            entity_id=m.id,
        )
    n = len(pairs)
    if n:
        audit.record(
            session,
            "matches proposed",
            f"{n} suggested match{'es' if n != 1 else ''} accepted",
            cohort_id=cohort_id,
            entity_type="cohort",
            entity_id=cohort_id,
        )
    return tracker.finish(f"Accept {n} suggested match{'es' if n != 1 else ''}")


# -- running the scheme: start, end early, complete ----------------------------------------------

ENDED_BY: tuple[str, ...] = ("mentee", "mentor", "coordinator")
STARTABLE: tuple[str, ...] = ("confirmed",)


def _cohort_or_error(session: Session, cohort_id: int) -> Cohort:
    cohort = session.get(Cohort, cohort_id)
    if cohort is None:
        raise UserError("The cohort no longer exists.")
    return cohort


def _set_many(session: Session, ids: list[int], **values: Any) -> None:
    """One UPDATE per chunk of match ids (their versions move on, as an ORM change would)."""
    table = TABLES["match"]
    for start in range(0, len(ids), CHUNK):
        session.execute(
            update(table)
            .where(table.c.id.in_(ids[start : start + CHUNK]))
            .values(version_id=table.c.version_id + 1, updated_at=utcnow(), **values)
        )
    session.expire_all()


def start_pairs(
    session: Session,
    cohort_id: int,
    on: dt.date,
    *,
    match_ids: Sequence[int] | None = None,
    letters_sent: bool = False,
) -> MatchChange:
    """Confirmed pairs become active, started on ``on``: the whole cohort's, or the chosen ones.
    With ``letters_sent``, a pair whose letter is not marked as sent yet is marked sent on ``on``.

    The cohort moves to "running" and remembers its first start day (the check-in schedule
    counts from it). Undo puts the pairs back as they were; the cohort's status stays.
    """
    cohort = _cohort_or_error(session, cohort_id)
    if match_ids is None:
        ids = list(session.scalars(select(Match.id).where(Match.cohort_id == cohort_id, Match.status == "confirmed")))
        if not ids:
            raise UserError(f"There are no confirmed pairs to start in '{cohort.name}'; confirm the matches first.")
    else:
        ids = sorted(set(match_ids))
        for m in session.scalars(select(Match).where(Match.id.in_(ids))):
            if m.cohort_id != cohort_id:
                raise UserError(f"The pair of {titled_name(m.mentee)} is not in '{cohort.name}'.")
            if m.status not in STARTABLE:
                raise UserError(
                    f"The pair of {titled_name(m.mentee)} is {MATCH_STATUS_LABELS[m.status].lower()}; "
                    "only confirmed pairs can be started."
                )
        if len(ids) != session.scalar(select(func.count()).select_from(Match).where(Match.id.in_(ids))):
            raise ConflictError("A chosen pair was removed by someone else; reload and try again.")
    tracker = Tracker(session, cohort_id)
    tracker.touch_many("match", ids)
    sent = TABLES["match"].c.letter_sent_on
    _set_many(
        session,
        ids,
        status="active",
        started_on=on,
        **({"letter_sent_on": func.coalesce(sent, on)} if letters_sent else {}),
    )
    running = dict((cohort.settings or {}).get("running") or {})
    if "started_on" not in running:
        running["started_on"] = on.isoformat()
    cohort.settings = {**(cohort.settings or {}), "running": running}
    if cohort.status in ("recruiting", "matching"):
        cohort.status = "running"
    n = len(ids)
    audit.record(
        session,
        "pairs started",
        f"{n} pair{'s' if n != 1 else ''} started on {long_date(on)}"
        + ("; letters not yet marked as sent marked as sent that day" if letters_sent else ""),
        cohort_id=cohort_id,
        entity_type="cohort",
        entity_id=cohort_id,
    )
    letters = ", their letters marked as sent" if letters_sent else ""
    return tracker.finish(f"Start {n} pair{'s' if n != 1 else ''} on {long_date(on)}{letters}")


def end_pair(
    session: Session,
    match_id: int,
    *,
    reason: str,
    ended_by: str = "coordinator",
    on: dt.date | None = None,
    today: dt.date | None = None,
    expected_version: int | None = None,
) -> MatchChange:
    """End a pair early: the reason is required, with who ended it and the day.

    The two people are never proposed to each other again (an exclusion of the pair of
    people, across cohorts); the mentee is free for a new mentor at once.
    """
    m = _match(session, match_id, expected_version)
    _allow(status_refusal(m, "ended_early", titled_name(m.mentee)))
    reason = " ".join(reason.split())
    if not reason:
        raise UserError("Say why the match ended early.")
    if len(reason) > 500:
        raise UserError("The reason is too long: at most 500 characters.")
    if ended_by not in ENDED_BY:
        raise UserError(f"'{ended_by}' is not who ended a pair; use one of {', '.join(ENDED_BY)}.")
    today = today or dt.date.today()
    day = on or today
    if day > today:
        raise UserError(f"The end date {long_date(day)} is in the future (today is {long_date(today)}).")
    if m.started_on is not None and day < m.started_on:
        raise UserError(f"The end date {long_date(day)} is before the pair started ({long_date(m.started_on)}).")
    tracker = Tracker(session, m.cohort_id)
    tracker.touch("match", m.id)
    m.status, m.ended_on, m.end_reason, m.ended_by, m.locked = "ended_early", day, reason, ended_by, False
    session.flush()
    if find_exclusion(session, m.mentee.person_id, m.mentor.person_id) is None:
        pair = new_exclusion(
            m.mentee.person_id, m.mentor.person_id, cohort_id=m.cohort_id, reason=f"Pair ended early: {reason}"
        )
        session.add(pair)
        session.flush()
        tracker.created("excluded_pair", pair.id)
    audit.record(
        session,
        "match ended early",
        f"{_describe(m)}, ended by the {ended_by} on {long_date(day)}: {reason}",
        cohort_id=m.cohort_id,
        entity_type="match",
        entity_id=m.id,
    )
    return tracker.finish(f"End early: {titled_name(m.mentee)} with {titled_name(m.mentor)}")


def complete_pairs(session: Session, cohort_id: int, *, on: dt.date | None = None) -> MatchChange:
    """Every active pair of the cohort completed, ended on the evaluation date (or ``on``)."""
    cohort = _cohort_or_error(session, cohort_id)
    day = on or cohort.evaluation_date
    ids = list(session.scalars(select(Match.id).where(Match.cohort_id == cohort_id, Match.status == "active")))
    tracker = Tracker(session, cohort_id)
    tracker.touch_many("match", ids)
    _set_many(session, ids, status="completed", ended_on=day)
    n = len(ids)
    if n:
        if cohort.status == "running":
            cohort.status = "evaluating"
        audit.record(
            session,
            "pairs completed",
            f"{n} active pair{'s' if n != 1 else ''} completed on {long_date(day)}",
            cohort_id=cohort_id,
            entity_type="cohort",
            entity_id=cohort_id,
        )
    return tracker.finish(f"Complete {n} pair{'s' if n != 1 else ''}")


__all__ = [
    "ENDED_BY",
    "END_REASONS",
    "MOVABLE",
    "TRANSITIONS",
    "MatchChange",
    "Refusal",
    "RuleBrokenError",
    "StoredScore",
    "accept_suggestions",
    "complete_pairs",
    "confirm_all_proposed",
    "create_match",
    "end_pair",
    "exclude_pair",
    "exclusion_refusal",
    "lock_refusal",
    "move_match",
    "moving_refusal",
    "pairing_refusal",
    "redo_change",
    "removal_refusal",
    "set_locked",
    "set_status",
    "start_pairs",
    "status_refusal",
    "undo_change",
    "unmatch",
]
