"""Every dialog that can go back to the defaults says it the same way: "Restore defaults"."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractButton

from mentorapp.evaluation.settings import EvaluationSettings
from mentorapp.matching.weights import cohort_weights
from mentorapp_ui.app.actions import plain
from mentorapp_ui.evaluation.settings_dialog import EvaluationSettingsDialog
from mentorapp_ui.people.weights_dialog import WeightsDialog
from mentorapp_ui.running.chase_dialog import ChaseDialog


def restore_buttons(dialog) -> list[str]:
    return [
        plain(b.text())
        for b in dialog.findChildren(QAbstractButton)
        if plain(b.text()).casefold().startswith("restore") and b.isVisible()
    ]


def test_matching_weights_evaluation_settings_and_chase_emails_all_say_restore_defaults(make_window, demo_db, qtbot):
    window = make_window(demo_db)
    cohort_id = window.ctx.cohort_id
    with demo_db.session() as s:
        weights = cohort_weights(s, cohort_id)
    dialogs = (
        WeightsDialog("Future Leaders pilot", weights, window),
        EvaluationSettingsDialog(EvaluationSettings(None, None, False), window),
        ChaseDialog(window.ctx, cohort_id, "first-meeting", parent=window),
    )
    for dialog in dialogs:
        qtbot.add_widget(dialog)
        dialog.show()
        assert restore_buttons(dialog) == ["Restore defaults"], type(dialog).__name__
        dialog.close()
