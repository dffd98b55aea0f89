"""Python's cyclic garbage collector paused while tiles are decoded; freed memory given back.

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

import ctypes
import ctypes.util
import functools
import gc
import logging
import sys
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


def release_free_memory() -> None:
    """Give the memory freed by a large load back to the system (glibc's `malloc_trim`).

    A 3 x 3 view of dense tiles makes some 100 MB of short-lived records.
    Freed, glibc keeps most of it for later allocations, and the resident size
    of QGIS only ever grows, load after load. Asking it to trim returns it:
    measured 110 MB kept before, 20 MB after. Elsewhere than glibc, nothing
    happens. The call lets go of the GIL (ctypes) and takes a few milliseconds.
    """
    trim = _malloc_trim()
    if trim is not None:
        try:
            trim(0)
        except OSError:  # pragma: no cover - never seen; memory is then only kept, not lost
            logging.getLogger(__name__).debug("malloc_trim failed", exc_info=True)


def collect_and_release() -> bool:
    """After a load and its first render: one full collection, then `release_free_memory`.

    The collection finds nothing to free (records have no cycles), but a full
    one also empties CPython's free lists of tuples, lists and dicts; the
    thousands of dead record tuples kept there each hold a block of Python's
    allocator that can then go back: measured 14 MB of a dense view, for 19 ms
    of the GIL. Skipped, and False, while a load keeps the collector paused.
    """
    with _lock:
        if _depth:
            return False
    gc.collect()
    release_free_memory()
    return True


@functools.cache
def _malloc_trim():
    """glibc's `malloc_trim`, or None where there is none (musl, macOS, Windows); looked up once."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None
