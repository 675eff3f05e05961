"""Commands: ``matches`` lists a cohort's matches, ``confirm`` confirms every proposed one."""

from __future__ import annotations

import argparse

from sqlalchemy import select
from sqlalchemy.orm import Session

from mentorapp.cli.output import print_json, print_table
from mentorapp.matching.actions import confirm_all_proposed
from mentorapp.matching.queries import list_matches
from mentorapp.people.cohorts import find_cohort
from mentorapp.people.vocabulary import MATCH_STATUS_LABELS
from mentorapp.store.models import MATCH_STATUSES, Participant


def register(commands: argparse._SubParsersAction, exports: argparse._SubParsersAction) -> None:
    matches = commands.add_parser("matches", help="list the matches of a cohort")
    matches.add_argument("--cohort", help="cohort name (may be left out when there is only one)")
    matches.add_argument("--status", choices=MATCH_STATUSES, help="only matches with this status")
    matches.add_argument("--format", choices=("table", "json"), default="table")
    matches.set_defaults(func=run_matches)

    confirm = commands.add_parser("confirm", help="confirm every proposed match of a cohort")
    confirm.add_argument("--cohort", help="cohort name (may be left out when there is only one)")
    confirm.set_defaults(func=run_confirm)


def run_matches(ctx) -> int:
    with ctx.db.session() as s:
        cohort = find_cohort(s, ctx.args.cohort)
        rows = list_matches(s, cohort.id, ctx.args.status)
        emails = _emails(s, cohort.id) if ctx.args.format == "json" else {}
    if ctx.args.format == "json":
        print_json(
            [
                {**r.to_json(), "mentee_email": emails.get(r.mentee_id), "mentor_email": emails.get(r.mentor_id)}
                for r in rows
            ]
        )
        return 0
    if not rows:
        which = f"{MATCH_STATUS_LABELS[ctx.args.status].lower()} " if ctx.args.status else ""
        print(f"No {which}matches in '{cohort.name}' yet.")
        return 0
    print_table(
        ("Id", "Mentee", "Mentor", "Status", "Score", "Locked", "Created", "Started", "Ended"),
        [
            [
                r.id,
                r.mentee,
                r.mentor,
                MATCH_STATUS_LABELS[r.status] + (" (same org.)" if r.override_same_org else ""),
                "" if r.score is None else f"{r.score:.2f}",
                "yes" if r.locked else "",
                r.created_at.date().isoformat() if r.created_at else "",
                r.started_on.isoformat() if r.started_on else "",
                r.ended_on.isoformat() if r.ended_on else "",
            ]
            for r in rows
        ],
    )
    return 0


def _emails(session: Session, cohort_id: int) -> dict[int, str]:
    """Each participant's e-mail address by id, in one query."""
    return dict(
        session.execute(select(Participant.id, Participant.email).where(Participant.cohort_id == cohort_id)).all()
    )


def run_confirm(ctx) -> int:
    with ctx.db.transaction() as s:
        cohort = find_cohort(s, ctx.args.cohort)
        change = confirm_all_proposed(s, cohort.id)
        name = cohort.name
    n = len(change.match_ids)
    if n == 0:
        print(f"There were no proposed matches to confirm in '{name}'.")
    else:
        print(f"Confirmed {n} proposed match{'es' if n != 1 else ''} in '{name}'.")
    return 0
