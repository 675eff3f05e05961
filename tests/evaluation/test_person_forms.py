"""A form per person (nobody else in it), a folder of returned forms, no silent overwrite, answer dates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook

from mentorapp.cli.main import main as cli_main
from mentorapp.errors import UserError
from mentorapp.evaluation.form_folder import import_forms, read_forms
from mentorapp.evaluation.form_reading import FormRefusedError
from mentorapp.evaluation.forms import FORM_SHEET, write_evaluation_form
from mentorapp.evaluation.instrument import ResponseData, get_response, save_response
from mentorapp.evaluation.person_forms import ANSWER_COL, KEY_COL, SHEET, export_person_forms
from mentorapp.people.participants import ParticipantData, create_participant
from mentorapp.store.models import Match
from tests.support.evaluation_data import build_small_cohort

pytestmark = pytest.mark.both_databases


def every_text(path: Path) -> str:
    """Every cell of every sheet, hidden ones included, and the data validations' lists."""
    wb = load_workbook(path)
    parts = []
    for ws in wb.worksheets:
        parts.append(ws.title)
        for row in ws.iter_rows(values_only=True):
            parts += [str(v) for v in row if v is not None]
        parts += [str(dv.formula1) for dv in ws.data_validations.dataValidation]
    return "\n".join(parts)


def export(db, cohort_id: int, stage: str, folder: Path, **kw) -> list[Path]:
    with db.transaction() as s:
        return export_person_forms(s, cohort_id, stage, folder, **kw)


def answer_rows(path: Path) -> tuple[object, dict[str, int]]:
    wb = load_workbook(path)
    ws = wb[SHEET]
    rows = {ws.cell(row=r, column=KEY_COL).value: r for r in range(1, ws.max_row + 1)}
    return wb, {k: r for k, r in rows.items() if isinstance(k, str)}


def fill(path: Path, answers: dict[str, object]) -> None:
    wb, rows = answer_rows(path)
    ws = wb[SHEET]
    for key, value in answers.items():
        ws.cell(row=rows[key], column=ANSWER_COL).value = value
    wb.save(path)


def path_of(paths: list[Path], pid: int) -> Path:
    return next(p for p in paths if p.stem.endswith(f" {pid}"))


def test_each_form_names_only_its_participant_and_their_own_partners(db, tmp_path) -> None:
    small = build_small_cohort(db)
    people = {
        small.alice: ("Alice", "Archer"),
        small.bob: ("Bob", "Baker"),
        small.cara: ("Cara", "Cole"),
        small.xavier: ("Xavier", "Xu"),
        small.yasmin: ("Yasmin", "Young"),
    }
    partners = {
        small.alice: {small.xavier},
        small.bob: {small.xavier},
        small.cara: {small.yasmin},
        small.xavier: {small.alice, small.bob},
        small.yasmin: {small.cara},
    }
    for stage in ("baseline", "six_month"):
        paths = export(db, small.cohort_id, stage, tmp_path / stage, with_baseline=stage == "six_month")
        assert len(paths) == 5 and len({p.name.casefold() for p in paths}) == 5
        for pid, (first, last) in people.items():
            text = every_text(path_of(paths, pid))
            assert f"{first} {last}" in text and f"Dear {first}," in text
            assert "confidential" in text and "never yours alone" in text
            # Partners are named only where a question refers to them (meetings, at six months).
            allowed = {pid} | (partners[pid] if stage == "six_month" else set())
            for other, (ofirst, olast) in people.items():
                if other not in allowed:
                    for word in (ofirst, olast, f"{ofirst.lower()}.{olast.lower()}@example.org"):
                        assert word not in text, (pid, word)
            assert f"{first.lower()}.{last.lower()}@example.org" not in text  # no e-mail is needed at all
    six = every_text(path_of(export(db, small.cohort_id, "six_month", tmp_path / "again"), small.xavier))
    assert "your mentees, Alice Archer and Bob Baker" in six


def test_scale_words_fit_each_question_and_baseline_answers_are_shown(db, tmp_path) -> None:
    small = build_small_cohort(db)
    paths = export(db, small.cohort_id, "six_month", tmp_path, with_baseline=True, prefill=False)
    wb, rows = answer_rows(path_of(paths, small.alice))
    ws = wb[SHEET]
    lists = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}
    assert lists[f"C{rows['benefit_confidence']}"] == (
        '"1 - Not at all confident,2 - Slightly confident,3 - Fairly confident,4 - Very confident,'
        '5 - Extremely confident"'
    )
    assert lists[f"C{rows['satisfaction']}"].startswith('"1 - Very dissatisfied,')
    assert "1 = Very limited" in ws.cell(row=rows["benefit_knowledge"], column=4).value
    # Her own baseline answers beside the questions (confidence 2, knowledge 3), not her six-month ones.
    assert ws.cell(row=rows["benefit_confidence"], column=5).value == "2 - Slightly confident"
    assert ws.cell(row=rows["benefit_knowledge"], column=5).value == "3 - Adequate"
    assert ws.cell(row=rows["benefit_confidence"], column=ANSWER_COL).value is None
    assert "mentor_learning" not in rows  # a mentee is not asked the mentors' question


