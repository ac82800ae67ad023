"""Pausing Python's cyclic garbage collector around bulk work, one implementation.

Reading a coaching club's fact windows or proposing for all of it builds tens of thousands
of long-lived, acyclic objects (workouts and reps). Left alone, the collector walks them
again and again as later objects are made, for almost no garbage. Reference counting still
frees everything as usual while it is paused.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Disable the cyclic collector for the block; restore its previous state on exit, errors included.

    Nested use is safe: an inner block finds the collector already off and leaves it off.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
