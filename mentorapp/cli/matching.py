"""Command: match (suggest the best pairs for a cohort's open mentees, and optionally store them)."""

from __future__ import annotations

import argparse
import sys

from mentorapp.cli.collector import collector_paused
from mentorapp.cli.output import print_json, print_table
from mentorapp.cli.values import finite_number
from mentorapp.matching.actions import accept_suggestions
from mentorapp.matching.solver import OBJECTIVE_LABELS, OBJECTIVES, Suggestions, suggest
from mentorapp.people import meaning
from mentorapp.people.cohorts import find_cohort
from mentorapp.words import plural


def register(commands: argparse._SubParsersAction, exports: argparse._SubParsersAction) -> None:
    match = commands.add_parser(
        "match",
        help="suggest the best mentor for each unmatched mentee, with reasons",
        description=(
            "Suggest the best assignment of the cohort's unmatched mentees to mentors with free places, "
            "never breaking a hard rule. Existing matches stay as they are and use up capacity."
        ),
    )
    match.add_argument("--cohort", help="cohort name (may be left out when there is only one)")
    match.add_argument(
        "--objective",
        choices=OBJECTIVES,
        default="score",
        help="score: best total compatibility (default); coverage: as many mentees matched as possible, then score",
    )
    match.add_argument(
        "--min-score",
        type=finite_number(-1_000_000, 1_000_000),
        default=None,
        metavar="X",
        help="never propose a pair below X",
    )
    match.add_argument(
        "--former-pairs",
        choices=("avoid", "prefer", "ignore"),
        default=None,
        help="people paired in an earlier cohort: avoid, prefer or ignore (default: the cohort's setting, avoid)",
    )
    match.add_argument("--apply", action="store_true", help="store the suggestions as proposed matches")
    match.add_argument(
        "--mentee",
        metavar="EMAIL",
        help="suggest a mentor for this one mentee only (one whose pair ended), leaving every other mentee as is",
    )
    match.add_argument("--format", choices=("table", "json"), default="table")
    match.set_defaults(func=run_match)


def run_match(ctx) -> int:
    with collector_paused():  # millions of short-lived objects at 10,000 mentees: see cli.collector
        return _run_match(ctx)


def _run_match(ctx) -> int:
    args = ctx.args
    with ctx.db.transaction() as s:
        cohort = find_cohort(s, args.cohort)
        name = cohort.name
        if args.mentee:
            from mentorapp.matching.rematch import suggest_for_mentee

            mentee_id = _participant_id(s, cohort.id, args.mentee)
            result = suggest_for_mentee(
                s,
                cohort.id,
                mentee_id,
                objective=args.objective,
                min_score=args.min_score,
                former_pairs=args.former_pairs,
            )
        else:
            result = suggest(
                s, cohort.id, objective=args.objective, min_score=args.min_score, former_pairs=args.former_pairs
            )
        if meaning.unavailable_reason():
            print(f"Note: {meaning.unavailable_reason()}.", file=sys.stderr)
        ids = None
        if args.apply:
            pairs = [(x.mentee.id, x.mentor.id) for x in result.matches]
            scores = {(x.mentee.id, x.mentor.id): x.score for x in result.matches}
            stored = accept_suggestions(s, cohort.id, pairs, scores).match_id_by_mentee()
            ids = [stored[mentee_id] for mentee_id, _mentor_id in pairs]
    if args.format == "json":
        data = result.to_json()
        if ids is not None:
            for item, match_id in zip(data["matches"], ids):
                item["match_id"] = match_id
            data["applied"] = True
        print_json(data)
        return 0
    print_suggestions(name, result)
    if ids is not None:
        print(f"\nStored {plural(len(ids), 'proposed match', 'proposed matches')} in '{name}'.")
    elif result.matches:
        print("\nNothing was stored; run again with --apply to store these as proposed matches.")
    return 0


def _participant_id(session, cohort_id: int, email: str) -> int:
    """The id of the participant with this e-mail in the cohort (any case), or a sentence."""
    from mentorapp.running.people import participant_by_email

    return participant_by_email(session, cohort_id, email).id


def print_suggestions(cohort_name: str, result: Suggestions) -> None:
    """Each pair with its score and every reason, then the unmatched mentees with why."""
    out = sys.stdout
    total_open = len(result.matches) + len(result.unmatched)
    if total_open == 0:
        print(f"Every mentee in '{cohort_name}' already has a match; nothing to suggest.")
        return
    how = OBJECTIVE_LABELS[result.objective]
    floor = f", minimum score {result.min_score:g}" if result.min_score is not None else ""
    print(f"Suggested pairs for '{cohort_name}' ({how}{floor}):", file=out)
    if result.former_pairs_met:  # a first cohort has no former pairs to speak of
        former = {"avoid": "avoided", "prefer": "preferred", "ignore": "ignored"}[result.former_pairs]
        print(f"(People who were a pair in an earlier cohort are {former}: --former-pairs.)", file=out)
    if not result.exact:
        print("(very large cohort: each mentee's best candidates were considered; see the documentation)", file=out)
    for n, s in enumerate(result.matches, 1):
        mentee = s.mentee.titled_name
        mentor = s.mentor.titled_name
        print(f"\n{n:>3}. {mentee}  ->  {mentor}   score {s.score.total:.2f}", file=out)
        for reason in s.score.reasons:
            print(f"       {reason.text}", file=out)
    print(
        f"\nMatched {len(result.matches)} of the {total_open} mentees who had no match; "
        f"total score {result.total_score:.2f}.",
        file=out,
    )
    if result.unmatched:
        print(f"\nStill unmatched ({len(result.unmatched)}):", file=out)
        print_table(
            ("Mentee", "Email", "Why"),
            [[u.mentee.titled_name, u.mentee.email, u.reason] for u in result.unmatched],
            max_width=120,
        )
