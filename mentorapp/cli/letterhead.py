"""Command: letterhead (show or set what the top and the end of every letter show).

The window's Letters & roster page has a Letterhead tab; without this command a
coordinator on the command line could only print letters signed "The Scheme
Coordinator" of "Mentoring Scheme".
"""

from __future__ import annotations

import argparse
from dataclasses import asdict, fields, replace

from mentorapp.cli.output import print_json, print_table
from mentorapp.errors import UsageError

# option -> Letterhead field, in the order the Letterhead tab shows them
OPTIONS = {
    "society": "society_name",
    "address": "address",
    "contact": "contact",
    "logo": "logo_path",
    "coordinator": "coordinator_name",
    "coordinator_role": "coordinator_role",
    "first_meeting_days": "first_meeting_days",
}
DEFAULT_SIGNED = ("society_name", "coordinator_name")  # what no society would send letters with
LABELS = {
    "society_name": "Society",
    "address": "Address",
    "contact": "Contact",
    "logo_path": "Logo",
    "coordinator_name": "Coordinator (signature)",
    "coordinator_role": "Coordinator's role",
    "first_meeting_days": "First meeting within (days)",
}


def register(commands: argparse._SubParsersAction, exports: argparse._SubParsersAction) -> None:
    head = commands.add_parser("letterhead", help="show or set the letterhead and signature of the letters")
    head.add_argument("--society", metavar="NAME", help="the society's name, at the top of every letter")
    head.add_argument(
        "--address", metavar="TEXT", help="the postal address; separate lines with a backslash and n (\\n)"
    )
    head.add_argument("--contact", metavar="TEXT", help="e-mail and telephone of the scheme office")
    head.add_argument("--logo", metavar="FILE", help='a PNG, JPEG, GIF or BMP picture ("" for the built-in emblem)')
    head.add_argument("--coordinator", metavar="NAME", help="the name the letters are signed with")
    head.add_argument("--coordinator-role", metavar="TEXT", help="the line under the signature")
    head.add_argument(
        "--first-meeting-days",
        type=int,
        metavar="N",
        help="the days from a pair's start to its first meeting ({first_meeting_deadline} in the letters)",
    )
    head.add_argument("--format", choices=("table", "json"), default="table")
    head.set_defaults(func=run_letterhead)


def run_letterhead(ctx) -> int:
    from mentorapp.outputs.letterhead import MAX_FIRST_MEETING_DAYS, Letterhead, load_letterhead, save_letterhead

    args = ctx.args
    given = {field: getattr(args, option) for option, field in OPTIONS.items() if getattr(args, option) is not None}
    if "first_meeting_days" in given and not 1 <= given["first_meeting_days"] <= MAX_FIRST_MEETING_DAYS:
        raise UsageError(f"letterhead: --first-meeting-days must be from 1 to {MAX_FIRST_MEETING_DAYS}.")
    if "address" in given:
        given["address"] = given["address"].replace("\\n", "\n")
    if given:
        with ctx.db.transaction() as s:
            save_letterhead(s, replace(load_letterhead(s), **given))
    with ctx.db.session() as s:
        shown = load_letterhead(s)
    if args.format == "json":
        print_json(asdict(shown))
        return 0
    if given:
        print("Saved the letterhead; the letters of every cohort use it.")
    default = Letterhead()
    rows = []
    for f in fields(Letterhead):
        value = getattr(shown, f.name)
        if f.name == "logo_path" and not value:
            text = "(the built-in emblem)"
        else:
            text = str(value).replace("\n", " / ")
            if value and value == getattr(default, f.name):
                text += "  (default: set it before sending letters)" if f.name in DEFAULT_SIGNED else "  (default)"
        rows.append([LABELS[f.name], text])
    print_table(("Letterhead", "Value"), rows)
    return 0
