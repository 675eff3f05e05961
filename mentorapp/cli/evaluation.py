"""Commands: export evaluation-forms, import-evaluations, export report, evaluation (the figures)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mentorapp.cli.output import REPLACE_HELP, print_json, print_table, refuse_existing
from mentorapp.errors import UserError
from mentorapp.evaluation.instrument import STAGE_LABELS, parse_stage
from mentorapp.people.cohorts import find_cohort

# The form and report modules (openpyxl, reportlab) are imported by the handlers
# that need them, so that every other command starts quickly.


def _stage(value: str) -> str:
    try:
        return parse_stage(value)
    except UserError as exc:
        raise argparse.ArgumentTypeError(str(exc).rstrip(".")) from None


def register(commands: argparse._SubParsersAction, exports: argparse._SubParsersAction) -> None:
    forms = exports.add_parser(
        "evaluation-forms", help="an Excel evaluation form for one stage, to fill in offline and import back"
    )
    forms.add_argument("--cohort", help="cohort name (may be left out when there is only one)")
    forms.add_argument("--stage", type=_stage, required=True, metavar="baseline|six-month")
    forms.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.xlsx")
    forms.add_argument("--blank", action="store_true", help="leave out answers already entered")
    forms.add_argument("--replace", action="store_true", help=REPLACE_HELP)
    forms.set_defaults(func=run_export_forms)

    report = exports.add_parser("report", help="the PDF evaluation report of a cohort")
    report.add_argument("--cohort", help="cohort name (may be left out when there is only one)")
    report.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.pdf")
    report.add_argument("--replace", action="store_true", help=REPLACE_HELP)
    report.set_defaults(func=run_export_report)

    imp = commands.add_parser(
        "import-evaluations",
        help="read a filled evaluation form back (all or nothing; importing again updates)",
    )
    imp.add_argument("file", type=Path, metavar="FILE.xlsx")
    imp.add_argument("--cohort", help="cohort name (may be left out when there is only one)")
    imp.add_argument("--dry-run", action="store_true", help="check the form and say what would change; write nothing")
    imp.add_argument("--format", choices=("table", "json"), default="table")
    imp.set_defaults(func=run_import)

    ev = commands.add_parser("evaluation", help="the evaluation figures and success criteria of a cohort")
    ev.add_argument("--cohort", help="cohort name (may be left out when there is only one)")
    ev.add_argument("--format", choices=("table", "json"), default="table")
    ev.set_defaults(func=run_evaluation)


def _cohort_id(ctx) -> tuple[int, str]:
    with ctx.db.session() as s:
        cohort = find_cohort(s, ctx.args.cohort)
        return cohort.id, cohort.name


def _check_suffix(path: Path, suffix: str) -> None:
    if path.suffix.lower() != suffix:
        raise UserError(f"The output file must end in {suffix}: {path}.")


def run_export_forms(ctx) -> int:
    from mentorapp.evaluation.forms import write_evaluation_form

    _check_suffix(ctx.args.output, ".xlsx")
    refuse_existing(ctx.args.output, ctx.args.replace)
    with ctx.db.transaction() as s:
        cohort = find_cohort(s, ctx.args.cohort)
        rows = write_evaluation_form(s, cohort.id, ctx.args.stage, ctx.args.output, prefill=not ctx.args.blank)
    print(
        f"Wrote the {'baseline' if ctx.args.stage == 'baseline' else 'six-month'} evaluation form "
        f"with {rows} participants to {ctx.args.output}."
    )
    return 0


def run_export_report(ctx) -> int:
    from mentorapp.evaluation.report_pdf import export_report

    _check_suffix(ctx.args.output, ".pdf")
    refuse_existing(ctx.args.output, ctx.args.replace)
    cohort_id, _name = _cohort_id(ctx)
    result = export_report(ctx.db, cohort_id, ctx.args.output)
    print(f"Wrote the evaluation report ({result.pages} pages) to {result.path}.")
    return 0


def run_import(ctx) -> int:
    from mentorapp.evaluation.forms import FormRefusedError, import_evaluation_form, read_evaluation_form

    cohort_id, _name = _cohort_id(ctx)
    as_json = ctx.args.format == "json"
    try:
        if ctx.args.dry_run:
            with ctx.db.session() as s:
                reading = read_evaluation_form(s, cohort_id, ctx.args.file)
        else:
            reading = import_evaluation_form(ctx.db, cohort_id, ctx.args.file)
    except FormRefusedError as exc:
        _print_problems(exc.reading, as_json, written=False)
        raise
    _print_problems(reading, as_json, written=not ctx.args.dry_run)
    if not as_json:
        prefix = "Dry run, nothing written: " if ctx.args.dry_run else "Imported. "
        print(prefix + reading.summary())
    return 1 if reading.problems else 0


def _print_problems(reading, as_json: bool, *, written: bool) -> None:
    if as_json:
        data = reading.to_json()
        data["written"] = written and not reading.problems
        print_json(data)
        return
    if reading.problems:
        print(f"Problems in {reading.path.name}:", file=sys.stderr)
        for p in reading.problems:
            print(f"  {p}", file=sys.stderr)


def run_evaluation(ctx) -> int:
    from mentorapp.evaluation.report import fmt_change, fmt_mean, fmt_pct
    from mentorapp.evaluation.stats import compute_stats

    cohort_id, _name = _cohort_id(ctx)
    with ctx.db.session() as s:
        stats = compute_stats(s, cohort_id)
    if ctx.args.format == "json":
        data = stats.to_json()
        data["quotes"] = [q for q in data["quotes"] if not q["excluded"]]
        print_json(data)
        return 0
    print(f"{stats.cohort_name}: evaluation")
    print()
    print_table(
        ("Stage", "Mentees", "Mentors", "All"),
        [
            [STAGE_LABELS[stage]]
            + [
                f"{r.responded}/{r.asked} ({fmt_pct(r.rate)})"
                for r in (stats.rate(stage, g) for g in ("mentee", "mentor", "all"))
            ]
            for stage in ("baseline", "six_month")
        ],
    )
    print()
    print_table(
        ("Benefit (mentees)", "Baseline", "Six months", "Both times", "Change", "Improved"),
        [
            [
                b.label,
                fmt_mean(b.baseline_mean),
                fmt_mean(b.six_month_mean),
                b.paired_n,
                fmt_change(b.mean_change),
                fmt_pct(b.share_improved),
            ]
            for b in stats.benefits["mentee"]
        ],
    )
    print()
    sat = stats.satisfaction["all"]
    print(
        f"Satisfaction: mean {fmt_mean(sat.mean)} of 5 from {sat.n}; would recommend {fmt_pct(stats.recommend_share)}."
    )
    print(f"Meetings per pair: mean {fmt_mean(stats.meetings.mean)}, median {fmt_mean(stats.meetings.median)}.")
    print()
    print_table(
        ("Success criterion", "Result", "Verdict"),
        [
            [c.description, c.figure, "met" if c.met else "not met" if c.met is False else "no data"]
            for c in stats.criteria
        ],
        max_width=60,
    )
    return 0
