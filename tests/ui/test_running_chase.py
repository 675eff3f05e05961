"""Chase e-mails, check-in forms and the running settings through their dialogs."""

from __future__ import annotations

from email import policy
from email.parser import BytesParser

import pytest
from PySide6.QtWidgets import QApplication

from mentorapp.demo.cohort import create_demo
from mentorapp.demo.running import demo_today, fill_demo_running
from mentorapp.running.checkins import checkin_schedule
from mentorapp.store.models import ChaseMark, Cohort
from mentorapp_ui.running.chase_dialog import ChaseDialog
from mentorapp_ui.running.day import set_today
from mentorapp_ui.running.settings_dialog import RunningSettingsDialog


@pytest.fixture
def running_db(db):
    with db.transaction() as s:
        result = create_demo(s, name="Autumn scheme 2021", mentees=12, mentors=9, seed=7)
        fill_demo_running(s, result.cohort_id, seed=7)
        set_today(demo_today(s.get(Cohort, result.cohort_id)))
    yield db
    set_today(None)


def modal(kind):
    widget = QApplication.activeModalWidget()
    assert isinstance(widget, kind), widget
    return widget


def test_chase_drafts_are_written_one_per_person_and_marked_as_chased(make_window, running_db, qtbot, tmp_path):
    window = make_window(running_db)
    page = window.current_page()
    no_meeting = {p.mentee.name for p in page.board.at_risk if any(f.rule == "no_first_meeting" for f in p.flags)}
    assert no_meeting
    page.findChild(type(page.start_button), "chase_first-meeting").click()
    dialog = modal(ChaseDialog)
    assert dialog.about == "first-meeting"
    people = {i.person.name for i in dialog.model.items}
    assert no_meeting <= people and len(dialog.model.items) == 2 * len(no_meeting)  # both sides of each pair
    first = dialog.model.items[0]
    assert first.person.name in dialog.preview.toPlainText() or first.person.first_name in dialog.preview.toPlainText()
    # An unknown placeholder is refused at save with its name; nothing is stored.
    dialog.body.setPlainText(dialog.body.toPlainText() + "\nSee you at {meeting_place}.")
    assert not dialog.save_template()
    assert "{meeting_place}" in dialog.error.text()
    dialog.restore_default()
    dialog.subject.setText("First meeting with {partner_first_name}?")
    assert dialog.save_template()
    # Drafts into a folder, off the GUI thread: one .eml per person, read back with the email package.
    folder = tmp_path / "drafts"
    dialog.ask_folder = lambda: str(folder)
    task = dialog.write()
    qtbot.waitUntil(lambda: folder.is_dir() and len(list(folder.glob("*.eml"))) == len(dialog.model.items))
    assert task is not None
    eml = sorted(folder.glob("*.eml"))[0]
    message = BytesParser(policy=policy.default).parsebytes(eml.read_bytes())
    item = next(i for i in dialog.model.items if i.person.email in message["To"])
    assert message["X-Unsent"] == "1"
    assert message["Subject"] == f"First meeting with {item.partner.first_name or item.partner.name}?"
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert item.partner.name in body and "{" not in body
    # One at a time in the mail client, and every address for one blind copy.
    opened = []
    dialog.open_url = lambda url: opened.append(url.toString())
    dialog.open_button.click()
    dialog.open_button.click()
    assert len(opened) == 2 and all(u.startswith("mailto:") for u in opened) and opened[0] != opened[1]
    dialog.copy_button.click()
    assert QApplication.clipboard().text().count("@") == len({i.person.email for i in dialog.model.items})
    # Marked as chased: the day shows in the list and on the dashboard.
    assert dialog.mark()
    day = page.board.today
    assert {i.last_chased for i in dialog.model.items} == {day}
    with running_db.session() as s:
        assert s.query(ChaseMark).filter_by(about="first-meeting", sent_on=day).count() == len(people)
    dialog.reject()
    page.refresh()
    label = page.findChild(type(page.heading), "chased_first-meeting")
    assert f"{day.day} " in label.text() and str(day.year) in label.text()
    window.ctx.undo_stack.undo()
    with running_db.session() as s:
        assert s.query(ChaseMark).filter_by(sent_on=day).count() == 0


