"""Commands: demo, cohorts, cohorts add, participants."""

from __future__ import annotations

import argparse
import datetime as dt

from mentorapp.cli import people, vocabulary, weights
from mentorapp.cli.collector import collector_paused
from mentorapp.cli.output import RAW_HELP, print_csv, print_json, print_table
from mentorapp.cli.values import MAX_ID, date_value, whole_number
from mentorapp.demo.cohort import DEFAULT_NAME, create_demo
from mentorapp.errors import UsageError
from mentorapp.people.cohorts import CohortData, create_cohort, find_cohort, list_cohorts, participant_counts
from mentorapp.people.participants import expertise_label, list_participants
from mentorapp.people.vocabulary import ROLE_LABELS
from mentorapp.store import audit

# The demo makes up to this many mentees and as many mentors: enough to try a society's size.
DEMO_MAX_PEOPLE = 20_000


def register(commands: argparse._SubParsersAction, exports: argparse._SubParsersAction) -> None:
    demo = commands.add_parser("demo", help="create a realistic demo cohort")
    demo.add_argument("--cohort", default=DEFAULT_NAME, help=f"cohort name (default: {DEFAULT_NAME!r})")
    demo.add_argument("--mentees", type=whole_number(0, DEMO_MAX_PEOPLE), default=24)
    demo.add_argument("--mentors", type=whole_number(0, DEMO_MAX_PEOPLE), default=16)
    demo.add_argument("--seed", type=whole_number(0, MAX_ID), default=2021)
    demo.add_argument(
        "--with-evaluations", action="store_true", help="also add matches and baseline and six-month evaluations"
    )
    demo.add_argument(
        "--running",
        action="store_true",
        help="also start the pairs and fill in the first 80 days: meetings, check-ins, pairs at risk",
    )
    demo.set_defaults(func=run_demo)

    cohorts = commands.add_parser("cohorts", help="list cohorts, add one, or edit a cohort's vocabulary")
    cohorts.add_argument("--format", choices=("table", "json"), default="table")
    cohorts.set_defaults(func=run_cohorts)
    cohort_cmds = cohorts.add_subparsers(dest="cohort_command", metavar="ACTION", parser_class=type(cohorts))
    add = cohort_cmds.add_parser("add", help="create a cohort")
    add.add_argument("name")
    add.add_argument("--start", type=date_value, default=None, help="start date YYYY-MM-DD (default: today)")
    add.add_argument(
        "--evaluation", type=date_value, default=None, help="evaluation date YYYY-MM-DD (default: start + 6 months)"
    )
    add.set_defaults(func=run_cohorts_add)
    vocabulary.register(cohort_cmds)
    weights.register(cohort_cmds)
    people.register_cohorts(cohort_cmds)

    parts = commands.add_parser("participants", help="list the participants of a cohort")
    parts.add_argument("--cohort", help="cohort name (may be left out when there is only one)")
    parts.add_argument("--role", choices=("mentor", "mentee"))
    parts.add_argument("--format", choices=("table", "csv", "json"), default="table")
    parts.add_argument("--raw", action="store_true", help=RAW_HELP)
    parts.set_defaults(func=run_participants)


def run_demo(ctx) -> int:
    with ctx.db.transaction() as s:
        result = create_demo(
            s, name=ctx.args.cohort, mentees=ctx.args.mentees, mentors=ctx.args.mentors, seed=ctx.args.seed
        )
        if getattr(ctx.args, "with_evaluations", False):
            from mentorapp.demo.evaluations import fill_demo_evaluations

            filled = fill_demo_evaluations(s, result.cohort_id, seed=ctx.args.seed)
            print(f"Added {filled.matches} matches and {filled.responses} evaluation responses.")
        elif getattr(ctx.args, "running", False):
            from mentorapp.demo.running import fill_demo_running

            run = fill_demo_running(s, result.cohort_id, seed=ctx.args.seed)
            print(
                f"Started {run.pairs} pairs and logged {run.meetings} meetings and {run.answers} check-in answers; "
                f"see the scheme in its third month with: dashboard --today {run.today.isoformat()}"
            )
    print(f"Created cohort '{result.cohort_name}' with {result.mentees} mentees and {result.mentors} mentors.")
    return 0


