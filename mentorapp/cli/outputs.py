"""Commands: export roster, export letters, letters-sent."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from mentorapp.cli.output import REPLACE_HELP, refuse_existing
from mentorapp.cli.values import date_value, id_value
from mentorapp.errors import UsageError, UserError
from mentorapp.outputs.letterhead import default_letterhead_warning, load_letterhead
from mentorapp.outputs.letters import DEFAULT_STATUSES, export_letters, list_letter_matches, mark_letters_sent
from mentorapp.outputs.roster import SHEET_NAMES
from mentorapp.outputs.roster_files import export_roster
from mentorapp.people.cohorts import find_cohort
from mentorapp.store.models import MATCH_STATUSES


def register(commands: argparse._SubParsersAction, exports: argparse._SubParsersAction) -> None:
    roster = exports.add_parser(
        "roster",
        help="the cohort roster as an Excel workbook (or one sheet as CSV)",
        description="Write the roster workbook: Summary, Mentees, Mentors, Matches and Unmatched sheets.",
    )
    roster.add_argument("--cohort", help="cohort name (may be left out when there is only one)")
    roster.add_argument("-o", "--output", required=True, metavar="FILE", help="FILE.xlsx, or FILE.csv with --sheet")
    roster.add_argument("--sheet", metavar="NAME", help=f"write only this sheet as CSV ({', '.join(SHEET_NAMES)})")
    roster.add_argument("--csv", action="store_true", help="CSV of the sheet named by --sheet (implied by .csv)")
    roster.add_argument(
        "--raw",
        action="store_true",
        help="with a CSV: plain values for scripts, without the first line that marks mentorapp's CSV and without "
        "the apostrophe that keeps spreadsheets from reading text as a formula (never open it in a spreadsheet)",
    )
    roster.add_argument("--mailto", action="store_true", help="make email addresses clickable mailto: links")
    roster.add_argument("--replace", action="store_true", help=REPLACE_HELP)
    roster.set_defaults(func=run_export_roster)

    letters = exports.add_parser(
        "letters",
        help="match letters as one PDF or one PDF per participant",
        description="Write a letter to the mentee and to the mentor of every chosen match.",
    )
    letters.add_argument("--cohort", help="cohort name (may be left out when there is only one)")
    letters.add_argument(
        "--status",
        action="append",
        choices=MATCH_STATUSES,
        metavar="STATUS",
        help=f"match status to include; repeat for several (default: {' and '.join(DEFAULT_STATUSES)}; "
        f"any of {', '.join(MATCH_STATUSES)})",
    )
    letters.add_argument(
        "--match", type=id_value, action="append", metavar="ID", help="only this match id (repeatable)"
    )
    letters.add_argument("--side", choices=("mentee", "mentor", "both"), default="both", help="who gets letters")
    letters.add_argument("--date", type=date_value, help="date printed on the letters, YYYY-MM-DD (default: today)")
    letters.add_argument("--mark-sent", action="store_true", help="record the letter date on the matches")
    target = letters.add_mutually_exclusive_group(required=True)
    target.add_argument("-o", "--output", metavar="FILE.pdf", help="one PDF with every letter")
    target.add_argument("--out-dir", metavar="DIR", help="one PDF per participant in this folder")
    letters.add_argument(
        "--replace",
        action="store_true",
        help="with -o: write over FILE.pdf if it exists; with --out-dir: remove the letter files an earlier export "
        "wrote in DIR (without it, such a file or folder is refused); other files there are never touched",
    )
    letters.set_defaults(func=run_export_letters)


def _progress_printer(label: str):
    """A progress callback that draws a percentage on a terminal, nothing otherwise."""
    if not sys.stderr.isatty():
        return None
    last = [-1]

    def show(done: int, total: int) -> None:
        pct = done * 100 // max(total, 1)
        if pct != last[0]:
            last[0] = pct
            end = "\n" if done >= total else ""
            print(f"\r{label}: {pct}%", end=end, file=sys.stderr, flush=True)

    return show


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}es" if noun.endswith("ch") else f"{count} {noun}s"


def run_export_roster(ctx) -> int:
    args = ctx.args
    output = Path(args.output)
    as_csv = args.csv or output.suffix.lower() == ".csv"
    if as_csv and not args.sheet:
        raise UsageError(f"export roster: a CSV holds one sheet; name it with --sheet ({', '.join(SHEET_NAMES)}).")
    if args.sheet and not as_csv:
        raise UsageError("export roster: --sheet writes CSV; give an output file ending in .csv or add --csv.")
    if args.raw and not as_csv:
        raise UsageError("export roster: --raw is for a CSV sheet; a workbook keeps every value as text already.")
    if not as_csv and output.suffix.lower() != ".xlsx":
        raise UsageError("export roster: the workbook file name must end in .xlsx.")
    refuse_existing(output, args.replace)
    with ctx.db.session() as s:
        cohort = find_cohort(s, args.cohort)
        roster = export_roster(
            s,
            cohort.id,
            output,
            sheet=args.sheet if as_csv else None,
            mailto=args.mailto,
            progress=_progress_printer("Roster"),
            raw=args.raw,
        )
    if as_csv:
        print(f"Wrote the {roster.sheet(args.sheet).title} sheet of '{roster.cohort_name}' to {output}.")
    else:
        counts = ", ".join(f"{len(sh.rows)} {sh.title.lower()}" for sh in roster.sheets)
        print(f"Wrote the roster of '{roster.cohort_name}' to {output} ({counts}).")
    return 0


def run_export_letters(ctx) -> int:
    args = ctx.args
    if args.output and Path(args.output).suffix.lower() != ".pdf":
        raise UsageError("export letters: the output file name must end in .pdf.")
    refuse_existing(args.output, args.replace)
    sides = ("mentee", "mentor") if args.side == "both" else (args.side,)
    statuses = tuple(args.status) if args.status else (None if args.match else DEFAULT_STATUSES)
    with ctx.db.session() as s:
        cohort = find_cohort(s, args.cohort)
        if args.match:
            found = {m.id for m in list_letter_matches(s, cohort.id, statuses, args.match)}
            missing = [i for i in args.match if i not in found]
            if missing:
                raise UserError(f"There is no match {missing[0]} in '{cohort.name}' with the chosen statuses.")
        result = export_letters(
            s,
            cohort.id,
            path=args.output,
            out_dir=args.out_dir,
            statuses=statuses,
            match_ids=args.match,
            sides=sides,
            letter_date=args.date,
            progress=_progress_printer("Letters"),
            earlier="clear" if args.replace else "refuse",
        )
        unchanged = default_letterhead_warning(load_letterhead(s, cohort.id))
    if unchanged:
        print(
            f"Warning: {unchanged[0].lower()}{unchanged[1:]}; set your society's name and coordinator with "
            "'letterhead --society NAME --coordinator NAME' (or in the window: Letters & roster, Letterhead tab) "
            "before sending them.",
            file=sys.stderr,
        )
    where = str(result.files[0]) if args.output else f"{_n(len(result.files), 'file')} in {args.out_dir}"
    print(
        f"Wrote {_n(result.letters, 'letter')} ({_n(result.pages, 'page')}) "
        f"for {_n(len(result.match_ids), 'match')} to {where}."
    )
    if args.mark_sent:
        with ctx.db.transaction() as s:
            mark_letters_sent(s, result.match_ids, args.date or dt.date.today())
        print(f"Marked the letters of {_n(len(result.match_ids), 'match')} as sent.")
    return 0
