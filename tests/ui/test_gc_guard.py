"""Cycles are collected on the GUI thread, by the guard, not by whichever thread allocates."""

from __future__ import annotations

import gc
import weakref

from mentorapp_ui.app.gc_guard import GuiThreadGarbageCollector


class Node:
    pass


def test_automatic_collection_is_off_and_the_guard_collects(qtbot):
    guard = GuiThreadGarbageCollector()
    try:
        assert not gc.isenabled()
        assert guard.timer.isActive() and guard.timer.interval() == GuiThreadGarbageCollector.INTERVAL_MS
        gc.collect()
        a, b = Node(), Node()
        a.other, b.other = b, a  # a cycle only the collector can free
        gone = weakref.ref(a)
        del a, b
        kept = [Node() for _ in range(guard.threshold[0] + 10)]  # past generation 0's threshold
        assert gone() is not None  # nothing collected behind our back
        guard.check()  # what the timer does, on this (the GUI) thread
        assert gone() is None
        assert kept
    finally:
        guard.timer.stop()
