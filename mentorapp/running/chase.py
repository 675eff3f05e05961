"""Chase e-mails: who to remind, one draft per person, and marking them as chased.

The lists (``about``): ``first-meeting`` (both sides of pairs flagged for no first meeting),
``check-in`` (people asked at the check-in due now who have not answered), ``evaluation``
(people of started pairs without an answer to the evaluation stage due: baseline before
the evaluation date, six-month from it) and ``at-risk`` (pairs at risk: both sides when
the pair has not met, only the person who answered for a low rating or a request for
contact, so nobody learns their partner's answer).

A draft (:class:`Draft`) is an RFC 5322 message (stdlib :mod:`email`, UTF-8) marked
``X-Unsent: 1`` so that Outlook opens it as a draft to send; other clients open it as a
message to edit. :func:`write_drafts` writes one ``.eml`` per person into a folder (all or
none), with the person's own form attached where the template asks for it (the caller
passes ``attach``: the check-in form here, an evaluation form from the evaluation wing).
:func:`mailto_url` opens one draft in the mail client; :func:`all_addresses` gives every
address for one blind-copy message. :func:`mark_chased` records the day people were chased
(undoable); the dashboard shows it.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formataddr
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mentorapp.dates import long_date
from mentorapp.errors import UserError
from mentorapp.matching.changes import MatchChange, Tracker
from mentorapp.outputs.files import folder_export, person_filename
from mentorapp.running.chase_templates import TOPIC_LABELS, ChaseTemplate, load_chase_template
from mentorapp.running.checkin_forms import form_bytes, form_filename
from mentorapp.running.checkins import Checkpoint, answered_at, asked_at, checkin_schedule, due_checkpoint
from mentorapp.running.flags import pairs_at_risk
from mentorapp.running.people import PersonRef, people_refs
from mentorapp.running.settings import Sender, load_running_settings, sender
from mentorapp.store import audit
from mentorapp.store.models import CHASE_TOPICS, ChaseMark, Cohort, EvaluationResponse, Match
from mentorapp.words import listing

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EVALUATED_STATUSES = ("active", "completed", "ended_early")


@dataclass(frozen=True)
class ChaseItem:
    """One person to chase, with their partner in the pair it is about."""

    person: PersonRef
    partner: PersonRef | None
    role: str  # their side: "mentee" or "mentor"
    match_id: int | None
    started_on: dt.date | None
    reason: str  # for the coordinator's list only, never in the draft
    last_chased: dt.date | None = None
    checkpoint: Checkpoint | None = None
    stage: str = ""  # evaluation stage for ``evaluation``
    partners: tuple[PersonRef, ...] = ()  # every partner the draft is about (a mentor may have two mentees)

    def to_json(self) -> dict[str, Any]:
        return {
            **self.person.to_json(),
            "role": self.role,
            "partner": self.partner.to_json() if self.partner else None,
            "partners": [p.to_json() for p in self.partners],
            "match_id": self.match_id,
            "reason": self.reason,
            "last_chased": self.last_chased.isoformat() if self.last_chased else None,
        }


def _check_about(about: str) -> None:
    if about not in CHASE_TOPICS:
        raise UserError(f"'{about}' is not a list to chase; use one of {', '.join(CHASE_TOPICS)}.")


def last_chased(session: Session, cohort_id: int, about: str | None = None) -> dict[int, dt.date]:
    """Per participant id: the last day they were chased (about one list, or any)."""
    stmt = select(ChaseMark.participant_id, func.max(ChaseMark.sent_on)).where(ChaseMark.cohort_id == cohort_id)
    if about is not None:
        stmt = stmt.where(ChaseMark.about == about)
    return dict(session.execute(stmt.group_by(ChaseMark.participant_id)).all())


def evaluation_stage(cohort: Cohort, today: dt.date) -> str:
    """The evaluation stage people are asked now: baseline before the evaluation date, six-month from it."""
    return "six_month" if today >= cohort.evaluation_date else "baseline"


def chase_list(session: Session, cohort_id: int, about: str, today: dt.date | None = None) -> list[ChaseItem]:
    """The people to chase about ``about`` as of ``today``, by name."""
    _check_about(about)
    today = today or dt.date.today()
    cohort = session.get(Cohort, cohort_id)
    if cohort is None:
        raise UserError("The cohort no longer exists.")
    raw: list[tuple[int, int | None, str, int | None, dt.date | None, str]] = []
    checkpoint, stage = None, ""
    if about in ("first-meeting", "at-risk"):
        for pair in pairs_at_risk(session, cohort_id, today):
            for flag in pair.flags:
                if about == "first-meeting" and flag.rule != "no_first_meeting":
                    continue
                sides = [flag.side] if flag.side else ["mentee", "mentor"]
                for side in sides:
                    me, other = (pair.mentee, pair.mentor) if side == "mentee" else (pair.mentor, pair.mentee)
                    raw.append((me.id, other.id, side, pair.match_id, pair.started_on, flag.text))
    elif about == "check-in":
        checkpoint = due_checkpoint(checkin_schedule(session, cohort_id), today)
        if checkpoint is not None:
            answered = answered_at(session, cohort_id, checkpoint.due_on)
            starts = dict(session.execute(select(Match.id, Match.started_on).where(Match.cohort_id == cohort_id)).all())
            for a in asked_at(session, cohort_id, checkpoint.due_on):
                if (a.participant_id, a.match_id) not in answered:
                    reason = f"No answer to the check-in of {long_date(checkpoint.due_on)}."
                    raw.append((a.participant_id, a.partner_id, a.role, a.match_id, starts.get(a.match_id), reason))
    else:
        stage = evaluation_stage(cohort, today)
        answered_ids = set(
            session.scalars(
                select(EvaluationResponse.participant_id).where(
                    EvaluationResponse.cohort_id == cohort_id, EvaluationResponse.stage == stage
                )
            )
        )
        label = "six-month" if stage == "six_month" else "baseline"
        rows = session.execute(
            select(Match.id, Match.mentee_id, Match.mentor_id, Match.started_on).where(
                Match.cohort_id == cohort_id, Match.status.in_(EVALUATED_STATUSES), Match.started_on.is_not(None)
            )
        )
        for mid, mentee_id, mentor_id, started in rows:
            for me, other, side in ((mentee_id, mentor_id, "mentee"), (mentor_id, mentee_id, "mentor")):
                if me not in answered_ids:
                    raw.append((me, other, side, mid, started, f"No answer to the {label} evaluation."))
    chased = last_chased(session, cohort_id, about)
    people = people_refs(session, [r[0] for r in raw] + [r[1] for r in raw if r[1] is not None])
    # A check-in or evaluation reminder goes once to each person (their form covers all their pairs);
    # the other lists are about one pair, so a person in two listed pairs gets one draft for each.
    per_person = about in ("check-in", "evaluation")
    items: dict[tuple[int, int | None], ChaseItem] = {}
    for pid, other, side, mid, started, reason in raw:
        key = (pid, None if per_person else mid)
        partner = people.get(other) if other else None
        found = items.get(key)
        if found is not None:  # a second flag of one pair, or a second pair of one person
            if partner is not None and partner not in found.partners:
                items[key] = replace(found, partners=(*found.partners, partner))
            continue
        items[key] = ChaseItem(
            people[pid], partner, side, mid, started, reason, chased.get(pid), checkpoint, stage,
            (partner,) if partner else (),
        )  # fmt: skip
    return sorted(items.values(), key=lambda i: (i.person.name.casefold(), i.person.id, i.match_id or 0))


@dataclass(frozen=True)
class Attachment:
    filename: str
    data: bytes
    mime: str = XLSX


@dataclass(frozen=True)
class Draft:
    """One e-mail to one person, ready to write as .eml or to open as a mailto: link."""

    item: ChaseItem
    sender: Sender
    subject: str
    body: str
    attachments: tuple[Attachment, ...] = ()

    def message(self) -> EmailMessage:
        """The RFC 5322 message: UTF-8, ``X-Unsent: 1`` so that Outlook opens it as a draft."""
        msg = EmailMessage(policy=SMTP)
        if self.sender.email:
            msg["From"] = formataddr((self.sender.name, self.sender.email))
        msg["To"] = formataddr((self.item.person.name, self.item.person.email))
        msg["Subject"] = self.subject
        msg["X-Unsent"] = "1"
        msg.set_content(self.body, charset="utf-8")
        for a in self.attachments:
            main, _, sub = a.mime.partition("/")
            msg.add_attachment(a.data, maintype=main, subtype=sub, filename=a.filename)
        return msg

    def eml_bytes(self) -> bytes:
        return self.message().as_bytes()


def template_values(cohort: Cohort, item: ChaseItem, who: Sender, first_meeting_weeks: int) -> dict[str, str]:
    """The placeholders of one draft: the person, their partner, the cohort, the sender; nothing else.

    Dates are written as in a letter ("1 September 2021"): the e-mail is read by the participant."""
    partners = item.partners or ((item.partner,) if item.partner else ())
    return {
        "recipient_first_name": item.person.first_name or item.person.name,
        "recipient_full_name": item.person.name,
        "recipient_role": item.role,
        "partner_first_name": listing([p.first_name or p.name for p in partners]),
        "partner_full_name": listing([p.name for p in partners]),
        "partner_email": ", ".join(p.email for p in partners),
        "cohort_name": cohort.name,
        "started_on": long_date(item.started_on) if item.started_on else "",
        "first_meeting_weeks": str(first_meeting_weeks),
        "checkin_date": long_date(item.checkpoint.due_on) if item.checkpoint else "",
        "evaluation_date": long_date(cohort.evaluation_date),
        "sender_name": who.name,
        "signature": who.signature,
    }


# Makes the attachment of one item, or None when there is no form for it.
AttachFn = Callable[[Session, ChaseItem], "Attachment | None"]


def checkin_attachment(session: Session, item: ChaseItem) -> Attachment | None:
    """The person's own check-in form for the check-in they are chased about."""
    if item.checkpoint is None:
        return None
    cohort_id = session.scalar(select(Match.cohort_id).where(Match.id == item.match_id))
    data = form_bytes(session, int(cohort_id or 0), item.person.id, item.checkpoint)
    return Attachment(form_filename(item.person.file_label, item.person.id, item.checkpoint), data)


