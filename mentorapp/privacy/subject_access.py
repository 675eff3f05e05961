"""Subject access: everything held about one email address, as JSON and as a readable PDF."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from mentorapp.dates import long_date
from mentorapp.errors import UserError
from mentorapp.outputs.files import atomic_paths
from mentorapp.people.exclusions import exclusions_of_person
from mentorapp.people.validation import FIELD_LABELS, normalise_email
from mentorapp.privacy.erase import find_by_email
from mentorapp.privacy.scrub import personal_strings
from mentorapp.store import audit
from mentorapp.store.models import (
    PERSON_FIELDS,
    AuditEvent,
    ChaseMark,
    CheckinAnswer,
    Cohort,
    EvaluationResponse,
    ExcludedPair,
    FormerValue,
    Match,
    Meeting,
    Person,
)
from mentorapp.store.paths import make_private_dir

# --- subject access ------------------------------------------------------------------------


def _iso(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    return value.isoformat() if isinstance(value, dt.date) else value


def _person_section(session: Session, person: Person) -> dict[str, Any]:
    """Who the person is, once: their details, earlier names and contacts, and the log entries about the record."""
    log = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.entity_type == "person", AuditEvent.entity_id == person.id)
        .order_by(AuditEvent.at, AuditEvent.id)
    )
    return {
        "person_id": person.id,
        **{name: _iso(getattr(person, name)) for name in PERSON_FIELDS},
        "created_at": _iso(person.created_at),
        "updated_at": _iso(person.updated_at),
        "cohorts": [m.cohort.name for m in sorted(person.memberships, key=lambda m: m.cohort.start_date)],
        "former_values": [
            {"value": f.value, "recorded_at": _iso(f.recorded_at)}
            for f in session.scalars(
                select(FormerValue).where(FormerValue.person_id == person.id).order_by(FormerValue.id)
            )
        ],
        "activity_log": [
            {"at": _iso(e.at), "user": e.os_user, "action": e.action, "description": e.description} for e in log
        ],
    }


def subject_access_data(session: Session, email: str) -> dict[str, Any]:
    """Everything held about the person with this email, as plain JSON-ready values.

    One section per person (``people``: normally one; two when a split left two records
    with one address), then one record per cohort membership (``records``), each naming its person_id.
    """
    from mentorapp.people.participants import ParticipantData

    people = find_by_email(session, email)
    if not people:
        raise UserError(f"No participant has the email address {normalise_email(email)}.")
    persons = {p.person_id: p.person for p in people}
    records = []
    for p in people:
        cohort = session.get(Cohort, p.cohort_id)
        details = ParticipantData.from_model(p).to_json()
        details.update(
            notes=p.notes,
            availability=p.availability,
            meeting_preference=p.meeting_preference,
            experience=p.experience,
            created_at=_iso(p.created_at),
            updated_at=_iso(p.updated_at),
        )
        matches = []
        for m in session.scalars(
            select(Match).where(or_(Match.mentor_id == p.id, Match.mentee_id == p.id)).order_by(Match.id)
        ):
            partner = m.mentor if m.mentee_id == p.id else m.mentee
            matches.append(
                {
                    "as": "mentee" if m.mentee_id == p.id else "mentor",
                    "partner": partner.full_name,
                    "partner_person_id": partner.person_id,
                    "status": m.status,
                    "score": m.score,
                    "reasons": m.reasons,
                    "started_on": _iso(m.started_on),
                    "ended_on": _iso(m.ended_on),
                    "end_reason": m.end_reason,
                    "letter_sent_on": _iso(m.letter_sent_on),
                    "match_id": m.id,
                }
            )
        running = _running_months(session, p.id, {m["match_id"]: m["partner"] for m in matches})
        exclusions = [
            {"reason": x.reason, "created_at": _iso(x.created_at)}
            for x in session.scalars(select(ExcludedPair).where(exclusions_of_person(p.person_id)))
        ]
        evaluations = [
            {
                "stage": r.stage,
                "role": r.role,
                "submitted_on": _iso(r.submitted_on),
                "answers": {
                    a.item_key: a.value_text if a.value_text is not None else a.value_int
                    for a in sorted(r.answers, key=lambda a: a.item_key)
                },
            }
            for r in session.scalars(
                select(EvaluationResponse)
                .where(EvaluationResponse.participant_id == p.id)
                .options(selectinload(EvaluationResponse.answers))
                .order_by(EvaluationResponse.stage)
            )
        ]
        needles = personal_strings(session, p)
        conditions = [func.lower(AuditEvent.description).contains(n.lower()) for n in needles]
        conditions.append((AuditEvent.entity_type == "participant") & (AuditEvent.entity_id == p.id))
        log = [
            {"at": _iso(e.at), "user": e.os_user, "action": e.action, "description": e.description}
            for e in session.scalars(select(AuditEvent).where(or_(*conditions)).order_by(AuditEvent.at, AuditEvent.id))
        ]
        records.append(
            {
                "person_id": p.person_id,
                "cohort": {"id": cohort.id, "name": cohort.name} if cohort else None,
                "participant": details,
                "matches": matches,
                "excluded_pairs": exclusions,
                "evaluations": evaluations,
                **running,
                "activity_log": log,
                "former_values": [
                    {"value": f.value, "recorded_at": _iso(f.recorded_at)}
                    for f in session.scalars(
                        select(FormerValue).where(FormerValue.person_id == p.person_id).order_by(FormerValue.id)
                    )
                ],
            }
        )
    return {
        "email": normalise_email(email),
        "generated_at": dt.datetime.now().isoformat(timespec="seconds"),
        "people": [_person_section(session, person) for _pid, person in sorted(persons.items())],
        "records": records,
    }


def _running_months(session: Session, participant_id: int, partners: dict[int, str]) -> dict[str, list]:
    """What the months between the letters and the evaluation left about the person: the meetings of
    their pairs (with the coordinator's notes), their own check-in answers, the reminders sent to them."""
    meetings = [
        {
            "partner": partners.get(m.match_id, ""),
            "held_on": _iso(m.held_on),
            "minutes": m.minutes,
            "way": m.mode,
            "reported_by": m.reported_by,
            "note": m.note,
        }
        for m in session.scalars(
            select(Meeting).where(Meeting.match_id.in_(list(partners))).order_by(Meeting.held_on, Meeting.id)
        )
    ]
    checkins = [
        {
            "partner": partners.get(a.match_id, ""),
            "check_in_of": _iso(a.checkpoint_on),
            "answered_on": _iso(a.submitted_on),
            "met": a.met,
            "times_met": a.times,
            "how_it_is_going": a.rating,
            "asked_to_be_contacted": a.wants_contact,
            "comment": a.comment,
        }
        for a in session.scalars(
            select(CheckinAnswer)
            .where(CheckinAnswer.participant_id == participant_id)
            .order_by(CheckinAnswer.checkpoint_on, CheckinAnswer.id)
        )
    ]
    reminders = [
        {"about": c.about, "sent_on": _iso(c.sent_on)}
        for c in session.scalars(
            select(ChaseMark).where(ChaseMark.participant_id == participant_id).order_by(ChaseMark.sent_on)
        )
    ]
    return {"meetings": meetings, "check_ins": checkins, "reminders": reminders}


def subject_access_paths(output: Path | str) -> tuple[Path, Path]:
    """``report.pdf`` or ``report.json`` or ``report`` -> (report.json, report.pdf)."""
    out = Path(output).expanduser()
    base = out.with_suffix("") if out.suffix.lower() in (".json", ".pdf") else out
    return base.with_name(base.name + ".json"), base.with_name(base.name + ".pdf")


def write_subject_access(
    session: Session, email: str, output: Path | str, *, replace: bool = False
) -> tuple[Path, Path]:
    """Write the JSON and the readable PDF; records the export (ids only) in the activity log.

    ``session`` is a unit of work (the log line is committed with it). An export the
    log could not record (a database opened read-only) is refused before any file is written.
    Files of those names already there (an earlier export) are refused unless ``replace``.
    """
    data = subject_access_data(session, email)
    json_path, pdf_path = subject_access_paths(output)
    if json_path.parent.exists() and not json_path.parent.is_dir():
        raise UserError(f"{json_path.parent} is not a folder.")
    there = [p.name for p in (json_path, pdf_path) if p.exists() or p.is_symlink()]
    if there and not replace:
        raise UserError(
            f"{' and '.join(there)} already {'exist' if len(there) > 1 else 'exists'} in {json_path.parent} "
            f"(an earlier export?); choose another name, or replace {'them' if len(there) > 1 else 'it'} "
            "(--replace on the command line)."
        )
    audit.check_export_allowed(session)
    make_private_dir(json_path.parent)
    # Both files or neither: owner-only temporary files, moved into place once both are complete.
    with atomic_paths([json_path, pdf_path]) as (json_tmp, pdf_tmp):
        json_tmp.write_bytes(json.dumps(data, indent=2, ensure_ascii=False).encode("utf-8"))
        pdf_tmp.write_bytes(subject_access_pdf(data))
    ids = ", ".join(f"#{r['participant']['id']}" for r in data["records"])
    persons = ", ".join(f"#{p['person_id']}" for p in data["people"])
    audit.record(
        session,
        "personal data exported",
        f"Subject access export for person {persons} (participant {ids})",
        entity_type="participant",
        entity_id=data["records"][0]["participant"]["id"],
    )
    return json_path, pdf_path


def _answer_text(key: str, value: Any) -> tuple[str, str]:
    """An evaluation answer as the person would recognise it: the question's label and a readable value."""
    try:
        from mentorapp.evaluation.instrument import ITEMS_BY_KEY, SCALE_MAX
    except ImportError:
        return key, "" if value is None else str(value)
    item = ITEMS_BY_KEY.get(key)
    if item is None:
        return key, "" if value is None else str(value)
    if item.kind == "yesno" and value in (0, 1, True, False):
        return item.label, "Yes" if value else "No"
    if item.kind == "scale" and isinstance(value, int):
        return item.label, f"{value} of {SCALE_MAX}"
    return item.label, "" if value is None else str(value)


# The person's page shows answers the same way.
answer_text = _answer_text


def subject_access_pdf(data: dict[str, Any]) -> bytes:
    """A readable PDF of :func:`subject_access_data`; every user text escaped."""
    import io

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from mentorapp.outputs.pdf_fonts import BOLD, REGULAR, markup, register_fonts
    from mentorapp.people.vocabulary import MATCH_STATUS_LABELS

    register_fonts()
    base = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=base["BodyText"], fontName=REGULAR, fontSize=9.5, leading=12.5)
    small = ParagraphStyle("small", parent=body, fontSize=8.5, leading=11)
    h1 = ParagraphStyle("h1", parent=base["Heading1"], fontName=BOLD, fontSize=16, spaceAfter=6)
    h2 = ParagraphStyle("h2", parent=base["Heading2"], fontName=BOLD, fontSize=12.5, spaceBefore=10, spaceAfter=4)
    h3 = ParagraphStyle("h3", parent=base["Heading3"], fontName=BOLD, fontSize=10.5, spaceBefore=6, spaceAfter=2)

    def para(text: Any, style: ParagraphStyle = body, *, raw: bool = False) -> Paragraph:
        """``raw`` text is markup built here from already escaped parts."""
        return Paragraph(text if raw else markup("" if text is None else text), style)

    def table(rows: list[list[Any]], widths: list[float], header: bool = False) -> Table:
        cells = [[para(v, small) for v in row] for row in rows]
        t = Table(cells, colWidths=widths, repeatRows=1 if header else 0)
        style = [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#d0d4da")),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ]
        if header:
            style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef1f5")))
        t.setStyle(TableStyle(style))
        return t

    width = A4[0] - 36 * mm
    story: list[Any] = [
        para("Personal data held by mentorapp", h1),
        para(f"Subject access request for {data['email']}, prepared {data['generated_at'].replace('T', ' ')}."),
        para(
            "This document lists everything the mentoring scheme's database holds about this person: "
            "their details in each cohort, their matches, the meetings of their pairs, their check-in answers, "
            "the reminders sent to them, their evaluation answers and the entries of the activity log that "
            "concern them."
        ),
    ]
    # The shared field labels, with a few that read better in a letter to the person.
    labels = {
        **FIELD_LABELS,
        "capacity": "Capacity (mentees)",
        "consent": "Consent to data processing",
        "notes": "Coordinator's notes",
        "created_at": "Record created",
        "updated_at": "Last changed",
    }
    for person_section in data.get("people", []):
        story.append(para(f"Person #{person_section['person_id']}", h2))
        rows = [
            [labels.get(key, key), "Yes" if value is True else "No" if value is False else value]
            for key, value in person_section.items()
            if key in PERSON_FIELDS and (value not in (None, "") or key == "consent")
        ]
        rows.append(["Cohorts", ", ".join(person_section["cohorts"])])
        story.append(table(rows, [45 * mm, width - 45 * mm]))
        if person_section["former_values"]:
            story.append(para("Earlier names and contact details", h3))
            for f in person_section["former_values"]:
                story.append(para(f"{f['value']} (until {str(f['recorded_at'])[:10]})"))
        if person_section["activity_log"]:
            story.append(para("Changes to the person record (merges and splits)", h3))
            for e in person_section["activity_log"]:
                story.append(para(f"{e['at'][:16]} {e['action']}: {e['description']}", small))
    for record in data["records"]:
        cohort = record["cohort"] or {"name": "(no cohort)"}
        person = record["participant"]
        story.append(para(f"Cohort: {cohort['name']}", h2))
        rows = []
        long_texts = []
        for key, label in labels.items():
            value = person.get(key)
            if key in ("goals", "expertise"):
                continue  # shown below, each goal and area on its own
            if value in (None, "") and key not in ("consent",):
                continue
            if isinstance(value, bool):
                value = "Yes" if value else "No"
            if isinstance(value, str) and (len(value) > 200 or "\n" in value):
                long_texts.append((label, value))  # free text gets paragraphs that can break across pages
            else:
                rows.append([label, value])
        story.append(table(rows, [45 * mm, width - 45 * mm]))
        for label, value in long_texts:
            story.append(para(label, h3))
            story.append(para(value))
        if person.get("goals"):
            story.append(para("Goals", h3))
            for g in person["goals"]:
                tags = f" [{', '.join(g['focus_areas'])}]" if g["focus_areas"] else ""
                story.append(para(f"{g['horizon'].capitalize()} term{tags}:", small))
                story.append(para(g["text"] or "(no text)"))
        if person.get("expertise"):
            story.append(para("Expertise", h3))
            story.append(
                table(
                    [["Focus area", "Years"]] + [[e["focus_area"], e["years"]] for e in person["expertise"]],
                    [width - 30 * mm, 30 * mm],
                    header=True,
                )
            )
        story.append(para("Matches", h3))
        if record["matches"]:
            story.append(
                table(
                    [["As", "Partner", "Status", "Started", "Ended", "Reason ended"]]
                    + [
                        [
                            m["as"],
                            m["partner"],
                            MATCH_STATUS_LABELS.get(m["status"], m["status"]),
                            m["started_on"],
                            m["ended_on"],
                            m["end_reason"],
                        ]
                        for m in record["matches"]
                    ],
                    [18 * mm, 42 * mm, 25 * mm, 22 * mm, 22 * mm, width - 129 * mm],
                    header=True,
                )
            )
        else:
            story.append(para("None."))
        story.append(para("Pairs the coordinator ruled out", h3))
        if record["excluded_pairs"]:
            for x in record["excluded_pairs"]:
                story.append(para(f"{x['created_at'][:10]}: {x['reason'] or '(no reason given)'}"))
        else:
            story.append(para("None."))
        story.append(para("Evaluation answers", h3))
        if record["evaluations"]:
            for ev in record["evaluations"]:
                story.append(para(f"{ev['stage'].replace('_', ' ').capitalize()} (answered as {ev['role']})", small))
                for key, value in ev["answers"].items() or [("(no answers)", "")]:
                    label, shown = _answer_text(key, value)
                    story.append(para(f"<b>{markup(label)}</b>: {markup(shown)}", body, raw=True))
        else:
            story.append(para("None."))
        _running_story(story, record, para, table, h3, width, mm)
        if record.get("former_values") and not data.get("people"):
            story.append(para("Earlier names and contact details", h3))
            for f in record["former_values"]:
                story.append(para(f"{f['value']} (until {str(f['recorded_at'])[:10]})"))
        story.append(para("Activity log entries", h3))
        if record["activity_log"]:
            story.append(
                table(
                    [["When", "By", "What", "Description"]]
                    + [
                        [e["at"].replace("T", " ")[:16], e["user"], e["action"], e["description"]]
                        for e in record["activity_log"]
                    ],
                    [30 * mm, 22 * mm, 32 * mm, width - 84 * mm],
                    header=True,
                )
            )
        else:
            story.append(para("None."))
        story.append(Spacer(1, 4 * mm))
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title="Subject access export",
        author="mentorapp",
    )
    doc.build(story)
    return buffer.getvalue()


