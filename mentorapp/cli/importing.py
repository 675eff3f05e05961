"""Commands: import (applications from a spreadsheet or CSV), export application-template."""

from __future__ import annotations

import argparse
from pathlib import Path

from mentorapp.cli.output import print_json, print_table
from mentorapp.errors import UserError
from mentorapp.importing import (
    DUPLICATE_POLICIES,
    IGNORE,
    LABELS,
    ImportRefusedError,
    apply_plan,
    build_plan,
    load_mapping_file,
    mapping_problems,
    saved_settings,
    suggest_mapping,
)
from mentorapp.importing.readers import close_rows, open_table, peek
from mentorapp.importing.template import write_template
from mentorapp.people.cohorts import find_cohort


def register(commands: argparse._SubParsersAction, exports: argparse._SubParsersAction) -> None:
    imp = commands.add_parser(
        "import",
        help="import applications from a spreadsheet or CSV (all or nothing)",
        description="Import applications from .xlsx, .xls, .csv or .txt. Nothing is written unless every row "
        "is valid (or --skip-invalid is given); --dry-run only shows what would happen.",
    )
    imp.add_argument("file", type=Path, help="the spreadsheet or CSV the form produced")
    imp.add_argument("--cohort", required=True, help="the cohort to import into (it must exist)")
    imp.add_argument("--sheet", help="the sheet to read (default: the first)")
    imp.add_argument("--mapping", type=Path, metavar="FILE.json", help='JSON {"Column header": "field" or null}')
    imp.add_argument("--dry-run", action="store_true", help="show what would happen; write nothing")
    imp.add_argument(
        "--on-duplicate",
        choices=DUPLICATE_POLICIES,
        default=None,
        help="an email already in the cohort or repeated in the file: skip it (default), update, or stop",
    )
    imp.add_argument("--skip-invalid", action="store_true", help="import the valid rows and skip rows with problems")
    imp.add_argument("--add-focus-areas", action="store_true", help="add unknown focus areas to the cohort")
    imp.add_argument(
        "--default-role", choices=("mentee", "mentor", "both"), help="role for rows without one (default: an error)"
    )
    imp.add_argument("--month-first", action="store_true", help="read 03/04/2021 as 4 March (default: 3 April)")
    imp.add_argument("--format", choices=("table", "json"), default="table")
    imp.set_defaults(func=run_import)

    tpl = exports.add_parser("application-template", help="a ready application spreadsheet with dropdowns")
    tpl.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.xlsx")
    tpl.add_argument("--cohort", help="use this cohort's focus areas (default: the standard list)")
    tpl.set_defaults(func=run_template)


def run_import(ctx) -> int:
    args = ctx.args
    with ctx.db.session() as s:
        cohort = find_cohort(s, args.cohort)
        cohort_id = cohort.id
        saved, options = saved_settings(s, cohort_id)
    table = open_table(args.file, args.sheet)  # opened once: the first rows choose the mapping
    first_rows = peek(table)
    fields = suggest_mapping(table.headers, first_rows, saved)
    try:
        if args.mapping:
            fields = load_mapping_file(args.mapping, table.headers, fields)
        problems = mapping_problems(fields)
        if problems:
            _print_mapping(table.headers, fields, table.describe(), args.format == "json")
            raise UserError(" ".join(problems))
    except UserError:
        close_rows(table)
        raise
    if args.on_duplicate:
        options.on_duplicate = args.on_duplicate
    if args.add_focus_areas:
        options.add_focus_areas = True
    if args.default_role:
        options.default_role = args.default_role
    options.day_first = not args.month_first
    with ctx.db.session() as s:
        plan = build_plan(s, cohort_id, table, fields, options)
    result = None
    refused: ImportRefusedError | None = None
    if not args.dry_run:
        try:
            result = apply_plan(ctx.db, plan, skip_invalid=args.skip_invalid)
        except ImportRefusedError as exc:
            refused = exc
    if args.format == "json":
        data = plan.to_json()
        data["dry_run"] = bool(args.dry_run)
        data["written"] = result is not None
        if result is not None:
            data["added_focus_areas"] = result.added_areas
        print_json(data)
    else:
        _print_mapping(plan.headers, plan.fields, plan.source, False)
        print()
        if plan.unknown_areas:
            names = ", ".join(f"'{a}'" for a in sorted(plan.unknown_areas))
            verb = "will be added to" if options.add_focus_areas else "are not in"
            print(f"Focus areas that {verb} the cohort: {names}.")
        for warning in plan.warnings:
            print(warning)
        if plan.problems:
            print("Problems:")
            print_table(
                ("Row", "Column", "Value", "Problem"),
                [(p.row, p.column, p.value, p.message) for p in plan.problems],
                max_width=60,
            )
            print()
        skipped = [r for r in plan.rows if r.action == "skip"]
        if skipped:
            print("Skipped:")
            print_table(("Row", "Name", "Why"), [(r.row, r.name, r.reason) for r in skipped], max_width=60)
            print()
        if args.dry_run:
            print(f"Dry run, nothing written: {plan.summary()}")
        elif result is not None:
            print(result.summary())
    if refused is not None:
        raise refused
    if args.dry_run and plan.has_errors and not args.skip_invalid:
        return 1
    return 0


def _print_mapping(headers: list[str], fields: list[str], source: str, as_json: bool) -> None:
    if as_json:
        print_json({"mapping": {h: (f if f != IGNORE else None) for h, f in zip(headers, fields)}})
        return
    print(f"Mapping used for {source}:")
    print_table(("Column in the file", "Imported as"), [(h, LABELS[f]) for h, f in zip(headers, fields)], max_width=70)


def run_template(ctx) -> int:
    areas = None
    if ctx.args.cohort:
        with ctx.db.session() as s:
            areas = list(find_cohort(s, ctx.args.cohort).focus_areas or [])
    target = write_template(ctx.args.output, areas)
    print(f"Wrote the application spreadsheet {target}.")
    return 0