def make_drafts(
    session: Session,
    cohort_id: int,
    about: str,
    items: Iterable[ChaseItem],
    *,
    template: ChaseTemplate | None = None,
    attach: AttachFn | None = None,
) -> list[Draft]:
    """One draft per person (a person in two pairs of the list gets one draft per pair)."""
    cohort = session.get(Cohort, cohort_id)
    if cohort is None:
        raise UserError("The cohort no longer exists.")
    template = template or load_chase_template(session, cohort_id, about)
    template.validate(about)
    who = sender(session, cohort_id)
    weeks = load_running_settings(session, cohort_id).first_meeting_weeks
    if attach is None and about == "check-in":
        attach = checkin_attachment
    drafts = []
    for item in items:
        subject, body = template.fill(template_values(cohort, item, who, weeks))
        files = ()
        if template.attach_form and attach is not None:
            made = attach(session, item)
            files = (made,) if made is not None else ()
        drafts.append(Draft(item, who, subject, body, files))
    return drafts


def write_drafts(
    session: Session,
    cohort_id: int,
    about: str,
    drafts: list[Draft],
    folder: str | os.PathLike[str],
    *,
    earlier: str = "refuse",
) -> list[Path]:
    """Write each draft as ``NAME ID.eml`` into ``folder``: all of them or none."""
    if not drafts:
        raise UserError(f"Nobody is on the list '{TOPIC_LABELS[about]}', so no e-mail was written.")
    ids = [d.item.person.id for d in drafts]
    once = len(set(ids)) == len(ids)  # one draft a person: the name and id name the file; else the pair too
    names = [
        person_filename(d.item.person.file_label, pid, ".eml", detail="" if once else f" pair {d.item.match_id}")
        for d, pid in zip(drafts, ids)
    ]
    audit.check_export_allowed(session)
    with folder_export(folder, names, earlier=earlier) as temps:
        for draft, tmp in zip(drafts, temps):
            tmp.write_bytes(draft.eml_bytes())
    audit.record_export(
        session,
        f"{len(drafts)} '{TOPIC_LABELS[about]}' e-mail drafts written to {Path(folder).name}",
        cohort_id=cohort_id,
    )
    return [Path(folder) / n for n in names]


