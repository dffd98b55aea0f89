"""Pictures and details of images for QGIS expressions: a bounded wait, and work that goes on meanwhile.

Expressions are evaluated in render threads, in layout exports and on the GUI
thread (map tips). None of them may wait long, and none may see a signed URL
or the token. `PictureLookup` answers from the disk cache at once; otherwise
it starts the download in its own threads (one per image and size, however
many ask) and waits at most `wait_s`: a map tip asks with 0 and shows the
picture at the next hover, a layout export waits for it. An answer that
failed is remembered for a minute, so an atlas of a hundred pages without a
token does not ask Mapillary a hundred times.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import Callable, Dict, Optional, Tuple

from ..client import Client
from ..errors import MapillaryError
from .thumbnails import ThumbnailCache, fetch_thumbnail

SIZES = (256, 1024, 2048)
VIEWER_URL = "https://www.mapillary.com/app/?pKey={}"
FAILURE_KEPT_S = 60.0
WORKERS = 4


@dataclass(frozen=True)
class Answer:
    value: object = None  # None: no value (then `error` says why)
    error: str = ""
    pending: bool = False  # no value yet: the work goes on, ask again


def image_key(image_id) -> Optional[str]:
    """The id as digits (an integer, a float without fraction or digits as text), or None."""
    if isinstance(image_id, bool) or image_id is None:
        return None
    if isinstance(image_id, float):
        if not image_id.is_integer() or image_id <= 0:
            return None
        image_id = int(image_id)
    text = str(image_id).strip()
    return text if text.isascii() and text.isdigit() and int(text) > 0 else None


def viewer_link(image_id) -> Optional[str]:
    key = image_key(image_id)
    return None if key is None else VIEWER_URL.format(key)


def field_value(details: dict, field: str):
    """`make`, `creator.username` (or `creator_username`): a value of Graph details, or None."""
    value = details
    parts = field.split(".") if "." in field else [field]
    if len(parts) == 1 and field not in details and "_" in field:
        head, _, rest = field.partition("_")
        if isinstance(details.get(head), dict):
            parts = [head, rest]
    for part in parts:
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value if isinstance(value, (str, int, float, bool)) else None


class PictureLookup:
    """`client` makes the downloads; `details(image_id)` gives an image's Graph details (cached by its owner)."""

    def __init__(self, client: Client, thumbnails: ThumbnailCache, details: Callable[[str], dict],
                 workers: int = WORKERS):
        self._client = client
        self._thumbnails = thumbnails
        self._details = details
        self._pool = ThreadPoolExecutor(workers, thread_name_prefix="mapillary-expressions")
        self._lock = threading.Lock()
        self._running: Dict[Tuple, Future] = {}
        self._failed: Dict[Tuple, Tuple[float, str]] = {}
        self._closed = False

    def thumbnail_path(self, image_id, size=1024, wait_s: float = 10.0) -> Answer:
        """The path of the cached picture of `image_id` at `size` pixels (256, 1024 or 2048)."""
        key = image_key(image_id)
        if key is None:
            return Answer(error=f"not a Mapillary image id: {str(image_id)[:40]!r}")
        if isinstance(size, float) and size.is_integer():
            size = int(size)
        if size not in SIZES:
            return Answer(error=f"the size must be 256, 1024 or 2048, not {size!r}")
        path = self._thumbnails.path(key, size)
        if self._thumbnails.get(key, size) is not None:  # there and fresh (an old one is deleted)
            return Answer(str(path))
        return self._wait(("thumbnail", key, size), lambda: self._fetch_thumbnail(key, size), wait_s)

    def detail(self, image_id, field: str, wait_s: float = 10.0) -> Answer:
        """One field of the image's Graph details (`make`, `model`, `creator.username`, `captured_at`, ...)."""
        key = image_key(image_id)
        if key is None:
            return Answer(error=f"not a Mapillary image id: {str(image_id)[:40]!r}")
        if not isinstance(field, str) or not field:
            return Answer(error="name a field of the image, for example 'make'")
        answer = self._wait(("details", key), lambda: self._details(key), wait_s)
        if answer.value is None:
            return answer
        return Answer(field_value(answer.value, field))

    def close(self) -> None:
        """No new work; what runs finishes in the background."""
        with self._lock:
            self._closed = True
        self._pool.shutdown(wait=False, cancel_futures=True)

    # -- the work ---------------------------------------------------------------------------

    def _fetch_thumbnail(self, key: str, size: int) -> str:
        details = None
        try:  # the details the Image tab may have fetched already carry a fresh link: one request less
            details = self._details(key)
        except MapillaryError:
            pass
        fetch_thumbnail(self._client, self._thumbnails, key, size, details=details)
        return str(self._thumbnails.path(key, size))

    def _wait(self, job: Tuple, work: Callable, wait_s: float) -> Answer:
        with self._lock:
            failed = self._failed.get(job)
            if failed is not None and time.monotonic() - failed[0] < FAILURE_KEPT_S:
                return Answer(error=failed[1])
            future = self._running.get(job)
            if future is None:
                if self._closed:
                    return Answer(error="the Mapillary plugin is unloading")
                future = self._pool.submit(self._run, job, work)
                self._running[job] = future
        try:
            return future.result(timeout=max(0.0, wait_s))
        except FutureTimeout:
            return Answer(error="still loading from Mapillary; try again in a moment", pending=True)

    def _run(self, job: Tuple, work: Callable) -> Answer:
        try:
            answer = Answer(work())
        except MapillaryError as exc:
            answer = Answer(error=str(exc))
        except (OSError, ValueError) as exc:
            answer = Answer(error=f"{type(exc).__name__}: {exc}")
        with self._lock:
            self._running.pop(job, None)
            if answer.error:
                self._failed[job] = (time.monotonic(), answer.error)
            else:
                self._failed.pop(job, None)
        return answer
