"""Python's cyclic garbage collector paused while tiles are decoded.

A dense tile makes 10,000 records (tuples of numbers and strings, no
cycles). Allocating that many objects sets off full collections, and in
QGIS each one walks every Python object of the application: measured at
about 30 ms each, two or three per 3 x 3 block of dense tiles. Reference
counting still frees everything as usual; only the search for cycles waits
until the last decoding in the process has finished. The collector is
process-wide, so the pause is counted across threads, and a collector that
someone else turned off stays off.
"""

from __future__ import annotations

import gc
import threading
from contextlib import contextmanager
from typing import Iterator

_lock = threading.Lock()
_depth = 0
_resume = False  # whether the collector was on when the first pause began


@contextmanager
def gc_paused() -> Iterator[None]:
    global _depth, _resume
    with _lock:
        if _depth == 0:
            _resume = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _resume:
                gc.enable()
