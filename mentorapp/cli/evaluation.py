"""Commands: export evaluation-forms, import-evaluations, export report, evaluation (the figures and
paired tests), criteria (the cohort's success criteria), evaluation-themes, evaluation-options."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mentorapp.cli.output import REPLACE_HELP, print_json, print_table, refuse_existing
from mentorapp.errors import UsageError, UserError
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
    target = forms.add_mutually_exclusive_group(required=True)
    target.add_argument("-o", "--output", type=Path, metavar="FILE.xlsx", help="the coordinator's grid, one file")
    target.add_argument(
        "--out-dir", type=Path, metavar="DIR", help="with --per-person: one form per participant in this folder"
    )
    forms.add_argument(
        "--per-person",
        action="store_true",
        help="one workbook per participant, naming nobody else, to send to them (needs --out-dir)",
    )
    forms.add_argument(
        "--with-baseline", action="store_true", help="six-month forms per person: show their own baseline answers"
    )
    forms.add_argument("--blank", action="store_true", help="leave out answers already entered")
    forms.add_argument(
        "--replace",
        action="store_true",
        help="with -o: write over FILE.xlsx if it exists; with --out-dir: remove the forms an earlier export "
        "wrote in DIR (other files there are never touched)",
    )
    forms.set_defaults(func=run_export_forms)

    report = exports.add_parser("report", help="the PDF evaluation report of a cohort")
    report.add_argument("--cohort", help="cohort name (may be left out when there is only one)")
    report.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.pdf")
    report.add_argument("--replace", action="store_true", help=REPLACE_HELP)
    report.add_argument(
        "--compare",
        metavar="OTHER",
        help="add a section comparing the cohort with another cohort (e.g. the pilot): the same measures side by side",
    )
    report.set_defaults(func=run_export_report)

    imp = commands.add_parser(
        "import-evaluations",
        help="read filled evaluation forms back: a file or a folder of them (all or nothing; importing again updates)",
    )
    imp.add_argument("file", type=Path, metavar="FILE.xlsx|DIR")
    imp.add_argument("--cohort", help="cohort name (may be left out when there is only one)")
    imp.add_argument(
        "--dry-run", action="store_true", help="check the forms and list every answer that would change; write nothing"
    )
    newer = imp.add_mutually_exclusive_group()
    newer.add_argument(
        "--overwrite-newer",
        action="store_true",
        help="also replace answers saved after the form was made (without it such a form is refused)",
    )
    newer.add_argument(
        "--skip-newer", action="store_true", help="leave answers saved after the form was made as they are"
    )
    imp.add_argument("--format", choices=("table", "json"), default="table")
    imp.set_defaults(func=run_import)

    ev = commands.add_parser("evaluation", help="the evaluation figures, paired tests and success criteria")
    ev.add_argument("--cohort", help="cohort name (may be left out when there is only one)")
    ev.add_argument("--format", choices=("table", "json"), default="table")
    ev.set_defaults(func=run_evaluation)

    from mentorapp.cli.evaluation_settings import register_settings

    register_settings(commands)


def _cohort_id(ctx) -> tuple[int, str]:
    with ctx.db.session() as s:
        cohort = find_cohort(s, ctx.args.cohort)
        return cohort.id, cohort.name


def _check_suffix(path: Path, suffix: str) -> None:
    if path.suffix.lower() != suffix:
        raise UserError(f"The output file must end in {suffix}: {path}.")


def run_export_forms(ctx) -> int:
    from mentorapp.evaluation.forms import write_evaluation_form

    stage_word = "baseline" if ctx.args.stage == "baseline" else "six-month"
    if ctx.args.per_person != (ctx.args.out_dir is not None):
        raise UsageError("export evaluation-forms: --per-person and --out-dir go together (-o writes the grid).")
    if ctx.args.per_person:
        from mentorapp.evaluation.person_forms import export_person_forms

        with ctx.db.transaction() as s:
            cohort = find_cohort(s, ctx.args.cohort)
            paths = export_person_forms(
                s,
                cohort.id,
                ctx.args.stage,
                ctx.args.out_dir,
                prefill=not ctx.args.blank,
                with_baseline=ctx.args.with_baseline,
                earlier="clear" if ctx.args.replace else "refuse",
            )
        print(f"Wrote {len(paths)} {stage_word} evaluation forms, one per participant, to {ctx.args.out_dir}.")
        return 0
    if ctx.args.with_baseline:
        raise UsageError("export evaluation-forms: --with-baseline is for the forms per person (--per-person).")
    _check_suffix(ctx.args.output, ".xlsx")
    refuse_existing(ctx.args.output, ctx.args.replace)
    with ctx.db.transaction() as s:
        cohort = find_cohort(s, ctx.args.cohort)
        rows = write_evaluation_form(s, cohort.id, ctx.args.stage, ctx.args.output, prefill=not ctx.args.blank)
    print(f"Wrote the {stage_word} evaluation form with {rows} participants to {ctx.args.output}.")
    return 0


def run_export_report(ctx) -> int:
    from mentorapp.evaluation.report_pdf import export_report

    _check_suffix(ctx.args.output, ".pdf")
    refuse_existing(ctx.args.output, ctx.args.replace)
    cohort_id, _name = _cohort_id(ctx)
    other_id = None
    if ctx.args.compare:
        with ctx.db.session() as s:
            other_id = find_cohort(s, ctx.args.compare).id
    result = export_report(ctx.db, cohort_id, ctx.args.output, compare_with=other_id)
    print(f"Wrote the evaluation report ({result.pages} pages) to {result.path}.")
    return 0


def run_import(ctx) -> int:
    from mentorapp.evaluation.form_folder import import_forms, read_forms
    from mentorapp.evaluation.form_reading import FormRefusedError

    cohort_id, _name = _cohort_id(ctx)
    as_json = ctx.args.format == "json"
    conflicts = "overwrite" if ctx.args.overwrite_newer else "skip" if ctx.args.skip_newer else "refuse"
    try:
        if ctx.args.dry_run:
            with ctx.db.session() as s:
                readings = read_forms(s, cohort_id, ctx.args.file)
        else:
            readings = import_forms(ctx.db, cohort_id, ctx.args.file, conflicts=conflicts)
    except FormRefusedError as exc:
        _print_readings([exc.reading], as_json, written=False, dry_run=ctx.args.dry_run)
        raise
    _print_readings(readings, as_json, written=not ctx.args.dry_run, dry_run=ctx.args.dry_run)
    bad = any(r.problems for r in readings) or (
        ctx.args.dry_run and conflicts == "refuse" and any(r.conflicts for r in readings)
    )
    return 1 if bad else 0


def _print_readings(readings, as_json: bool, *, written: bool, dry_run: bool) -> None:
    from mentorapp.evaluation.form_reading import folder_summary

    if as_json:
        if len(readings) == 1:
            data = readings[0].to_json()
            data["written"] = written and not readings[0].problems
        else:
            data = {
                "forms": [r.to_json() for r in readings],
                "written": written and not any(r.problems for r in readings),
            }
        print_json(data)
        return
    for reading in readings:
        if reading.problems:
            print(f"Problems in {reading.path.name}:", file=sys.stderr)
            for p in reading.problems:
                print(f"  {p}", file=sys.stderr)
        if reading.conflicts:
            print(f"Answers saved after {reading.path.name} was made:", file=sys.stderr)
            for line in reading.conflict_lines():
                print(f"  {line}", file=sys.stderr)
        if dry_run and not reading.problems:
            lines = reading.change_lines()
            if lines:
                print(f"{reading.path.name} would change:")
                for line in lines:
                    print(f"  {line}")
    if not any(r.problems for r in readings):
        prefix = "Dry run, nothing written: " if dry_run else "Imported. " if written else ""
        print(prefix + folder_summary(readings))


def run_evaluation(ctx) -> int:
    from mentorapp.evaluation.report import fmt_change_ci, fmt_mean, fmt_mean2, fmt_median, fmt_p, fmt_pct
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
    if stats.numbers.both_note():
        print(stats.numbers.both_note())
    for role in ("mentee", "mentor"):
        tests = [t for t in stats.tests if t.role == role]
        n = max((t.n_pairs for t in tests), default=0)
        print()
        print(f"{role.capitalize()}s who answered both times (paired, n up to {n}):")
        print_table(
            (
                "Benefit",
                "n",
                "Up/same/down",
                "Before median (IQR)",
                "After median (IQR)",
                "Change (95% CI)",
                "p",
                "p Holm",
                "r",
                "Verdict",
            ),
            [
                [
                    t.label,
                    t.n_pairs,
                    f"{t.improved}/{t.unchanged}/{t.worse}",
                    fmt_median(t.before_median, t.before_q1, t.before_q3),
                    fmt_median(t.after_median, t.after_q1, t.after_q3),
                    fmt_change_ci(t.mean_change, t.ci_low, t.ci_high),
                    fmt_p(t.p_value),
                    fmt_p(t.p_holm),
                    "–" if t.effect_size is None else f"{t.effect_size:+.2f}",
                    t.verdict,
                ]
                for t in tests
            ],
        )
    print(
        "Wilcoxon signed-rank test (zero differences dropped; exact up to 50 pairs that changed), Holm-adjusted "
        "over the six benefits of each role; r: matched-pairs rank-biserial correlation."
    )
    print()
    sat = stats.satisfaction["all"]
    print(
        # Two decimals, as the criteria and the report judge it (4.37 must not read 4.4 beside them).
        f"Satisfaction: mean {fmt_mean2(sat.mean)} of 5 from {sat.n}; would recommend {fmt_pct(stats.recommend_share)}."
    )
    print(f"Meetings per pair: mean {fmt_mean(stats.meetings.mean)}, median {fmt_mean(stats.meetings.median)}.")
    print()
    print_table(
        ("Success criterion", "Result", "Verdict"),
        [[c.description + (" (default)" if c.default else ""), c.figure, c.verdict.lower()] for c in stats.criteria],
        max_width=100,  # a criterion and its figure are sentences: printed whole
    )
    return 0
