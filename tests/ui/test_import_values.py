"""The "Check the answers" step of the import wizard: the file's answers, the scheme values they become,
questions the coordinator must answer, and an empty cohort taking the form's words as its own."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook
from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtWidgets import QApplication, QComboBox, QWizard
from shiboken6 import isValid

from mentorapp.importing.reconcile import NEW, ColumnValues, ValueProposal, saved_values
from mentorapp.people.cohorts import CohortData, create_cohort
from mentorapp.people.participants import ParticipantData, create_participant, list_participants
from mentorapp.store.models import Cohort
from mentorapp_ui.importing.value_models import ValuesModel
from mentorapp_ui.importing.wizard import ImportWizard

LEFT = Qt.MouseButton.LeftButton

CHECK = Qt.ItemDataRole.CheckStateRole


def stage_column() -> ColumnValues:
    ladder = ["Trainee", "Early career", "Consultant", "Clinical lead"]
    return ColumnValues(
        "career_stage",
        [
            ValueProposal("Grade", "Consultant", [2, 3, 5], "Consultant", 1.0, "exact"),
            ValueProposal("Grade", "Registrar", [4], "Trainee", 0.62, "fuzzy"),
            ValueProposal("Grade", "Associate specialist", [6], NEW, 0.55, "new"),
        ],
        "Grade",
        ladder,
    )


def test_a_question_waits_for_a_tick_or_a_choice(qtmodeltester):
    model = ValuesModel(stage_column())
    qtmodeltester.check(model)
    assert model.open_questions == 2
    cells = [[model.index(r, c).data() for c in range(4)] for r in range(3)]
    assert cells[0] == ["Consultant", "3", "Consultant", "Sure"]
    assert cells[1] == ["Registrar", "1", "Trainee", "Question: tick or choose"]
    assert cells[2] == ["Associate specialist", "1", "Add as new", "Question: tick or choose"]
    assert model.index(0, ValuesModel.CONFIDENCE).data(CHECK) is None  # a sure line has nothing to tick
    # Ticking accepts the proposal; choosing another value answers the question too.
    assert model.setData(model.index(1, ValuesModel.CONFIDENCE), Qt.CheckState.Checked, CHECK)
    assert model.index(1, ValuesModel.CONFIDENCE).data() == "Confirmed"
    assert model.setData(model.index(2, ValuesModel.CHOICE), "Consultant")
    assert model.open_questions == 0
    assert model.choices() == {"Consultant": "Consultant", "Registrar": "Trainee", "Associate specialist": "Consultant"}
    # Only the scheme's values (and "Add as new") can be chosen.
    assert not model.setData(model.index(2, ValuesModel.CHOICE), "Professor")
    assert model.setData(model.index(2, ValuesModel.CHOICE), "Add as new")
    assert model.choices()["Associate specialist"] is NEW


def test_a_role_cannot_be_added_as_new_and_an_unread_one_must_be_chosen(qtmodeltester):
    column = ColumnValues(
        "role",
        [
            ValueProposal("Applying as", "Happy to help", [2], None, 0.0, "unknown"),
            ValueProposal("Applying as", "Looking for a mentor", [3], "mentee", 0.97, "rule"),
        ],
        "Applying as",
        ["mentor", "mentee", "both"],
    )
    model = ValuesModel(column)
    qtmodeltester.check(model)
    assert [label for _v, label in model.options()] == ["Mentor", "Mentee", "Mentor and mentee"]
    assert model.index(0, ValuesModel.CHOICE).data() == "(choose a value)"
    assert not model.setData(model.index(0, ValuesModel.CONFIDENCE), Qt.CheckState.Checked, CHECK)
    assert model.open_questions == 1
    assert model.setData(model.index(0, ValuesModel.CHOICE), "Mentor")
    assert model.choices() == {"Happy to help": "mentor", "Looking for a mentor": "mentee"}


# -- the wizard walked on a form export unlike the demo ----------------------------------------------

HEADERS = [
    "ID",
    "Start time",
    "Completion time",
    "Full name",
    "Email address",
    "Are you applying to be mentored, or to mentor?",
    "Your career stage",
    "Where are you based?",
    "Preferred way of meeting",
    "Which areas would you like support with? (all goals)",
    "Areas you could mentor in",
    "How many mentees could you take on?",
]
PEOPLE = [
    # full name, role answer, stage, region, meeting, mentee areas, mentor areas, capacity
    ("Dr Ffion Rhys", "To mentor", "Consultant", "Wales", "Video call", "", "Policy; Teaching", "Two"),
    (
        "Tomasz Wójcik",
        "To be mentored",
        "Early career",
        "Scotland",
        "Video call",
        "Policy; Exams and qualifications",
        "",
        "",
    ),
    ("Ms Nkechi Obi", "To be mentored", "Mid career", "Wales", "Face to face", "Business development", "", ""),
    ("Dr Hamish Grant", "To mentor", "Consultant", "Scotland", "No preference", "", "Teaching", "3"),
    ("Leila Haddad", "To be mentored", "Early career", "Wales", "Video call", "Teaching; Business development", "", ""),
]


def write_ms_form(path: Path, people=PEOPLE) -> Path:
    """A Microsoft Forms-style export: respondent columns, then the questions as the scheme worded them."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(HEADERS)
    start = dt.datetime(2026, 3, 2, 9, 15)
    for n, (name, role, stage, region, meeting, wants, offers, capacity) in enumerate(people, start=1):
        email = name.split()[-1].casefold().replace("ó", "o") + f"{n}@clinic.example"
        when = start + dt.timedelta(hours=n)
        ws.append(
            [
                n,
                when,
                when + dt.timedelta(minutes=9),
                name,
                email,
                role,
                stage,
                region,
                meeting,
                wants,
                offers,
                capacity,
            ]
        )
    wb.save(path)
    return path