def _running_story(story: list[Any], record: dict[str, Any], para, table, h3, width: float, mm: float) -> None:
    """The PDF's part for the months between letters and evaluation (older exports have none of it)."""

    def day(value: str | None) -> str:
        return long_date(dt.date.fromisoformat(value)) if value else ""

    def word(value: str | None) -> str:
        return (value or "").replace("-", " ").capitalize()

    def yes_no(value: bool | None) -> str:
        return "" if value is None else "Yes" if value else "No"

    if record.get("meetings"):
        story.append(para("Meetings of their pairs", h3))
        rows = [["Partner", "Met on", "Minutes", "Way", "Told by", "Coordinator's note"]] + [
            [m["partner"], day(m["held_on"]), m["minutes"] or "", word(m["way"]), word(m["reported_by"]), m["note"]]
            for m in record["meetings"]
        ]
        widths = [34 * mm, 32 * mm, 19 * mm, 20 * mm, 24 * mm]
        story.append(table(rows, [*widths, width - sum(widths)], header=True))
    if record.get("check_ins"):
        story.append(para("Check-in answers", h3))
        rows = [["Check-in of", "About", "Met", "Times", "Going (1-5)", "Contact me", "Comment"]] + [
            [
                day(c["check_in_of"]),
                c["partner"],
                yes_no(c["met"]),
                "" if c["times_met"] is None else c["times_met"],
                c["how_it_is_going"] or "",
                yes_no(c["asked_to_be_contacted"]),
                c["comment"],
            ]
            for c in record["check_ins"]
        ]
        widths = [30 * mm, 32 * mm, 11 * mm, 15 * mm, 19 * mm, 19 * mm]
        story.append(table(rows, [*widths, width - sum(widths)], header=True))
    if record.get("reminders"):
        # Here, not at the top: the templates bring the letter machinery, which `log` and friends never need.
        from mentorapp.running.chase_templates import TOPIC_LABELS

        story.append(para("Reminders sent to them", h3))
        for r in record["reminders"]:
            story.append(para(f"{day(r['sent_on'])}: {TOPIC_LABELS.get(r['about'], r['about'])}"))
