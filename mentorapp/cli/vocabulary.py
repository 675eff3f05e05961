"""Command: cohorts vocabulary — list and edit a cohort's focus areas, career stages and regions.

    cohorts vocabulary --cohort C [--format json]
    cohorts vocabulary --cohort C rename focus "Policy" "Health and work policy"
    cohorts vocabulary --cohort C merge stage "Early career" "Specialty trainee"
    cohorts vocabulary --cohort C order stage "FY1/FY2" "Core trainee" ...   (every stage, most junior first)
    cohorts vocabulary --cohort C add region "Grampian"
    cohorts vocabulary --cohort C remove region "Grampian"   (refused while a participant uses it)

Participants follow every change, and the cohort's proposed and confirmed
matches are rescored in the same transaction.
"""

from __future__ import annotations

import argparse

from mentorapp.cli.output import print_json

KIND_CHOICES = ("focus", "stage", "region")
KIND_HELP = "which list: focus (focus areas), stage (career stages) or region"


def register(cohort_cmds: argparse._SubParsersAction) -> None:
    vocab = cohort_cmds.add_parser(
        "vocabulary",
        help="list or edit a cohort's focus areas, career stages and regions",
        description="Without an action: list the cohort's three lists and how many participants use each value.",
    )
    vocab.add_argument("--cohort", help="cohort name (may be left out when there is only one)")
    vocab.add_argument("--format", choices=("table", "json"), default="table")
    vocab.set_defaults(func=run_vocabulary)
    actions = vocab.add_subparsers(dest="vocabulary_action", metavar="ACTION", parser_class=type(vocab))

    rename = actions.add_parser("rename", help="rename a value; participants who use it follow")
    rename.add_argument("kind", choices=KIND_CHOICES, help=KIND_HELP)
    rename.add_argument("old")
    rename.add_argument("new")

    merge = actions.add_parser("merge", help="merge SOURCE into TARGET; SOURCE's participants take TARGET")
    merge.add_argument("kind", choices=KIND_CHOICES, help=KIND_HELP)
    merge.add_argument("source")
    merge.add_argument("target")

    order = actions.add_parser(
        "order", help="put a list in a new order, naming every value once (stages: junior first)"
    )
    order.add_argument("kind", choices=KIND_CHOICES, help=KIND_HELP)
    order.add_argument("values", nargs="+", metavar="VALUE")

    add = actions.add_parser("add", help="add a value at the end of a list")
    add.add_argument("kind", choices=KIND_CHOICES, help=KIND_HELP)
    add.add_argument("value")

    remove = actions.add_parser("remove", help="remove a value no participant uses")
    remove.add_argument("kind", choices=KIND_CHOICES, help=KIND_HELP)
    remove.add_argument("value")


def run_vocabulary(ctx) -> int:
    from mentorapp.matching.actions import rescore_current_matches
    from mentorapp.people import vocabulary_edit as vocab
    from mentorapp.people.cohorts import find_cohort

    args = ctx.args
    action = getattr(args, "vocabulary_action", None)
    if action is None:
        return _list(ctx)
    with ctx.db.transaction() as s:
        cohort_id = find_cohort(s, args.cohort).id
        if action == "rename":
            change = vocab.rename(s, cohort_id, args.kind, args.old, args.new)
        elif action == "merge":
            change = vocab.merge(s, cohort_id, args.kind, args.source, args.target)
        elif action == "order":
            change = vocab.reorder(s, cohort_id, args.kind, args.values)
        elif action == "add":
            change = vocab.add(s, cohort_id, args.kind, args.value)
        else:
            change = vocab.remove(s, cohort_id, args.kind, args.value)
        # New words or a new order of stages change what pairs score; adding or removing an unused value does not.
        rescored = rescore_current_matches(s, cohort_id) if action in ("rename", "merge", "order") else 0
    print(f"{change.description}.")
    if rescored:
        print(f"{rescored} proposed or confirmed match{'es' if rescored != 1 else ''} rescored.")
    return 0


def _list(ctx) -> int:
    from mentorapp.people import vocabulary_edit as vocab
    from mentorapp.people.cohorts import find_cohort

    with ctx.db.session() as s:
        cohort = find_cohort(s, ctx.args.cohort)
        name = cohort.name
        usage = vocab.usage_all(s, cohort.id)
    if ctx.args.format == "json":
        data: dict[str, object] = {"cohort": name}
        for key, kind in vocab.KINDS.items():
            data[kind.attribute] = [{"value": v, "participants": n} for v, n in usage[key].items()]
        print_json(data)
        return 0
    print(f"Vocabulary of '{name}'")
    for key, kind in vocab.KINDS.items():
        note = " (most junior first: the matcher's seniority)" if key == "stage" else ""
        print(f"\n{kind.plural.capitalize()}{note}:")
        if not usage[key]:
            print("  (none)")
        width = max((len(v) for v in usage[key]), default=0)
        for i, (value, n) in enumerate(usage[key].items(), start=1):
            used = "not used" if n == 0 else ("1 participant" if n == 1 else f"{n} participants")
            print(f"  {i:>2}. {value.ljust(width)}  {used}")
    return 0
