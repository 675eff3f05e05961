"""The import wizard's check shows returning people, their changes, and asks about a known email under another name."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard
from sqlalchemy import select

from mentorapp.people.cohorts import CohortData, create_cohort
from mentorapp.people.participants import GoalData, ParticipantData, create_participant
from mentorapp.store.models import Participant
from mentorapp_ui.importing.wizard import ImportWizard
from tests.support.import_fixtures import SIMPLE_HEADERS, write_csv
from tests.ui.test_import_wizard import click, through_the_answers


def test_returning_people_are_marked_and_the_question_waits_for_an_answer(qtbot, make_window, db, tmp_path):
    with db.transaction() as s:
        earlier = create_cohort(s, CohortData("Podiatry 2024", dt.date(2024, 2, 5), focus_areas=["Leadership"]))
        for first, last, email in (("Tamsin", "Croft", "t.croft@feet.test"), ("Efe", "Okoro", "efe@feet.test")):
            data = ParticipantData(first, last, email, role="mentee", organisation="Truro foot clinic")
            data.goals = [GoalData("short", "Lead the clinic's audit", ["Leadership"])]
            create_participant(s, earlier.id, data)
        later = create_cohort(s, CohortData("Podiatry 2025", dt.date(2025, 2, 3), focus_areas=["Leadership"]))
    window = make_window(db)
    window.ctx.set_cohort(later.id)
    wizard = ImportWizard(window.ctx, parent=window)
    qtbot.add_widget(wizard)
    wizard.show()
    path = write_csv(
        tmp_path / "podiatry-2025.csv",
        [*SIMPLE_HEADERS, "Organisation"],
        [
            [
                "Tamsin",
                "Croft",
                "t.croft@feet.test",
                "Mentee",
                "Run a research clinic",
                "Leadership",
                "",
                "Exeter gait lab",
            ],
            ["Effie", "Okoro", "efe@feet.test", "Mentee", "Lead a service", "Leadership", "", "Truro foot clinic"],
            ["Rohan", "Mistry", "rohan@feet.test", "Mentee", "Publish a case series", "Leadership", "", "Exeter"],
        ],
    )
    wizard.file_page.set_file(path)
    qtbot.waitUntil(lambda: wizard.button(QWizard.WizardButton.NextButton).isEnabled(), timeout=20_000)
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    through_the_answers(qtbot, wizard)
    check = wizard.check_page
    qtbot.waitUntil(lambda: wizard.plan is not None and not check.task.running, timeout=20_000)
    panel = check.returning
    assert panel.isVisible() and panel.tree.topLevelItemCount() == 2
    tamsin, effie = (panel.tree.topLevelItem(i) for i in range(2))
    assert tamsin.text(1) == "Tamsin Croft" and "Podiatry 2024" in tamsin.text(2)
    assert "under another name" in effie.text(2)
    change = tamsin.child(0)
    assert change.text(1) == "Organisation" and change.text(2) == "Truro foot clinic → Exeter gait lab"
    change.setCheckState(3, Qt.CheckState.Checked)  # keep the old organisation
    # The import waits for the answer.
    assert not check.isComplete()
    assert not wizard.button(QWizard.WizardButton.CommitButton).isEnabled()
    combo = panel.combos[3]
    combo.setCurrentIndex(combo.findData("same"))
    qtbot.waitUntil(wizard.button(QWizard.WizardButton.CommitButton).isEnabled, timeout=10_000)
    click(qtbot, wizard, QWizard.WizardButton.CommitButton)
    qtbot.waitUntil(lambda: "returning from an earlier cohort" in wizard.done_page.message.text(), timeout=20_000)
    with db.session() as s:
        now = {p.first_name: p for p in s.scalars(select(Participant).where(Participant.cohort_id == later.id))}
        people = {name: p.person_id for name, p in now.items()}
        old = s.scalars(select(Participant).where(Participant.cohort_id == earlier.id))
        before = {p.email: p.person_id for p in old}
        assert now["Tamsin"].organisation == "Truro foot clinic"
    assert people["Tamsin"] == before["t.croft@feet.test"]
    assert people["Effie"] == before["efe@feet.test"]
    assert people["Rohan"] not in before.values()
