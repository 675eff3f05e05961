"""Commands: import (applications from a spreadsheet or CSV), export application-template."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from mentorapp.cli.collector import collector_paused
from mentorapp.cli.output import print_json, print_table
from mentorapp.errors import UsageError, UserError
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
from mentorapp.importing.limits import LIMITS_SENTENCE
from mentorapp.importing.readers import close_rows, open_table, peek
from mentorapp.importing.reconcile import AREA_FIELDS, DEFAULT_THRESHOLD, ValueMapping, check_mapping, fold
from mentorapp.importing.returning import COMPARED, open_questions, questions_sentence
from mentorapp.importing.template import write_template
from mentorapp.people.cohorts import find_cohort


def register(commands: argparse._SubParsersAction, exports: argparse._SubParsersAction) -> None:
    imp = commands.add_parser(
        "import",
        help="import applications from a spreadsheet or CSV (all or nothing)",
        description="Import applications from .xlsx, .xls, .csv or .txt. Nothing is written unless every row "
        "is valid (or --skip-invalid is given); --dry-run only shows what would happen. "
        f"{LIMITS_SENTENCE} A CSV must be in one encoding (one that mixes UTF-8 and Windows-1252 is refused "
        "with the row where it changes); mentorapp's own CSV exports are read back exactly.",
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
        "--add-new-values",
        action="store_true",
        help="add answers that match nothing to the cohort's vocabulary (focus areas, career stages, regions)",
    )
    imp.add_argument(
        "--accept-suggested-values",
        action="store_true",
        help="apply the proposed scheme value of every answer proposed with at least --threshold confidence; "
        "the rest are refused and listed",
    )
    imp.add_argument(
        "--threshold",
        type=_confidence,
        default=DEFAULT_THRESHOLD,
        metavar="X",
        help=f"the confidence (0 to 1) --accept-suggested-values needs (default: {DEFAULT_THRESHOLD})",
    )
    imp.add_argument(
        "--values",
        type=Path,
        metavar="FILE.json",
        help="the scheme value of each answer, in the shape of the 'values' block of --dry-run --format json "
        '(edit each "proposed"; null adds the answer as new)',
    )
    imp.add_argument(
        "--adopt-vocabulary",
        action="store_true",
        help="a cohort with no participants takes the file's focus areas, career stages and regions as its own",
    )
    imp.add_argument(
        "--stage-order",
        metavar='"A,B,C"',
        help="with --adopt-vocabulary: the file's career stages, most junior first "
        "(default: the values file's order, else by seniority words)",
    )
    imp.add_argument(
        "--default-role", choices=("mentee", "mentor", "both"), help="role for rows without one (default: an error)"
    )
    imp.add_argument("--month-first", action="store_true", help="read 03/04/2021 as 4 March (default: 3 April)")
    imp.add_argument(
        "--keep-old",
        metavar="FIELD[,ROW:FIELD]",
        help="returning people keep their earlier value of these fields instead of the application's "
        f"({', '.join(COMPARED)}); ROW:FIELD for one row only",
    )
    imp.add_argument(
        "--same-person",
        type=_row_numbers,
        metavar="ROW[,ROW]",
        default=set(),
        help="these rows ARE the earlier person their email or membership number belongs to (linked, "
        "taking the application's name or email)",
    )
    imp.add_argument(
        "--new-person",
        type=_row_numbers,
        metavar="ROW[,ROW]",
        default=set(),
        help="these rows are NOT the earlier person their email or membership number belongs to (a new person)",
    )
    imp.add_argument("--format", choices=("table", "json"), default="table")
    imp.set_defaults(func=run_import)

    tpl = exports.add_parser("application-template", help="a ready application spreadsheet with dropdowns")
    tpl.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.xlsx")
    tpl.add_argument(
        "--cohort", help="use this cohort's focus areas, career stages and regions (default: the standard lists)"
    )
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
            # Named with the file and the way out: the mapping above, then --mapping to choose the columns.
            raise UserError(
                f"{args.file.name}: {' '.join(problems)} Nothing was imported; name the columns with "
                "--mapping FILE.json (see the mapping above)."
            )
    except UserError:
        close_rows(table)
        raise
    if args.on_duplicate:
        options.on_duplicate = args.on_duplicate
    if args.add_focus_areas:
        options.add_focus_areas = True
    options.add_new_values = args.add_new_values
    options.accept_threshold = args.threshold if args.accept_suggested_values else None
    options.adopt_vocabulary = args.adopt_vocabulary
    if args.stage_order:
        if not args.adopt_vocabulary:
            close_rows(table)
            raise UsageError("--stage-order orders the stages --adopt-vocabulary takes; give both.")
        options.stage_order = [p.strip() for p in args.stage_order.split(",") if p.strip()]
    if args.values:
        try:
            options.values = load_values_file(args.values)
        except UserError:
            close_rows(table)
            raise
    if args.default_role:
        options.default_role = args.default_role
    options.day_first = not args.month_first
    options.same_person, options.new_person = set(args.same_person), set(args.new_person)
    options.keep_old = {p.strip() for p in (args.keep_old or "").split(",") if p.strip()}
    with collector_paused(), ctx.db.session() as s:
        plan = build_plan(s, cohort_id, table, fields, options)
    if args.values:
        check_mapping(options.values, plan.values, source=args.values.name, lines=_lines(args.values))
    result = None
    refused: ImportRefusedError | None = None
    if not args.dry_run:
        try:
            with collector_paused():
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
        _print_adopted(plan.adopted, args.dry_run)
        added = {f: a for f, a in plan.resolution.added.items() if a}
        if added:
            verb = "will be added" if args.dry_run else "are added"
            print(f"Answers that match nothing in the scheme and {verb} to the cohort's vocabulary:")
            for f, answers in added.items():
                print(f"  {LABELS.get(f, f)}: {', '.join(repr(a) for a in answers)}")
        for warning in plan.warnings:
            print(warning)
        if plan.questions:
            _print_questions(plan)
        if plan.problems:
            print("Problems:")
            print_table(
                ("Row", "Column", "Value", "Problem"),
                [(p.row, p.column, p.value, p.message) for p in plan.problems],
                max_width=60,
            )
            print()
        _print_returning(plan)
        skipped = [r for r in plan.rows if r.action == "skip"]
        if skipped:
            print("Skipped:")
            print_table(("Row", "Name", "Why"), [(r.row, r.name, r.reason) for r in skipped], max_width=60)
            print()
        if args.dry_run:
            print(f"Dry run, nothing written: {plan.summary()}")
            if plan.has_errors and not args.skip_invalid:
                print(way_out(plan, args))
            elif open_questions(plan):
                print(
                    questions_sentence(plan, open_questions(plan)).replace(
                        "nothing was imported", "nothing would be imported"
                    )
                )
        elif result is not None:
            print(result.summary())
    if refused is not None and open_questions(plan) and not plan.has_errors:
        raise refused
    if refused is not None:
        errors = plan.count("error")
        raise ImportRefusedError(
            f"{errors} row{'s' if errors != 1 else ''} of {plan.path.name} "
            f"{'have' if errors != 1 else 'has'} problems, so nothing was imported. {way_out(plan, args)}"
        )
    if args.dry_run and ((plan.has_errors and not args.skip_invalid) or open_questions(plan)):
        return 1
    return 0


def _row_numbers(text: str) -> set[int]:
    try:
        numbers = {int(p) for p in text.split(",") if p.strip()}
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a list of row numbers such as 4,12") from None
    if not numbers or min(numbers) < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a list of row numbers such as 4,12")
    return numbers


def _print_returning(plan) -> None:
    """Returning people with what changed, and the rows that may be someone who applied before."""
    sure = [r for r in plan.returning_rows if not r.returning.question]
    asked = [r for r in plan.returning_rows if r.returning.question]
    if sure:
        print("Returning from an earlier cohort (the new application's values are taken unless --keep-old):")
        rows = [
            (r.row, r.name, f"#{r.returning.person_id}", r.returning.last_cohort, r.returning.describe()) for r in sure
        ]
        print_table(("Row", "Name", "Person", "Last cohort", "Changes"), rows, max_width=70)
        print()
    if asked:
        print("Possibly returning: answer with --same-person ROW or --new-person ROW:")
        rows = [
            (
                r.row,
                r.name,
                r.returning.question,
                {"same": "same person", "new": "a new person"}.get(r.returning.decision or "", "not answered"),
            )
            for r in asked
        ]
        print_table(("Row", "Name in the file", "Question", "Answer"), rows, max_width=70)
        print()


def _confidence(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number from 0 to 1") from None
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"{text} is not from 0 to 1")
    return value


def _lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return []


def load_values_file(path: Path) -> ValueMapping:
    """The confirmed value choices of a --values file (the dry run's values block, or the whole dry-run JSON)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise UserError(f"The values file {path} cannot be read: {exc.strerror or exc}.") from exc
    except ValueError as exc:
        raise UserError(f"The values file {path.name} is not valid JSON ({exc}).") from exc
    return ValueMapping.from_json(data, path.name)


def _print_adopted(adopted: dict[str, list[str]], dry_run: bool) -> None:
    """What --adopt-vocabulary takes from the file, so the seniority order can be checked before it is written."""
    if not adopted:
        return
    print(f"The cohort {'would take' if dry_run else 'takes'} the file's answers as its vocabulary:")
    stages = adopted.get("career_stages") or []
    if stages:
        print('  Career stages, most junior first (change the order with --stage-order "A,B,C"):')
        for n, stage in enumerate(stages, 1):
            print(f"    {n}. {stage}")
    for key, label in (("regions", "Regions"), ("focus_areas", "Focus areas")):
        if adopted.get(key):
            print(f"  {label}: {', '.join(adopted[key])}")
    print()


def way_out(plan, args) -> str:
    """The options that settle what is still open, named exactly."""
    threshold = args.threshold
    questions = plan.questions
    likely = [q for q in questions if q.proposed is not None and q.confidence >= threshold]
    rest = [q for q in questions if q not in likely]
    new_ok = [q for q in rest if q.field in ("career_stage", "region", "title", *AREA_FIELDS)]
    value_problems = {(q.field, q.value) for q in questions}
    steps: list[str] = []
    options: list[str] = []
    if likely and not args.accept_suggested_values:
        options.append("--accept-suggested-values")
        steps.append(f"apply the {len(likely)} proposal{'s' if len(likely) != 1 else ''} at or above {threshold}")
    if new_ok and not args.add_new_values:
        options.append("--add-new-values")
        # Each once: an area new in two columns (wanted and offered) is one area to add.
        adding: dict[str, str] = {}
        for q in new_ok:
            adding.setdefault(fold(q.value), q.value)
        names = ", ".join(f"'{value}'" for value in list(adding.values())[:8]) + (" ..." if len(adding) > 8 else "")
        steps.append(f"add {names} to the cohort's vocabulary")
    parts = []
    if options:
        parts.append(f"Run again with {' '.join(options)} to {' and '.join(steps)};")
    if questions:
        parts.append(
            "to choose each answer's scheme value yourself, save the 'values' block of "
            f"'import {args.file.name} --cohort ... --dry-run --format json', edit its \"proposed\" entries "
            "and pass it with --values FILE.json."
        )
    others = [p for p in plan.problems if not _is_value_problem(p, value_problems)]
    if others:
        missing_role = any("role is missing" in p.message for p in others)
        if len(others) == 1:  # named here, so the sentence alone says where to look
            first = others[0]
            what = f"Row {first.row}, {first.column}: {first.message.rstrip('.')}. Fix it"
        else:
            what = f"{len(others)}{' other' if parts else ''} problems (listed above): fix them"
        parts.append(
            f"{what} in the file"
            + (", give --default-role mentee|mentor|both for rows without a role" if missing_role else "")
            + " or run again with --skip-invalid to import the other rows."
        )
    return " ".join(parts)


def _is_value_problem(problem, questions: set[tuple[str, str]]) -> bool:
    return any(f"'{value}'" in problem.message for _field, value in questions)


def _print_questions(plan) -> None:
    print("Answers that need a decision (nothing is guessed):")
    rows = []
    for q in plan.questions:
        shown_rows = ", ".join(str(r) for r in q.rows[:6]) + (" ..." if len(q.rows) > 6 else "")
        proposed = q.proposed if q.proposed is not None else "(add as new)"
        rows.append(
            (LABELS.get(q.field, q.field), q.value, f"{q.count} ({shown_rows})", proposed, f"{q.confidence:.2f}")
        )
    print_table(("Field", "Answer in the file", "Rows", "Proposed", "Confidence"), rows, max_width=50)
    print()


def _print_mapping(headers: list[str], fields: list[str], source: str, as_json: bool) -> None:
    if as_json:
        print_json({"mapping": {h: (f if f != IGNORE else None) for h, f in zip(headers, fields)}})
        return
    print(f"Mapping used for {source}:")
    print_table(("Column in the file", "Imported as"), [(h, LABELS[f]) for h, f in zip(headers, fields)], max_width=70)


def run_template(ctx) -> int:
    areas = stages = regions = None
    if ctx.args.cohort:
        with ctx.db.session() as s:
            cohort = find_cohort(s, ctx.args.cohort)
            areas, stages, regions = list(cohort.focus_areas), list(cohort.career_stages), list(cohort.regions)
    target = write_template(ctx.args.output, areas, career_stages=stages, regions=regions)
    print(f"Wrote the application spreadsheet {target}.")
    return 0
