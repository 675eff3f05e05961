"""The one task runner: work on the thread pool, answers on the GUI thread."""

from __future__ import annotations

import threading

import shiboken6
from PySide6.QtCore import QObject, QThread, QThreadPool

from mentorapp.errors import UserError
from mentorapp_ui.app.tasks import Progress, Task, run_task


def test_progress_and_the_result_arrive_on_the_gui_thread(qtbot):
    owner = QObject()
    seen: list[tuple[str, object, bool]] = []
    gui = QThread.currentThread()
    worker_threads = []

    def job(report, cancelled):
        worker_threads.append(QThread.currentThread())
        for n in range(3):
            report(n + 1, 3, f"Step {n + 1}")
        return "answer"

    def note(kind):
        return lambda value=None: seen.append((kind, value, QThread.currentThread() is gui))

    task = run_task(
        job,
        owner,
        on_done=note("done"),
        on_error=note("error"),
        on_progress=note("progress"),
        on_finished=note("finished"),
    )
    qtbot.waitUntil(lambda: not task.running, timeout=10_000)
    assert worker_threads and worker_threads[0] is not gui
    assert [kind for kind, _value, _gui in seen] == ["progress"] * 3 + ["done", "finished"]
    assert all(on_gui for _kind, _value, on_gui in seen)
    assert seen[2][1] == Progress(3, 3, "Step 3", cancellable=True)
    assert seen[3][1] == "answer"
    assert not task.running and task.wait(0)


def test_a_user_error_reaches_the_person_and_a_crash_is_said_plainly(qtbot):
    owner = QObject()
    messages = []

    def refuse(_report, _cancelled):
        raise UserError("The file is not a spreadsheet.")

    def crash(_report, _cancelled):
        raise KeyError("x")

    for job in (refuse, crash):
        task = run_task(job, owner, on_error=messages.append, on_done=lambda _r: messages.append("done?"))
        qtbot.waitUntil(lambda task=task: not task.running, timeout=10_000)
    assert messages[0] == "The file is not a spreadsheet."
    assert messages[1].startswith("Something went wrong (KeyError") and "nothing was changed" in messages[1]


def test_cancel_is_seen_by_the_job_and_an_abandoned_task_says_nothing(qtbot):
    owner = QObject()
    gate = threading.Event()
    answers = []

    def job(_report, cancelled):
        gate.wait(10)
        if cancelled():
            raise UserError("Cancelled; nothing was written.")
        return "finished"

    task = run_task(job, owner, on_done=answers.append, on_error=answers.append)
    assert task.running
    task.cancel()
    gate.set()
    qtbot.waitUntil(lambda: not task.running, timeout=10_000)
    assert task.cancel_requested and answers == ["Cancelled; nothing was written."]

    gate.clear()
    later = run_task(job, owner, on_done=answers.append, on_error=answers.append)
    later.abandon()
    gate.set()
    assert later.wait(10_000)
    qtbot.wait(50)  # let any queued answer arrive: none may
    assert answers == ["Cancelled; nothing was written."]


def test_a_task_whose_owner_is_gone_delivers_nothing(qtbot):
    owner = QObject()
    gate, ended = threading.Event(), threading.Event()
    answers = []

    def job(_report, _cancelled):
        gate.wait(10)
        ended.set()
        return "late"

    run_task(job, owner, on_done=answers.append)
    owner.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(owner))
    gate.set()
    assert ended.wait(10)
    qtbot.wait(50)  # let any queued answer arrive: none may
    assert answers == []


def test_a_job_that_ends_after_the_application_dropped_its_task_raises_nothing(qtbot, capfd):
    """A --screenshot run may exit while the scorer still works: its answer is dropped, with no traceback."""
    gate = threading.Event()
    task = Task(lambda report, cancelled: (gate.wait(10), report(1, 1))[1])
    task.start()
    shiboken6.delete(task._relay)
    gate.set()
    QThreadPool.globalInstance().waitForDone(10_000)
    err = capfd.readouterr().err
    assert "Signal source has been deleted" not in err and "Traceback" not in err
