"""Commands: criteria (a cohort's success criteria), evaluation-themes (keyword groups for comments),
evaluation-options (the retrospective 'looking back' questions)."""

from __future__ import annotations

import argparse

from mentorapp.cli.output import print_json, print_table
from mentorapp.errors import UserError
from mentorapp.people.cohorts import find_cohort

# The evaluation modules (scipy) are imported by the handlers, so that other commands start quickly.


def register_settings(commands: argparse._SubParsersAction) -> None:
    crit = commands.add_parser(
        "criteria", help="list a cohort's success criteria; 'criteria set' / 'criteria remove' change them"
    )
    crit.add_argument("--cohort", help="cohort name (may be left out when there is only one)")
    crit.add_argument("--format", choices=("table", "json"), default="table")
    crit.set_defaults(func=run_criteria)
    actions = crit.add_subparsers(dest="action", metavar="set|remove|defaults")
    put = actions.add_parser("set", help="add a criterion, or replace criterion N with --number N")
    put.add_argument("--cohort", default=argparse.SUPPRESS, help="cohort name (may be left out when there is only one)")
    put.add_argument(
        "--kind",
        required=True,
        choices=("improved_share", "mean_change", "mean", "yes_share", "response_rate"),
        help="improved_share: share who rated a benefit higher; mean_change: mean change of a benefit; mean: mean "
        "rating at six months; yes_share: share who would recommend; response_rate: share of those asked who answered",
    )
    put.add_argument("--item", default="", help="the question's key, e.g. benefit_confidence or satisfaction")
    put.add_argument("--role", choices=("mentee", "mentor", "all"), default="all")
    put.add_argument("--stage", choices=("baseline", "six_month"), default="six_month", help="for response_rate")
    put.add_argument("--threshold", required=True, help="e.g. 0.7 or 70 for a share, 4 for a mean, 0.5 for a change")
    put.add_argument("--min-n", default="10", help="fewer answers than this: 'too few responses' (default 10)")
    put.add_argument("--label", help="the criterion in your own words (default: a sentence made from the above)")
    put.add_argument("--number", type=int, metavar="N", help="replace criterion N instead of adding one")
    put.set_defaults(func=run_criteria_set)
    rem = actions.add_parser("remove", help="remove criterion N")
    rem.add_argument("number", type=int, metavar="N")
    rem.add_argument("--cohort", default=argparse.SUPPRESS, help="cohort name (may be left out when there is only one)")
    rem.set_defaults(func=run_criteria_remove)
    dflt = actions.add_parser("defaults", help="go back to the default criteria")
    dflt.add_argument(
        "--cohort", default=argparse.SUPPRESS, help="cohort name (may be left out when there is only one)"
    )
    dflt.set_defaults(func=run_criteria_defaults)

    th = commands.add_parser("evaluation-themes", help="the keyword groups that count themes in comments")
    th.add_argument("--cohort", help="cohort name (may be left out when there is only one)")
    th.add_argument(
        "--set", action="append", default=[], metavar="NAME=WORD,WORD", help="add or replace a theme (repeatable)"
    )
    th.add_argument("--remove", action="append", default=[], metavar="NAME", help="remove a theme (repeatable)")
    th.add_argument("--defaults", action="store_true", help="go back to the default themes")
    th.add_argument("--format", choices=("table", "json"), default="table")
    th.set_defaults(func=run_themes)

    op = commands.add_parser("evaluation-options", help="the optional questions of a cohort's evaluation")
    op.add_argument("--cohort", help="cohort name (may be left out when there is only one)")
    op.add_argument(
        "--retrospective-pre",
        choices=("on", "off"),
        help="at six months also ask 'looking back, where were you before the scheme?' for each benefit",
    )
    op.set_defaults(func=run_options)


def _cohort(ctx, s):
    return find_cohort(s, ctx.args.cohort)


