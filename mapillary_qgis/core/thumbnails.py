"""Image thumbnails: a disk cache of their bytes, and the download through signed, expiring CDN URLs.

Only bytes are cached, keyed by `(image id, size)`: a thumbnail URL expires
(and is signed for one request shape), so it is never stored. The Client sends
no token to the CDN host.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional, Union

from ..client import Client
from ..errors import MapillaryError
from .graph import entity_details
from .tile_cache import TileCache

SIZES = (256, 1024, 2048, "original")
DEFAULT_MAX_BYTES = 200 * 1024 * 1024
DEFAULT_MAX_AGE_S = 30 * 24 * 3600.0
_EXPIRED_STATUSES = (403, 404)  # what the CDN answers for an expired or tampered link
_IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")  # JPEG, PNG

Size = Union[int, str]


class ThumbnailError(MapillaryError):
    """No picture could be had: Mapillary has none, its link keeps expiring, or it is not a picture."""


def thumb_field(size: Size) -> str:
    """The Graph field of a thumbnail size (`thumb_1024_url`); ValueError for other sizes."""
    if isinstance(size, bool) or size not in SIZES:
        raise ValueError(f"not a thumbnail size: {size!r}; expected one of {SIZES}")
    return f"thumb_{size}_url"


class ThumbnailCache:
    """Thumbnail bytes on disk, safe for several threads: atomic writes, expiry by age, LRU pruning.

    The files are kept by a `TileCache`, at
    `<directory>/thumb_<size>/<id % 100>/<id // 100 % 100>/<image id>.jpg`
    (`path`: what expressions and layouts point at). Earlier versions named
    them `.mvt`; those still count against the size limit and age out.
    """

    def __init__(
        self,
        directory: Union[str, Path],
        max_bytes: int = DEFAULT_MAX_BYTES,
        max_age_s: float = DEFAULT_MAX_AGE_S,
    ):
        self._files = TileCache(directory, max_bytes, max_age_s, suffix=".jpg", old_suffixes=(".mvt",))

    @property
    def directory(self) -> Path:
        return self._files.directory

    def path(self, image_id, size: Size) -> Path:
        """Where the picture of `image_id` at `size` lives (whether it is there yet or not)."""
        return self._files.path(*_key(image_id, size))

    def get(self, image_id, size: Size) -> Optional[bytes]:
        """The cached bytes, or None when missing or too old."""
        return self._files.get(*_key(image_id, size))

    def put(self, image_id, size: Size, data: bytes) -> None:
        """Store a thumbnail, pruning the least recently used when over `max_bytes`."""
        self._files.put(*_key(image_id, size), data)

    def size_bytes(self) -> int:
        return self._files.size_bytes()

    def set_limits(self, max_bytes: int, max_age_s: Optional[float] = None) -> None:
        """New limits, from now on (pruned at the next write)."""
        self._files.max_bytes = max_bytes
        if max_age_s is not None:
            self._files.max_age_s = max_age_s

    def prune(self) -> None:
        self._files.prune()

    def clear(self) -> None:
        self._files.clear()


def fetch_thumbnail(
    client: Client,
    cache: Optional[ThumbnailCache],
    image_id,
    size: Size = 1024,
    details: Optional[dict] = None,
) -> bytes:
    """The JPEG or PNG bytes of an image's thumbnail: from `cache`, else downloaded and cached.

    The URL comes from `details` (an image's Graph JSON) when it has one,
    else from one Graph request. A link the CDN calls expired is replaced by
    a fresh one, once. Raises a `MapillaryError` (`ThumbnailError` for a
    missing, expired or unreadable picture).
    """
    field = thumb_field(size)
    image_id = str(image_id)
    if cache is not None:
        cached = cache.get(image_id, size)
        if cached is not None:
            return cached
    url = (details or {}).get(field)
    for _ in range(2):
        data = _download(client, url if isinstance(url, str) and url else _fresh_url(client, image_id, field))
        if data is not None:
            break
        url = None
    else:
        raise ThumbnailError(
            f"The picture of image {image_id} could not be downloaded: Mapillary's link to it has expired. "
            "Try again in a moment."
        )
    if not data.startswith(_IMAGE_MAGIC):
        raise ThumbnailError(f"Mapillary sent something that is not a picture for image {image_id}.")
    if cache is not None:
        cache.put(image_id, size, data)
    return data


def _key(image_id, size: Size) -> tuple:
    """The `TileCache` address of a thumbnail: `(thumb_<size>, a, b, image id)`."""
    thumb_field(size)
    text = str(image_id)
    if not (text.isascii() and text.isdigit()):
        raise ValueError(f"not a Mapillary image id: {text[:40]!r}")
    number = int(text)
    return f"thumb_{size}", number % 100, number // 100 % 100, number


def _fresh_url(client: Client, image_id: str, field: str) -> str:
    url = entity_details(client, image_id, [field]).get(field)
    if not isinstance(url, str) or not url:
        raise ThumbnailError(f"Mapillary has no picture of image {image_id} in this size.")
    return url


def _download(client: Client, url: str) -> Optional[bytes]:
    """The bytes behind a signed URL; None when the CDN says the link expired."""
    try:
        return client.get(url).content
    except MapillaryError as exc:
        if exc.status in _EXPIRED_STATUSES and not exc.retryable:
            return None
        raise
