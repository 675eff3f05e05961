"""The PDF evaluation report: the figures are in it, names and emails are not."""

from __future__ import annotations

import re

import pytest
from pypdf import PdfReader

from mentorapp.cli.main import main as cli_main
from mentorapp.demo.cohort import create_demo
from mentorapp.demo.evaluations import fill_demo_evaluations
from mentorapp.evaluation.instrument import BENEFITS
from mentorapp.evaluation.report import select_quotes, set_quote_excluded
from mentorapp.evaluation.report_pdf import export_report
from mentorapp.evaluation.stats import compute_stats
from mentorapp.outputs.files import ExportCancelledError
from mentorapp.people.cohorts import update_settings
from mentorapp.store.models import Participant
from tests.support.evaluation_data import approve_all_quotes, build_small_cohort

pytestmark = pytest.mark.both_databases


def pdf_text(path) -> str:
    return " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(str(path)).pages)


def test_report_contains_the_figures_and_no_names(db, tmp_path) -> None:
    small = build_small_cohort(db)
    approve_all_quotes(db, small.cohort_id)
    result = export_report(db, small.cohort_id, tmp_path / "report.pdf")
    assert result.pages >= 5
    text = pdf_text(result.path)
    for figure in (
        "Six-month evaluation",
        "Evaluation test",
        "3 of 5 participants (60%)",  # six-month response rate
        "Mean overall satisfaction was 4.00 out of 5",
        "50% of 2 mentees answering both times (1)",
        "Too few responses",
        "(default)",
        "no comparison group",
        "response shift",
        "Holm",
        "Moved abroad",
        "Page 2 of",
    ):
        assert figure in text, figure
    assert "[name] here: a great chat with [name]" in text
    for secret in [*small.names, *small.emails, "07700"]:
        assert not re.search(rf"\b{re.escape(secret)}\b", text), secret


def test_a_report_before_the_six_month_answers_says_so_instead_of_empty_charts(db, tmp_path) -> None:
    from mentorapp.evaluation.instrument import ResponseData, save_response

    small = build_small_cohort(db, responses=False)
    with db.transaction() as s:
        save_response(s, ResponseData(small.alice, "baseline", {"benefit_confidence": 2}))
    text = pdf_text(export_report(db, small.cohort_id, tmp_path / "interim.pdf").path)
    for sentence in (
        "Nobody has answered both times yet, so there is no change to show.",
        "Nobody has rated their overall satisfaction yet.",
        "No pair has reported its meetings yet.",
    ):
        assert sentence in text, sentence
    assert "Mean – out of 5 from 0 answers" not in text


def test_demo_report_has_no_participant_names(db, tmp_path) -> None:
    with db.transaction() as s:
        demo = create_demo(s)
        fill_demo_evaluations(s, demo.cohort_id)
    with db.session() as s:
        people = s.query(Participant.first_name, Participant.last_name, Participant.email).all()
        stats = compute_stats(s, demo.cohort_id)
    text = pdf_text(export_report(db, demo.cohort_id, tmp_path / "demo.pdf").path)
    assert f"{stats.numbers.pairs} mentoring pairs were formed" in text
    for t in stats.tests:
        if t.role == "mentee":
            assert f"{t.mean_change:+.2f} ({t.ci_low:+.2f} to {t.ci_high:+.2f})" in text
    clear = sum(1 for t in stats.tests if t.role == "mentee" and t.verdict == "clear improvement")
    assert f"clear improvement in {clear} of the 6 benefits" in text
    # Never a causal claim: the wording says what the design cannot show.
    assert "do not show that the scheme caused it" in text
    assert "improved because" not in text
    for first, last, email in people:
        assert email not in text
        assert f"{first} {last}" not in text


def test_excluded_quote_is_left_out(db, tmp_path) -> None:
    small = build_small_cohort(db)
    assert "More time to meet." not in pdf_text(export_report(db, small.cohort_id, tmp_path / "r.pdf").path)
    approve_all_quotes(db, small.cohort_id)  # read and approved: now it may be printed
    with db.session() as s:
        quote = select_quotes(compute_stats(s, small.cohort_id).quotes, "could_be_better")[0]
    assert quote.text == "More time to meet."
    with db.transaction() as s:
        set_quote_excluded(s, small.cohort_id, quote.key, True)
    assert "More time to meet." not in pdf_text(export_report(db, small.cohort_id, tmp_path / "r.pdf").path)
    with db.transaction() as s:
        set_quote_excluded(s, small.cohort_id, quote.key, False)
    assert "More time to meet." in pdf_text(export_report(db, small.cohort_id, tmp_path / "r.pdf").path)