def run_cohorts(ctx) -> int:
    with ctx.db.session() as s:
        cohorts = list_cohorts(s)
        counts = participant_counts(s)
        if ctx.args.format == "json":  # size, match rate, completion, response rates, outcomes (issue 18)
            from mentorapp.evaluation.compare import cohort_overviews

            overview = {o.id: o.to_json() for o in cohort_overviews(s)}
    rows = []
    for c in cohorts:
        n = counts.get(c.id, {})
        rows.append(
            {
                "id": c.id,
                "name": c.name,
                "start_date": c.start_date.isoformat(),
                "evaluation_date": c.evaluation_date.isoformat(),
                "status": c.status,
                "mentees": n.get("mentee", 0) + n.get("both", 0),
                "mentors": n.get("mentor", 0) + n.get("both", 0),
            }
        )
    if ctx.args.format == "json":
        print_json([r | overview.get(r["id"], {}) for r in rows])
    elif not rows:
        print("No cohorts yet. Create one with 'cohorts add NAME' or try 'demo'.")
    else:
        keys = ("name", "start_date", "evaluation_date", "status", "mentees", "mentors")
        print_table(
            ("Name", "Start", "Evaluation", "Status", "Mentees", "Mentors"), [[r[k] for k in keys] for r in rows]
        )
    return 0


def run_cohorts_add(ctx) -> int:
    start = ctx.args.start or dt.date.today()
    with ctx.db.transaction() as s:
        cohort = create_cohort(s, CohortData(name=ctx.args.name, start_date=start, evaluation_date=ctx.args.evaluation))
        print(
            f"Created cohort '{cohort.name}' starting {cohort.start_date.isoformat()}, "
            f"evaluation {cohort.evaluation_date.isoformat()}."
        )
    return 0


PARTICIPANT_COLUMNS = (
    "id",
    "title",
    "first_name",
    "last_name",
    "email",
    "phone",
    "organisation",
    "job_title",
    "career_stage",
    "region",
    "membership_number",
    "role",
    "capacity",
    "consent",
)


MORE_PARTICIPANT_FIELDS = ("meeting_preference", "availability", "experience", "notes")


def _areas(p, listed: str | None) -> str:
    """The areas the list is about: a mentee's goals, a mentor's expertise; someone who is both shows
    the side listed (--role), or both sides, named."""
    wanted = ", ".join(p.goal_focus_areas())
    offered = ", ".join(e.focus_area for e in p.expertise)
    if p.role == "both" and listed is None:
        return "; ".join(part for part in (wanted and f"wants {wanted}", offered and f"offers {offered}") if part)
    return offered if p.is_mentor and (listed == "mentor" or not p.is_mentee) else wanted


def run_participants(ctx) -> int:
    with collector_paused():  # every participant of a cohort, maybe 10,000: see cli.collector
        return _run_participants(ctx)


def _run_participants(ctx) -> int:
    if ctx.args.raw and ctx.args.format != "csv":
        raise UsageError("participants: --raw goes with --format csv.")
    with ctx.db.session() as s:
        cohort = find_cohort(s, ctx.args.cohort)
        people = list_participants(s, cohort.id, ctx.args.role)
    # Every stored field: the stable keys first, then those the list had left out.
    data = [p.to_json() | {k: getattr(p, k) for k in MORE_PARTICIPANT_FIELDS} for p in people]
    if ctx.args.format in ("json", "csv"):
        # Machine-readable lists are exports of personal data: recorded in the activity log
        # before they are printed, or refused (a database opened read-only cannot record them).
        audit.check_export_allowed(ctx.db.engine)
        audit.record_export(
            ctx.db.engine,
            f"Participant list of '{cohort.name}' ({len(data)} people) as {ctx.args.format}",
            cohort_id=cohort.id,
        )
    if ctx.args.format == "json":
        print_json(data)
    elif ctx.args.format == "csv":
        print_csv(
            (*PARTICIPANT_COLUMNS, "goals", "expertise"),
            [
                [d[k] for k in PARTICIPANT_COLUMNS]
                + [
                    "; ".join(f"{g['horizon']}: {g['text']} [{', '.join(g['focus_areas'])}]" for g in d["goals"]),
                    "; ".join(expertise_label(e["focus_area"], e["years"]) for e in d["expertise"]),
                ]
                for d in data
            ],
            raw=ctx.args.raw,
        )
    else:
        if not data:
            print(f"No participants in '{cohort.name}' yet.")
            return 0
        print_table(
            ("Id", "Name", "Role", "Email", "Organisation", "Career stage", "Focus areas"),
            [
                [
                    p.id,
                    p.titled_name,
                    ROLE_LABELS.get(p.role, p.role),
                    p.email,
                    p.organisation,
                    p.career_stage,
                    _areas(p, ctx.args.role),
                ]
                for p in people
            ],
        )
    return 0
