"""Python's cyclic garbage collector paused around a command's big job, then left as found.

A job such as importing 10,000 rows, matching 10,000 mentees or listing them makes millions of
small objects that live until it ends. Reference counting frees them; none needs
the cyclic collector, whose automatic runs would only scan them again and again
(a fifth of an import's check, about a second of a 10,000 x 5,000 match). The
window does not use this: it runs its own collector on the GUI thread.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """No automatic cyclic collection inside the block; the collector is left as it was found."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
