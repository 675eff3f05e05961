"""Work around PySide6 6.12 on Python 3.11 dropping a reference to None on every void call.

Measured here: each call of a Qt method that returns nothing (``setPen``,
``setText``, ``update`` ...) and each empty QVariant handed to Python
(``QComboBox.currentData()``, ``QModelIndex.data()``) lowers ``None``'s
reference count by one. Painting a few card views takes it to zero within
minutes and Python aborts with "none_dealloc: deallocating None". Python 3.12
made None immortal (PEP 683), so there the bug is harmless; on 3.11 we give
None a reference count so large that it can never reach zero, which is what
3.12 does.
"""

from __future__ import annotations

import ctypes
import sys

_HEADROOM = 1 << 48


def immortalize_none() -> None:
    """Make None practically immortal on CPython before 3.12 (idempotent)."""
    import PySide6

    if sys.implementation.name != "cpython" or sys.version_info >= (3, 12):
        return
    if not PySide6.__version__.startswith("6.12."):
        return  # pyproject.toml keeps PySide6 below 6.12; this guards a manual upgrade
    if sys.getrefcount(None) > _HEADROOM // 2:
        return
    # ob_refcnt is the first field of every object in CPython release builds.
    ctypes.c_ssize_t.from_address(id(None)).value += _HEADROOM


immortalize_none()
