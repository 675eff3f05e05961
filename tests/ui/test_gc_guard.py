"""Cycles are collected on the GUI thread, by the guard, not by whichever thread allocates."""

from __future__ import annotations

import gc
import threading
import weakref

from mentorapp_ui.app.gc_guard import GuiThreadGarbageCollector


class Node:
    pass


def test_a_worker_allocating_garbage_never_collects_and_the_gui_thread_does(qtbot):
    gc.enable()  # as Python starts: automatic collection on
    guard = GuiThreadGarbageCollector()
    collected_on: list[str] = []

    def watch(phase: str, _info: dict) -> None:
        if phase == "start":
            collected_on.append(threading.current_thread().name)

    gc.callbacks.append(watch)
    try:
        assert not gc.isenabled()
        survivors: list[weakref.ref] = []

        def work() -> None:
            # Far past generation 0's threshold: Python would collect here, in the worker, many times.
            for _ in range(20 * guard.threshold[0]):
                a, b = Node(), Node()
                a.other, b.other = b, a  # a cycle only the collector can free
                survivors.append(weakref.ref(a))

        worker = threading.Thread(target=work, name="worker")
        worker.start()
        worker.join()
        assert "worker" not in collected_on
        assert all(ref() is not None for ref in survivors)  # garbage waits for the GUI thread
        # The guard's timer collects it on the GUI thread, in the event loop.
        qtbot.waitUntil(lambda: all(ref() is None for ref in survivors), timeout=5000)
        assert collected_on and set(collected_on) == {threading.main_thread().name}
    finally:
        gc.callbacks.remove(watch)
        guard.timer.stop()