def test_check_in_days_edited_in_the_settings_dialog(make_window, running_db, qtbot):
    window = make_window(running_db)
    window.ctx.actions.action("running.settings").trigger()
    dialog = modal(RunningSettingsDialog)
    dialog.days.setText("30, ninety")
    assert "'ninety' is not a number of days" in dialog.dates.text()
    dialog.save()
    assert dialog.isVisible() and "ninety" in dialog.error.text()
    dialog.days.setText("30; 75, 140")
    assert "On " in dialog.dates.text()
    dialog.quiet_weeks.setValue(6)
    dialog.sender_email.setText("not an address")
    dialog.save()
    assert "not a valid address" in dialog.error.text()
    dialog.sender_email.setText("coordinator@autumn.example")
    dialog.save()
    assert not dialog.isVisible()
    with running_db.session() as s:
        assert [c.day for c in checkin_schedule(s, window.ctx.cohort_id)] == [30, 75, 140]


def test_check_in_forms_are_exported_to_a_folder(make_window, running_db, qtbot, tmp_path):
    window = make_window(running_db)
    page = window.current_page()
    forms = page.checkin_forms
    forms.ask_folder = lambda _title: str(tmp_path / "forms")
    chosen = []
    forms.ask_checkpoint = lambda schedule, due: chosen.append(due) or due
    messages = []
    window.ctx.status_message.connect(messages.append)
    window.ctx.actions.action("running.checkins_export").trigger()
    qtbot.waitUntil(lambda: any(m.startswith("Wrote") for m in messages), timeout=15000)
    assert chosen[0] is not None and chosen[0].due_on <= page.board.today
    written = sorted((tmp_path / "forms").glob("*.xlsx"))
    assert written and len(written) == len({n for n in written})
    # The folder read back as it is (no answers yet): nothing is stored, and the window says why.
    forms.ask_folder = lambda _title: str(tmp_path / "empty")
    (tmp_path / "empty").mkdir()
    errors = []
    forms._failed = errors.append
    forms.import_folder()
    qtbot.waitUntil(lambda: bool(errors), timeout=15000)
    assert "no .xlsx forms" in errors[0]


def test_refused_check_in_forms_list_each_problem_on_a_line_of_their_own(
    make_window, running_db, qtbot, tmp_path, monkeypatch
):
    from openpyxl import load_workbook

    from mentorapp_ui.running import checkins_io

    window = make_window(running_db)
    forms = window.current_page().checkin_forms
    forms.ask_folder = lambda _title: str(tmp_path / "forms")
    forms.ask_checkpoint = lambda schedule, due: due
    messages, boxes = [], []
    window.ctx.status_message.connect(messages.append)
    window.ctx.actions.action("running.checkins_export").trigger()
    qtbot.waitUntil(lambda: any(m.startswith("Wrote") for m in messages), timeout=15000)
    for path in sorted((tmp_path / "forms").glob("*.xlsx"))[:2]:
        wb = load_workbook(path)
        wb["Check-in"]["B6"] = "good"
        wb.save(path)
    monkeypatch.setattr(checkins_io.QMessageBox, "warning", lambda _parent, title, text: boxes.append(text))
    forms.import_folder()
    qtbot.waitUntil(lambda: bool(boxes), timeout=15000)
    lines = boxes[0].splitlines()
    assert lines[0] == "Nothing was imported: 2 problems." and messages[-1] == lines[0]
    assert len(lines) == 3 and all("cell B6 (rating): 'good'" in line for line in lines[1:])


def test_the_sender_and_signature_come_from_the_running_settings(make_window, running_db, qtbot):
    window = make_window(running_db)
    window.ctx.actions.action("running.chase").trigger()
    dialog = modal(ChaseDialog)
    dialog.topic.setCurrentIndex(dialog.topic.findData("at-risk"))
    dialog.findChild(type(dialog.write_button), "editSender").click()
    settings = modal(RunningSettingsDialog)
    settings.sender_name.setText("Morag Lindqvist")
    settings.sender_email.setText("morag.lindqvist@autumn.example")
    settings.signature.setPlainText("Morag Lindqvist\nScheme coordinator, Autumn scheme")
    settings.save()
    qtbot.waitUntil(lambda: "Morag Lindqvist" in dialog.sender_label.text())
    assert "morag.lindqvist@autumn.example" in dialog.sender_label.text()
    assert dialog.preview.toPlainText().rstrip().endswith("Scheme coordinator, Autumn scheme")
    assert dialog.about == "at-risk"