def _print_criteria(criteria: list[dict], default: bool, as_json: bool = False) -> None:
    from mentorapp.evaluation.criteria import DEFAULT_MIN_N, describe_criterion

    if as_json:
        print_json({"default": default, "criteria": criteria})
        return
    if default:
        print("These are the default criteria, offered as a starting point; 'criteria set' makes them the cohort's.")
    print_table(
        ("N", "Criterion", "Kind", "Minimum answers"),
        [
            [n, describe_criterion(c), c.get("kind"), c.get("min_n", DEFAULT_MIN_N)]
            for n, c in enumerate(criteria, start=1)
        ],
        max_width=70,
    )


def run_criteria(ctx) -> int:
    from mentorapp.evaluation.criteria import current_criteria

    with ctx.db.session() as s:
        criteria, default = current_criteria(s, _cohort(ctx, s).id)
    _print_criteria(criteria, default, ctx.args.format == "json")
    return 0


def run_criteria_set(ctx) -> int:
    from mentorapp.evaluation.criteria import check_criterion, current_criteria, describe_criterion, put_criterion

    a = ctx.args
    raw = {"kind": a.kind, "item": a.item, "role": a.role, "stage": a.stage, "threshold": a.threshold}
    raw["min_n"] = a.min_n
    if a.label:
        raw["label"] = a.label
    clean = check_criterion(raw)
    with ctx.db.transaction() as s:
        cohort_id = _cohort(ctx, s).id
        number = put_criterion(s, cohort_id, clean, a.number)
        criteria, default = current_criteria(s, cohort_id)
    print(f"Criterion {number}: {describe_criterion(clean)}.")
    _print_criteria(criteria, default)
    return 0


def run_criteria_remove(ctx) -> int:
    from mentorapp.evaluation.criteria import current_criteria, describe_criterion, remove_criterion

    with ctx.db.transaction() as s:
        cohort_id = _cohort(ctx, s).id
        removed = remove_criterion(s, cohort_id, ctx.args.number)
        criteria, default = current_criteria(s, cohort_id)
    print(f"Removed criterion {ctx.args.number}: {describe_criterion(removed)}.")
    _print_criteria(criteria, default)
    return 0


def run_criteria_defaults(ctx) -> int:
    from mentorapp.evaluation.criteria import current_criteria, reset_criteria

    with ctx.db.transaction() as s:
        cohort_id = _cohort(ctx, s).id
        reset_criteria(s, cohort_id)
        criteria, default = current_criteria(s, cohort_id)
    _print_criteria(criteria, default)
    return 0


def _theme_arg(text: str) -> tuple[str, list[str]]:
    name, sep, words = text.partition("=")
    if not sep:
        raise UserError(f"'{text}' is not NAME=WORD,WORD (for example 'Time=time,busy,rota').")
    return name, [w for w in words.split(",") if w.strip()]


def run_themes(ctx) -> int:
    from mentorapp.evaluation.themes import check_theme, set_themes, themes_for

    a = ctx.args
    changes = [check_theme(*_theme_arg(t)) for t in a.set]
    with ctx.db.transaction() as s:
        cohort = _cohort(ctx, s)
        groups = themes_for(cohort.settings)
        if a.defaults:
            groups = set_themes(s, cohort.id, None)
        if changes or a.remove:
            for name in a.remove:
                if name not in groups:
                    raise UserError(f"There is no theme '{name}'; the themes are: {', '.join(groups)}.")
                del groups[name]
            groups.update(changes)
            groups = set_themes(s, cohort.id, groups)
    if a.format == "json":
        print_json(groups)
    else:
        print_table(
            ("Theme", "Keywords (a comment matches when a word starts with one)"),
            [[name, ", ".join(words)] for name, words in groups.items()],
            max_width=80,
        )
    return 0


def run_options(ctx) -> int:
    from mentorapp.evaluation.instrument import cohort_options, set_retrospective_pre

    with ctx.db.transaction() as s:
        cohort = _cohort(ctx, s)
        if ctx.args.retrospective_pre is not None:
            set_retrospective_pre(s, cohort.id, ctx.args.retrospective_pre == "on")
        on = "retrospective" in cohort_options(cohort.settings)
    print(f"Retrospective 'looking back' questions at six months: {'on' if on else 'off'}.")
    return 0