def new_cohort(db, *, with_someone: bool) -> int:
    with db.transaction() as s:
        cohort = create_cohort(s, CohortData(name="Registrars' scheme 2026", start_date=dt.date(2026, 4, 1)))
        s.flush()
        if with_someone:
            create_participant(
                s, cohort.id, ParticipantData("Aoife", "Byrne", "aoife.byrne@clinic.example", role="mentor")
            )
        return cohort.id


def open_wizard(qtbot, make_window, db, cohort_id) -> ImportWizard:
    window = make_window(db)
    window.ctx.set_cohort(cohort_id)
    wiz = ImportWizard(window.ctx, parent=window)
    qtbot.add_widget(wiz)
    with qtbot.wait_exposed(wiz):
        wiz.show()
    return wiz


def next_button(wiz: QWizard):
    return wiz.button(QWizard.WizardButton.NextButton)


def click_next(qtbot, wiz: QWizard) -> None:
    assert next_button(wiz).isEnabled(), next_button(wiz).text()
    qtbot.mouseClick(next_button(wiz), LEFT)


def to_the_answers(qtbot, wiz: ImportWizard, path: Path) -> None:
    wiz.file_page.set_file(path)
    qtbot.waitUntil(lambda: next_button(wiz).isEnabled(), timeout=20_000)
    click_next(qtbot, wiz)
    page = wiz.mapping_page
    meeting = page.model.headers.index("Preferred way of meeting")
    if page.model.fields[meeting] != "meeting_preference":  # chosen with the keyboard, as a coordinator would
        combo = page.combo_for(meeting)
        combo.setFocus()
        qtbot.keyClicks(combo, "Meeting")
    assert page.model.fields[meeting] == "meeting_preference"
    click_next(qtbot, wiz)


def wait_for_answers(qtbot, wiz: ImportWizard):
    page = wiz.values_page
    qtbot.waitUntil(lambda: page._proposed_for is not None and not page.task.running, timeout=30_000)
    return page


def row_of(model: ValuesModel, answer: str) -> int:
    return next(n for n, line in enumerate(model.lines) if line.proposal.value == answer)


def choose_in_editor(qtbot, page, model: ValuesModel, answer: str, typed: str) -> None:
    """Open the Becomes cell's drop-down with F2 and pick a value by typing its first letters."""
    page.show_column(model.field)
    index = model.index(row_of(model, answer), ValuesModel.CHOICE)
    page.table.setCurrentIndex(index)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_F2)
    [editor] = [c for c in page.table.findChildren(QComboBox, "schemeValueCombo") if c.isVisible()]
    qtbot.keyClicks(editor, typed)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not isValid(editor) or not editor.isVisible())  # Enter closed it


def tick(qtbot, page, model: ValuesModel, answer: str) -> None:
    """Accept a proposal with the space bar on its Confidence cell."""
    page.show_column(model.field)
    page.table.setCurrentIndex(model.index(row_of(model, answer), ValuesModel.CONFIDENCE))
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Space)