def test_file_names_are_safe_and_unique(db, tmp_path) -> None:
    small = build_small_cohort(db)
    with db.transaction() as s:
        for email in ("a1@example.org", "a2@example.org"):
            twin = create_participant(
                s,
                small.cohort_id,
                ParticipantData(first_name="Zoë/..", last_name='O"Neil:*', email=email, role="mentee", consent=True),
                validate=False,
            )
            s.add(Match(cohort_id=small.cohort_id, mentor_id=small.yasmin, mentee_id=twin.id, status="active"))
    paths = export(db, small.cohort_id, "baseline", tmp_path)
    names = [p.name for p in paths]
    assert len(names) == 7 and len({n.casefold() for n in names}) == 7
    assert all(Path(n).name == n and not set(n) & set('/\\:*?"<>|') for n in names)


def test_a_folder_of_returned_forms_is_imported_all_or_nothing(db, tmp_path) -> None:
    small = build_small_cohort(db, responses=False)
    paths = export(db, small.cohort_id, "six_month", tmp_path)
    # As people type them without the dropdown: the rating's word alone, a day-first date.
    fill(path_of(paths, small.alice), {"benefit_confidence": "very confident", "would_recommend": "Yes"})
    fill(path_of(paths, small.xavier), {"mentor_learning_rating": "5/5", "date_answered": "03/03/2022"})
    fill(path_of(paths, small.bob), {"satisfaction": "11"})  # a problem: nothing at all is written
    with pytest.raises(FormRefusedError, match="has 1 problem"):
        import_forms(db, small.cohort_id, tmp_path)
    with db.session() as s:
        assert get_response(s, small.alice, "six_month") is None
    fill(path_of(paths, small.bob), {"satisfaction": 3})
    readings = import_forms(db, small.cohort_id, tmp_path)
    assert sum(r.count("create") for r in readings) == 3 and sum(r.blank_rows for r in readings) == 2
    with db.session() as s:
        assert get_response(s, small.alice, "six_month").answers == {"benefit_confidence": 4, "would_recommend": True}
        x = get_response(s, small.xavier, "six_month")
    assert x.answers == {"mentor_learning_rating": 5} and x.submitted_on == dt.date(2022, 3, 3)
    # The same folder again: nothing changes, nothing conflicts.
    again = import_forms(db, small.cohort_id, tmp_path)
    assert sum(r.count("unchanged") for r in again) == 3 and not any(r.conflicts for r in again)


def test_an_older_form_is_refused_with_its_conflicts(db, tmp_path) -> None:
    small = build_small_cohort(db)
    grid = tmp_path / "grid.xlsx"
    with db.transaction() as s:
        write_evaluation_form(s, small.cohort_id, "six_month", grid)
    # After the form was made, the coordinator corrects Bob's satisfaction in the application.
    with db.transaction() as s:
        current = get_response(s, small.bob, "six_month")
        save_response(s, ResponseData(small.bob, "six_month", {**current.answers, "satisfaction": 5}))
    wb = load_workbook(grid)
    ws = wb[FORM_SHEET]
    keys = {c.value: c.column for c in ws[1] if c.value}
    bob = next(r for r in range(3, ws.max_row + 1) if ws.cell(row=r, column=1).value == small.bob)
    ws.cell(row=bob, column=keys["meetings"]).value = 4
    wb.save(grid)
    with pytest.raises(FormRefusedError, match="older than the answers it would change for 1 participant") as caught:
        import_forms(db, small.cohort_id, grid)
    reading = caught.value.reading
    assert [r.data.participant_id for r in reading.conflicts] == [small.bob]
    assert "Bob Baker: answers saved" in reading.conflict_lines()[0]
    # The stale form would also put satisfaction 3 back over 5: both listed.
    assert {str(c) for c in reading.conflicts[0].changes} == {"Overall satisfaction: 5 -> 3", "Meetings held: 2 -> 4"}
    with db.session() as s:
        assert get_response(s, small.bob, "six_month").answers["satisfaction"] == 5
    import_forms(db, small.cohort_id, grid, conflicts="skip")
    with db.session() as s:
        assert get_response(s, small.bob, "six_month").answers["satisfaction"] == 5
    import_forms(db, small.cohort_id, grid, conflicts="overwrite")
    with db.session() as s:
        assert get_response(s, small.bob, "six_month").answers["meetings"] == 4