def mailto_url(draft: Draft) -> str:
    """A mailto: link that opens the draft in the mail client (attachments cannot travel this way)."""
    query = f"subject={quote(draft.subject)}&body={quote(draft.body)}"
    return f"mailto:{quote(draft.item.person.email, safe='@')}?{query}"


def all_addresses(items: Iterable[ChaseItem]) -> str:
    """Every address once, separated by '; ', for one blind-copy message."""
    seen: dict[str, None] = {}
    for item in items:
        if item.person.email:
            seen.setdefault(item.person.email, None)
    return "; ".join(seen)


def mark_chased(
    session: Session, cohort_id: int, participant_ids: Iterable[int], about: str, sent_on: dt.date
) -> MatchChange:
    """Record that these people were chased about ``about`` on ``sent_on`` (undoable)."""
    _check_about(about)
    ids = sorted(set(participant_ids))
    tracker = Tracker(session, cohort_id)
    rows = [ChaseMark(cohort_id=cohort_id, participant_id=pid, about=about, sent_on=sent_on) for pid in ids]
    session.add_all(rows)
    session.flush()
    for row in rows:
        tracker.created("chase_mark", row.id)
    n = len(ids)
    audit.record(
        session,
        "chased",
        f"{n} {'person' if n == 1 else 'people'} chased about '{TOPIC_LABELS[about]}' on {long_date(sent_on)}",
        cohort_id=cohort_id,
        entity_type="cohort",
        entity_id=cohort_id,
    )
    return tracker.finish(f"Mark {n} {'person' if n == 1 else 'people'} as chased")


__all__ = [
    "Attachment",
    "ChaseItem",
    "Draft",
    "all_addresses",
    "chase_list",
    "checkin_attachment",
    "evaluation_stage",
    "last_chased",
    "mailto_url",
    "make_drafts",
    "mark_chased",
    "template_values",
    "write_drafts",
]