def import_and_wait(qtbot, wiz: ImportWizard) -> None:
    check = wiz.check_page
    qtbot.waitUntil(lambda: wiz.plan is not None and not check.task.running, timeout=30_000)
    button = wiz.button(QWizard.WizardButton.CommitButton)
    assert button.isEnabled(), check.summary.text()
    qtbot.mouseClick(button, LEFT)
    qtbot.waitUntil(lambda: wiz.result is not None, timeout=30_000)


def test_questions_are_answered_in_the_tables_and_the_answers_land_in_the_database(qtbot, make_window, db, tmp_path):
    cohort_id = new_cohort(db, with_someone=True)  # not empty: the built-in lists stay, nothing is adopted
    wiz = open_wizard(qtbot, make_window, db, cohort_id)
    to_the_answers(qtbot, wiz, write_ms_form(tmp_path / "Mentoring applications(1-5).xlsx"))
    assert wiz.currentId() == wiz.VALUES
    page = wait_for_answers(qtbot, wiz)
    models = {m.field: m for m in page.models}
    stages, wants = models["career_stage"], models["focus_areas"]

    # The proposals the coordinator sees; the questions hold the Next button.
    stage_lines = {line.proposal.value: line for line in stages.lines}
    assert stage_lines["Consultant"].choice == "Consultant or senior practitioner"
    assert stage_lines["Mid career"].open
    assert models["meeting_preference"].choices() == {
        "Video call": "online",
        "Face to face": "in person",
        "No preference": "either",
    }
    assert models["capacity"].choices()["Two"] == "2"
    open_before = sum(m.open_questions for m in page.models)
    assert open_before >= 3
    assert not next_button(wiz).isEnabled()
    assert next_button(wiz).text() == f"Next ({open_before} questions left)"
    assert "Career stage" in page.status.text() and "Focus areas (all goals)" in page.status.text()
    assert "question" in page.columns_model.index(page.models.index(stages)).data()

    # A question is visibly marked until answered.
    mid = stages.index(row_of(stages, "Mid career"), ValuesModel.CONFIDENCE)
    assert mid.data() == "Question: tick or choose"
    assert mid.data(Qt.ItemDataRole.BackgroundRole) is not None

    # Ctrl+J goes to the first open question.
    page.show_column("role")
    wiz.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is wiz)
    qtbot.keyClick(page.table, Qt.Key.Key_J, Qt.KeyboardModifier.ControlModifier)
    assert page.current_model() is stages
    first_open = next(n for n, line in enumerate(stages.lines) if line.open)
    assert (page.table.currentIndex().row(), page.table.currentIndex().column()) == (first_open, ValuesModel.CHOICE)

    # Answer them: tick 'Mid career' (added as new), pick values in the drop-down for the others.
    tick(qtbot, page, stages, "Mid career")
    assert mid.data() == "Confirmed" and mid.data(Qt.ItemDataRole.BackgroundRole) is None
    choose_in_editor(qtbot, page, wants, "Exams and qualifications", "Specialty")
    assert wants.choices()["Exams and qualifications"] == "Specialty training and exams"
    if wants.lines[row_of(wants, "Business development")].open:
        choose_in_editor(qtbot, page, wants, "Business development", "Add")
    assert wants.choices()["Business development"] is NEW
    while sum(m.open_questions for m in page.models):  # whatever else the core asks: accept its proposal
        qtbot.keyClick(page, Qt.Key.Key_J, Qt.KeyboardModifier.ControlModifier)
        model = page.current_model()
        qtbot.mouseClick(page.accept_button, LEFT)
        assert model.open_questions == 0
    assert next_button(wiz).isEnabled() and next_button(wiz).text() == "&Next >"
    assert "Every answer has a value" in page.status.text()
    # What was used without a question but is not sure stays pointed out.
    assert "likely proposal" in page.status.text() and "Career stage" in page.status.text()
    assert page.columns_model.index(page.models.index(stages)).data() == f"Career stage ({stages.likely} likely)"
    click_next(qtbot, wiz)

    assert wiz.currentId() == wiz.CHECK
    import_and_wait(qtbot, wiz)
    assert "Business development" in wiz.check_page.areas.text()
    with db.session() as s:
        people = {p.email: p for p in list_participants(s, cohort_id)}
        cohort = s.get(Cohort, cohort_id)
        areas, ladder = list(cohort.focus_areas), list(cohort.career_stages)
        remembered = saved_values(cohort)
    assert len(people) == 6
    ffion, tomasz, nkechi = (
        people["rhys1@clinic.example"],
        people["wojcik2@clinic.example"],
        people["obi3@clinic.example"],
    )
    assert (ffion.role, ffion.career_stage, ffion.meeting_preference, ffion.capacity) == (
        "mentor",
        "Consultant or senior practitioner",
        "online",
        2,
    )
    assert {e.focus_area for e in ffion.expertise} == {"Health and work policy", "Teaching and education"}
    assert tomasz.career_stage == "Early career specialist"
    assert set(tomasz.goals[0].focus_areas) == {"Health and work policy", "Specialty training and exams"}
    assert (nkechi.career_stage, nkechi.meeting_preference) == ("Mid career", "in person")
    assert "Business development" in areas and "Mid career" in ladder
    # Remembered with the cohort's mapping: the same form next time asks nothing.
    assert remembered.lookup("focus_areas", "Exams and qualifications") == (True, "Specialty training and exams")