def test_editing_a_form_after_importing_it_is_no_conflict(db, tmp_path) -> None:
    small = build_small_cohort(db, responses=False)
    (alice,) = [p for p in export(db, small.cohort_id, "baseline", tmp_path) if p.stem.endswith(f" {small.alice}")]
    fill(alice, {"benefit_confidence": 2})
    import_forms(db, small.cohort_id, alice)
    fill(alice, {"benefit_confidence": 3, "benefit_network": 4})
    (reading,) = import_forms(db, small.cohort_id, alice)
    assert reading.count("update") == 1 and not reading.conflicts


def test_dry_run_lists_every_changed_cell_and_a_cleared_answer_as_a_deletion(db, db_path, tmp_path, capsys) -> None:
    small = build_small_cohort(db)
    grid = tmp_path / "grid.xlsx"
    with db.transaction() as s:
        write_evaluation_form(s, small.cohort_id, "six_month", grid)
    wb = load_workbook(grid)
    ws = wb[FORM_SHEET]
    keys = {c.value: c.column for c in ws[1] if c.value}
    alice = next(r for r in range(3, ws.max_row + 1) if ws.cell(row=r, column=1).value == small.alice)
    ws.cell(row=alice, column=keys["meetings"]).value = None  # cleared
    ws.cell(row=alice, column=keys["satisfaction"]).value = 4
    wb.save(grid)
    assert cli_main(["--db", db_path, "import-evaluations", str(grid), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert f"Row {alice}, Alice Archer: Overall satisfaction: 5 -> 4" in out
    assert f"Row {alice}, Alice Archer: Meetings held: 6 deleted" in out
    assert "1 stored answer deleted" in out and "Dry run, nothing written" in out
    with db.session() as s:
        assert get_response(s, small.alice, "six_month").answers["meetings"] == 6


def test_answer_dates_outside_the_window_are_refused(db, tmp_path) -> None:
    small = build_small_cohort(db, responses=False)  # starts 2021-09-01, evaluated 2022-03-01
    (alice,) = [p for p in export(db, small.cohort_id, "six_month", tmp_path) if p.stem.endswith(f" {small.alice}")]
    for day, words in (
        (dt.datetime(2021, 5, 31), "earliest date accepted is 2021-06-01"),
        (dt.datetime(2022, 9, 2), "latest date accepted is 2022-09-01"),
        (dt.datetime(2202, 3, 1), "latest date accepted"),
    ):
        fill(alice, {"satisfaction": 4, "date_answered": day})
        with db.session() as s:
            (reading,) = read_forms(s, small.cohort_id, alice)
        assert len(reading.problems) == 1 and words in reading.problems[0].message
    fill(alice, {"date_answered": dt.datetime(2021, 6, 1)})  # baselines are often collected early
    with db.session() as s:
        assert not read_forms(s, small.cohort_id, alice)[0].problems
    with db.transaction() as s, pytest.raises(UserError, match="Date answered: 2023-01-01 is more than 6 months"):
        save_response(s, ResponseData(small.cara, "six_month", {"satisfaction": 4}, dt.date(2023, 1, 1)))


def test_command_line_per_person_export_and_folder_import(db, db_path, tmp_path, capsys) -> None:
    small = build_small_cohort(db)
    out_dir = tmp_path / "forms"
    base = ["--db", db_path, "export", "evaluation-forms", "--stage", "six-month"]
    assert cli_main([*base, "--per-person", "--out-dir", str(out_dir), "--with-baseline"]) == 0
    assert "Wrote 5 six-month evaluation forms, one per participant" in capsys.readouterr().out
    assert cli_main([*base, "--per-person", "--out-dir", str(out_dir)]) == 1
    assert "from an earlier export" in capsys.readouterr().err
    assert cli_main([*base, "--per-person", "--out-dir", str(out_dir), "--replace"]) == 0
    assert cli_main([*base, "--per-person"]) == 2
    assert cli_main([*base, "--out-dir", str(out_dir)]) == 2
    capsys.readouterr()
    forms = sorted(out_dir.glob("*.xlsx"))
    fill(next(p for p in forms if p.stem.endswith(f" {small.cara}")), {"satisfaction": 2})
    assert cli_main(["--db", db_path, "import-evaluations", str(out_dir)]) == 0
    # One sentence for the folder, not a line per form.
    out = capsys.readouterr().out.strip().splitlines()
    assert out == [
        "Imported. 5 forms: 1 new response, 0 updated, 3 unchanged; 1 came back empty, which changes nothing."
    ]
    with db.session() as s:
        assert get_response(s, small.cara, "six_month").answers == {"satisfaction": 2}
    # A change to a participant's own form is named by the person, not by a 'Row 1' the form does not have.
    fill(next(p for p in forms if p.stem.endswith(f" {small.cara}")), {"satisfaction": 4})
    assert cli_main(["--db", db_path, "import-evaluations", str(out_dir), "--dry-run"]) == 0
    changes = [line for line in capsys.readouterr().out.splitlines() if "atisfaction" in line]
    assert changes and not any(line.lstrip().startswith("Row ") for line in changes), changes