def test_user_text_is_escaped_and_unicode_prints(db, tmp_path) -> None:
    small = build_small_cohort(db)
    from mentorapp.evaluation.instrument import ResponseData, save_response

    with db.transaction() as s:
        save_response(
            s,
            ResponseData(small.cara, "six_month", {"went_well": "Meetings <b>&</b> 王秀英 helped me grow"}),
        )
        update_settings(s, small.cohort_id, report={"society": "Society of <Occupational> Medicine & Health"})
    approve_all_quotes(db, small.cohort_id)
    text = pdf_text(export_report(db, small.cohort_id, tmp_path / "r.pdf").path)
    assert "Meetings <b>&</b> 王秀英 helped me grow" in text
    assert "Society of <Occupational> Medicine & Health" in text


def test_cancel_leaves_no_file(db, tmp_path) -> None:
    small = build_small_cohort(db)
    target = tmp_path / "r.pdf"
    seen: list[int] = []
    with pytest.raises(ExportCancelledError):
        export_report(db, small.cohort_id, target, progress=lambda d, _t: seen.append(d), cancel=lambda: len(seen) > 2)
    assert not target.exists()
    assert list(tmp_path.iterdir()) == [tmp_path / "test.db"] or not any(
        p.suffix == ".part" for p in tmp_path.iterdir()
    )


def run_cli(capsys, db_path: str, *args: str) -> tuple[int, str, str]:
    """The command line in-process (a subprocess per call would cost seconds each)."""
    code = cli_main(["--db", db_path, *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_command_line_round_trip(db_path, tmp_path, capsys) -> None:
    assert run_cli(capsys, db_path, "demo", "--with-evaluations")[0] == 0
    form = tmp_path / "form.xlsx"
    code, _out, err = run_cli(capsys, db_path, "export", "evaluation-forms", "--stage", "six-month", "-o", str(form))
    assert code == 0, err
    code, out, _err = run_cli(capsys, db_path, "import-evaluations", str(form), "--dry-run")
    assert code == 0 and "0 new responses, 0 updated" in out
    pdf = tmp_path / "report.pdf"
    code, _out, err = run_cli(capsys, db_path, "export", "report", "--cohort", "Future Leaders pilot", "-o", str(pdf))
    assert code == 0, err
    assert pdf.read_bytes().startswith(b"%PDF")
    code, out, _err = run_cli(capsys, db_path, "evaluation", "--format", "json")
    assert code == 0 and '"criteria"' in out
    code, _out, err = run_cli(capsys, db_path, "export", "evaluation-forms", "--stage", "later", "-o", str(form))
    assert code == 2 and "not an evaluation stage" in err
    code, _out, err = run_cli(capsys, db_path, "import-evaluations", str(tmp_path / "nope.xlsx"))
    assert code == 1 and "does not exist" in err


def test_the_summary_table_of_what_changed_is_never_split_across_pages(db, tmp_path) -> None:
    """A long executive summary pushed the table's last row alone onto the next page."""
    from mentorapp.evaluation.criteria import SETTINGS_KEY

    with db.transaction() as s:
        demo = create_demo(s)
        fill_demo_evaluations(s, demo.cohort_id)
        many = [  # eight criteria make the summary longer than its page
            {"kind": "improved_share", "item": item.key, "role": role, "threshold": 0.5}
            for item in BENEFITS[:4]
            for role in ("mentee", "mentor")
        ]
        update_settings(s, demo.cohort_id, **{SETTINGS_KEY: many})
    pages = [
        " ".join((page.extract_text() or "").split())
        for page in PdfReader(str(export_report(db, demo.cohort_id, tmp_path / "long.pdf").path)).pages
    ]
    heading = next(n for n, text in enumerate(pages) if "Mentees: what changed" in text)
    table = pages[heading][pages[heading].index("Mentees: what changed") :]
    assert all(item.label in table for item in BENEFITS), table
    assert "p (Holm-adju" not in " ".join(pages)  # the header broke inside the word