def test_next_years_form_of_the_same_shape_asks_nothing(qtbot, make_window, db, tmp_path):
    cohort_id = new_cohort(db, with_someone=True)
    first = open_wizard(qtbot, make_window, db, cohort_id)
    to_the_answers(qtbot, first, write_ms_form(tmp_path / "2026.xlsx"))
    page = wait_for_answers(qtbot, first)
    for n in range(len(page.models)):
        page.columns_view.setCurrentIndex(page.columns_model.index(n))
        qtbot.mouseClick(page.accept_button, LEFT)
    click_next(qtbot, first)
    import_and_wait(qtbot, first)
    first.done(0)

    later = [("Dr Rhodri Price", "To mentor", "Mid career", "Wales", "Video call", "", "Teaching", "Two")]
    again = open_wizard(qtbot, make_window, db, cohort_id)
    to_the_answers(qtbot, again, write_ms_form(tmp_path / "2027.xlsx", later))
    page = wait_for_answers(qtbot, again)
    assert sum(m.open_questions for m in page.models) == 0
    assert next_button(again).isEnabled()
    again.done(0)


def test_an_empty_cohort_takes_the_forms_words_with_the_stages_in_the_coordinators_order(
    qtbot, make_window, db, tmp_path
):
    cohort_id = new_cohort(db, with_someone=False)
    wiz = open_wizard(qtbot, make_window, db, cohort_id)
    people = [
        *PEOPLE,
        ("Sam Okoro", "To be mentored", "GP with special interest", "Wales", "Video call", "Policy", "", ""),
    ]
    to_the_answers(qtbot, wiz, write_ms_form(tmp_path / "form.xlsx", people))
    assert wiz.currentId() == wiz.VOCABULARY
    vocab = wiz.vocabulary_page
    qtbot.waitUntil(vocab.isComplete, timeout=30_000)
    assert not vocab.adopt.isChecked() and not vocab.stages.isEnabled()  # offered, not imposed
    qtbot.mouseClick(vocab.adopt, LEFT, pos=QPoint(8, vocab.adopt.height() // 2))
    assert vocab.adopt.isChecked() and vocab.stages.isEnabled()
    proposed = vocab.stage_order()
    assert sorted(proposed) == ["Consultant", "Early career", "GP with special interest", "Mid career"]
    assert proposed.index("Early career") < proposed.index("Mid career") < proposed.index("Consultant")
    assert "Business development" in vocab.areas.text() and "Teaching" in vocab.areas.text()
    assert vocab.regions.text() == "Scotland, Wales"

    # Put 'GP with special interest' just above 'Consultant': with the keyboard, then with the button.
    model = vocab.stages_model
    gp = proposed.index("GP with special interest")
    vocab.stages.setCurrentIndex(model.index(gp))
    vocab.stages.setFocus()
    while vocab.stage_order().index("GP with special interest") > 0:
        qtbot.keyClick(vocab.stages, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert vocab.stage_order()[0] == "GP with special interest"
    # Dragged below 'Mid career' (the drop the list makes when a line is dragged onto that place).
    rows = [vocab.stage_order().index("GP with special interest")]
    mime = model.mimeData([model.index(r) for r in rows])
    target = vocab.stage_order().index("Mid career") + 1
    assert model.dropMimeData(mime, Qt.DropAction.MoveAction, target, 0, QModelIndex())
    model.removeRows(0, 1)  # a move drop: the view removes the dragged line from where it was
    order = vocab.stage_order()
    assert order == ["Early career", "Mid career", "GP with special interest", "Consultant"]
    click_next(qtbot, wiz)

    page = wait_for_answers(qtbot, wiz)
    stage_choices = next(m for m in page.models if m.field == "career_stage").choices()
    assert stage_choices == {s: s for s in order}  # the answers are the cohort's own words now
    while sum(m.open_questions for m in page.models):
        page.go_to_next_question()
        qtbot.mouseClick(page.accept_button, LEFT)
    click_next(qtbot, wiz)
    import_and_wait(qtbot, wiz)
    assert "most junior first: Early career, Mid career, GP with special interest, Consultant" in (
        wiz.check_page.areas.text()
    )
    with db.session() as s:
        cohort = s.get(Cohort, cohort_id)
        assert cohort.career_stages == order
        assert cohort.regions == ["Scotland", "Wales"]
        assert "Policy" in cohort.focus_areas and "Health and work policy" not in cohort.focus_areas
        sam = next(p for p in list_participants(s, cohort_id) if p.first_name == "Sam")
        assert sam.career_stage == "GP with special interest" and sam.goals[0].focus_areas == ["Policy"]


def test_a_file_changed_after_its_answers_were_checked_sends_the_coordinator_back(qtbot, make_window, db, tmp_path):
    cohort_id = new_cohort(db, with_someone=True)
    wiz = open_wizard(qtbot, make_window, db, cohort_id)
    path = write_ms_form(tmp_path / "form.xlsx")
    to_the_answers(qtbot, wiz, path)
    page = wait_for_answers(qtbot, wiz)
    for n in range(len(page.models)):
        page.columns_view.setCurrentIndex(page.columns_model.index(n))
        qtbot.mouseClick(page.accept_button, LEFT)
    # Someone saves the form again with a late application in a new career stage.
    late = ("Dr Ola Nordmann", "To be mentored", "Staff grade doctor", "Wales", "Video call", "Policy", "", "")
    write_ms_form(path, [*PEOPLE, late])
    click_next(qtbot, wiz)
    check = wiz.check_page
    qtbot.waitUntil(lambda: wiz.plan is not None and not check.task.running, timeout=30_000)
    assert "Go back to “Check the answers” and choose a value for the 1 question in Career stage." in (
        check.summary.text()
    )
    qtbot.mouseClick(wiz.button(QWizard.WizardButton.BackButton), LEFT)
    page = wait_for_answers(qtbot, wiz)
    stages = next(m for m in page.models if m.field == "career_stage")
    assert [line.proposal.value for line in stages.lines if line.open] == ["Staff grade doctor"]
    assert next_button(wiz).text() == "Next (1 question left)"
    choose_in_editor(qtbot, page, stages, "Staff grade doctor", "Established")
    click_next(qtbot, wiz)
    import_and_wait(qtbot, wiz)
    with db.session() as s:
        ola = next(p for p in list_participants(s, cohort_id) if p.first_name == "Ola")
    assert ola.career_stage == "Established practitioner"


def test_stop_reading_the_answers_says_how_to_read_them_again(qtbot, make_window, db, tmp_path):
    cohort_id = new_cohort(db, with_someone=True)
    wiz = open_wizard(qtbot, make_window, db, cohort_id)
    many = [PEOPLE[n % len(PEOPLE)] for n in range(6000)]
    to_the_answers(qtbot, wiz, write_ms_form(tmp_path / "big.xlsx", many))
    page = wiz.values_page
    qtbot.mouseClick(page.progress.stop, LEFT)
    qtbot.waitUntil(lambda: not page.task.running, timeout=30_000)
    said = page.status.text()
    assert "Reading the answers was stopped." in said and "Go back to “Check the columns” and press Next" in said
    assert not next_button(wiz).isEnabled()
    qtbot.mouseClick(wiz.button(QWizard.WizardButton.BackButton), LEFT)
    click_next(qtbot, wiz)
    page = wait_for_answers(qtbot, wiz)
    assert sum(len(line.proposal.rows) for line in page.show_column("career_stage").lines) == 6000
