"""Commands about people across cohorts: history, people merge, people split, cohorts create --from, demo-next-year.

history EMAIL_OR_ID [--format table|json]
people merge KEEP OTHER [--yes]          (email or person id each)
people split --membership PARTICIPANT_ID
cohorts create NAME --from EARLIER [--start D] [--evaluation D]
demo-next-year -o FILE.csv [--cohort PILOT] [--replace]
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from mentorapp.cli.output import REPLACE_HELP, print_json, print_table, refuse_existing
from mentorapp.cli.values import MAX_ID, date_value, whole_number
from mentorapp.errors import UsageError
from mentorapp.store import audit


def register(commands: argparse._SubParsersAction, exports: argparse._SubParsersAction) -> None:
    hist = commands.add_parser(
        "history", help="a person's every cohort: role, goals, pairs, outcome and evaluation answers"
    )
    hist.add_argument("who", metavar="EMAIL_OR_PERSON_ID")
    hist.add_argument("--format", choices=("table", "json"), default="table")
    hist.set_defaults(func=run_history)

    people = commands.add_parser("people", help="merge two records of one person, or split a wrong merge")
    people.set_defaults(func=lambda ctx: _missing(people))
    actions = people.add_subparsers(dest="people_command", metavar="ACTION", parser_class=type(people))
    merge = actions.add_parser(
        "merge",
        help="two person records of one person become one (refused if both are in one cohort)",
        description="The first keeps its name and contact details; the second's, where they differ, are kept as "
        "former values. Written to the activity log; 'people split' takes a membership apart again.",
    )
    merge.add_argument("keep", metavar="EMAIL_OR_ID", help="the record to keep (email or person id)")
    merge.add_argument("other", metavar="EMAIL_OR_ID", help="the record that becomes part of it")
    merge.set_defaults(func=run_merge)
    split = actions.add_parser("split", help="give one membership a person record of its own (a copy of the details)")
    split.add_argument(
        "--membership", required=True, type=whole_number(1, MAX_ID), metavar="PARTICIPANT_ID", help="the membership"
    )
    split.set_defaults(func=run_split)

    nxt = commands.add_parser(
        "demo-next-year",
        help="write the demo's second-year application form (returning and new applicants) as a CSV",
        description="Another form's wording, with people of the demo cohort applying again (some at a new "
        "organisation or in a new post, a former mentee now a mentor, one known email under a name spelled "
        "differently) and new applicants. Try: cohorts create 'Year 2' --from 'Future Leaders pilot', then "
        "import FILE --cohort 'Year 2' --dry-run.",
    )
    nxt.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.csv")
    nxt.add_argument("--cohort", help="the earlier cohort (may be left out when there is only one)")
    nxt.add_argument("--seed", type=whole_number(0, MAX_ID), default=2022)
    nxt.add_argument("--replace", action="store_true", help=REPLACE_HELP)
    nxt.set_defaults(func=run_next_year)


def register_cohorts(cohort_cmds: argparse._SubParsersAction) -> None:
    """``cohorts create NAME --from EARLIER``: a new cohort that starts from an earlier one."""
    create = cohort_cmds.add_parser(
        "create",
        help="create a cohort that takes over an earlier one's vocabulary, mappings, weights, criteria and templates",
    )
    create.add_argument("name")
    create.add_argument("--from", dest="earlier", required=True, metavar="EARLIER", help="the cohort to start from")
    create.add_argument("--start", type=date_value, default=None, help="start date YYYY-MM-DD (default: today)")
    create.add_argument(
        "--evaluation", type=date_value, default=None, help="evaluation date YYYY-MM-DD (default: start + 6 months)"
    )
    create.set_defaults(func=run_cohorts_create)


def _missing(parser: argparse.ArgumentParser) -> int:
    raise UsageError(f"{parser.prog}: say what to do; see '{parser.prog} --help'.")


def run_history(ctx) -> int:
    from mentorapp.people.history import outcome, person_history
    from mentorapp.people.merge import find_person

    with ctx.db.session() as s:
        person = find_person(s, ctx.args.who)
        data = person_history(s, person.id)
    # A person's history is personal data leaving the database: recorded (by id) before it is shown.
    audit.check_export_allowed(ctx.db.engine)
    audit.record_export(ctx.db.engine, f"History of person #{data['person_id']} shown ({ctx.args.format})")
    if ctx.args.format == "json":
        print_json(data)
        return 0
    print(f"{data['name']} <{data['email']}>, person #{data['person_id']}")
    rows = []
    for entry in data["cohorts"]:
        partners = "; ".join(f"{p['partner']['name']} ({p['partner']['email']})" for p in entry["pairs"]) or "-"
        goals = "; ".join(g["text"] for g in entry["goals"] if g["text"]) or "-"
        answered = ", ".join(e["stage"].replace("_", " ") for e in entry["evaluations"]) or "-"
        rows.append(
            [entry["cohort"]["name"], entry["role"], entry["organisation"], goals, partners, outcome(entry), answered]
        )
    print_table(("Cohort", "Role", "Organisation", "Goals", "Paired with", "Outcome", "Evaluation"), rows, 50)
    return 0


def run_merge(ctx) -> int:
    from mentorapp.people.merge import find_person, merge_people

    with ctx.db.transaction() as s:
        keep, other = find_person(s, ctx.args.keep), find_person(s, ctx.args.other)
        names = f"{other.full_name} <{other.email}> (#{other.id}) into {keep.full_name} <{keep.email}> (#{keep.id})"
        record = merge_people(s, keep.id, other.id)
    print(f"Merged {names}: {len(record.memberships)} membership(s) moved.")
    return 0


def run_split(ctx) -> int:
    from mentorapp.people.merge import split_membership

    with ctx.db.transaction() as s:
        record = split_membership(s, ctx.args.membership)
    print(
        f"Membership #{record.participant_id} now belongs to a new person #{record.new_person_id} "
        f"(a copy of person #{record.old_person_id}'s details)."
    )
    return 0


def run_cohorts_create(ctx) -> int:
    from mentorapp.people.cohort_from import create_cohort_from

    start = ctx.args.start or dt.date.today()
    with ctx.db.transaction() as s:
        result = create_cohort_from(s, ctx.args.name, ctx.args.earlier, start, ctx.args.evaluation)
    print(f"Created cohort {result.sentence()}")
    return 0


def run_next_year(ctx) -> int:
    from mentorapp.demo.next_year import write_next_year_form
    from mentorapp.people.cohorts import find_cohort

    refuse_existing(ctx.args.output, ctx.args.replace)
    with ctx.db.session() as s:
        cohort = find_cohort(s, ctx.args.cohort)
        form = write_next_year_form(s, cohort.id, ctx.args.output, seed=ctx.args.seed)
    print(
        f"Wrote {form.path}: {form.returning} people of '{cohort.name}' applying again and {form.new} new applicants "
        f"(row {form.spelled_differently_row} gives a known email under a name spelled differently)."
    )
    return 0
