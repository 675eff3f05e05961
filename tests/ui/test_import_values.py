"""The "Check the answers" step of the import wizard: the file's answers, the scheme values they become,
questions the coordinator must answer, and an empty cohort taking the form's words as its own."""

from __future__ import annotations

from PySide6.QtCore import Qt

from mentorapp.importing.reconcile import NEW, ColumnValues, ValueProposal
from mentorapp_ui.importing.value_models import ValuesModel

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
