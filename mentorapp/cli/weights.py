"""Command: cohorts weights — show or change how much each part of a pair's score counts.

    cohorts weights --cohort C [--format json]
    cohorts weights --cohort C --set text=0.6 --set region=0.2
    cohorts weights --cohort C --defaults
    cohorts weights --cohort C --former-pairs prefer

Penalties are given as positive amounts (stage_junior=0.3 takes 0.3 per stage). A change is
recorded in the activity log and the cohort's proposed and confirmed matches are rescored in
the same transaction (mentorapp.matching.weights, as the window's Cohort > Matching weights…).
"""

from __future__ import annotations

import argparse

from mentorapp.cli.output import print_json
from mentorapp.errors import UsageError


def register(cohort_cmds: argparse._SubParsersAction) -> None:
    weights = cohort_cmds.add_parser(
        "weights",
        help="show or change a cohort's matching weights",
        description="Without --set or --defaults: list the weights, what each rewards, and its default.",
    )
    weights.add_argument("--cohort", help="cohort name (may be left out when there is only one)")
    weights.add_argument("--format", choices=("table", "json"), default="table")
    weights.add_argument(
        "--set", action="append", default=[], metavar="NAME=VALUE", help="change one weight (repeat for more)"
    )
    weights.add_argument("--defaults", action="store_true", help="put every weight back to its default")
    weights.add_argument(
        "--former-pairs",
        choices=("avoid", "prefer", "ignore"),
        help="what the matcher does with people paired in an earlier cohort (the cohort's setting; default avoid)",
    )
    weights.set_defaults(func=run_weights)


def _parse(pairs: list[str]) -> dict[str, float]:
    chosen: dict[str, float] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        try:
            chosen[name.strip()] = float(value)
        except ValueError:
            sep = ""
        if not sep:
            raise UsageError(f"--set takes NAME=VALUE with a number, as in --set text=0.6; '{pair}' is not.")
    return chosen


def run_weights(ctx) -> int:
    from mentorapp.matching.history import mode_of
    from mentorapp.matching.scoring import DEFAULT_WEIGHTS
    from mentorapp.matching.weights import WEIGHTS, cohort_weights, set_former_pairs, set_weights, shown
    from mentorapp.people.cohorts import find_cohort

    args = ctx.args
    chosen = dict(DEFAULT_WEIGHTS) if args.defaults else {}
    chosen.update(_parse(args.set))
    if chosen or args.former_pairs:
        rescored = 0
        with ctx.db.transaction() as s:  # both changes, or neither
            cohort = find_cohort(s, args.cohort)
            name = cohort.name
            if args.former_pairs:
                set_former_pairs(s, cohort.id, args.former_pairs)
            if chosen:
                rescored = set_weights(s, cohort.id, chosen)
        if args.former_pairs:
            print(f"Former pairs in '{name}': {args.former_pairs}.")
        if chosen:
            print(f"Matching weights of '{name}' saved.")
        if rescored:
            print(f"{rescored} proposed or confirmed match{'es' if rescored != 1 else ''} rescored.")
        return 0
    with ctx.db.session() as s:
        cohort = find_cohort(s, args.cohort)
        name, current, former = cohort.name, cohort_weights(s, cohort.id), mode_of(cohort.settings)
    if args.format == "json":
        rows = [{"name": w.key, "value": shown(w.key, current[w.key]), "label": w.label} for w in WEIGHTS]
        print_json({"cohort": name, "weights": rows, "former_pairs": former})
        return 0
    print(f"Matching weights of '{name}' (penalties as positive amounts)")
    width = max(len(w.key) for w in WEIGHTS)
    for w in WEIGHTS:
        value, default = shown(w.key, current[w.key]), shown(w.key, DEFAULT_WEIGHTS[w.key])
        note = "" if value == default else f"  (default {default:g})"
        print(f"  {w.key.ljust(width)}  {value:>5g}  {w.label}: {w.explanation}{note}")
    print(f"People paired in an earlier cohort: {former} (--former-pairs avoid|prefer|ignore)")
    return 0
