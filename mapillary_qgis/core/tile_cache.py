"""A disk cache of raw tile bytes: `<directory>/<tileset>/<z>/<x>/<y>.mvt`.

A file's modification time is when it was downloaded (for expiry); its
access time, set explicitly on every `put` and `get`, is when it was last
used (for least-recently-used pruning), so reading a tile does not keep it
fresh for ever. Writes are atomic (temporary file, then `os.replace`). Disk
errors never reach the caller: a cache that cannot read or write acts empty.
Only bytes are stored: no token, no URL.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import tempfile
import threading
import time
from pathlib import Path
from typing import Iterator, Optional, Union

LOGGER = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 500 * 1024 * 1024
DEFAULT_MAX_AGE_S = 7 * 24 * 3600.0
SUFFIX = ".mvt"
_TEMP_SUFFIX = ".part"
_TILESET_RE = re.compile(r"^[a-z0-9_]+$")


class TileCache:
    """Tile bytes on disk, shared safely by several threads (and processes)."""

    def __init__(
        self,
        directory: Union[str, Path],
        max_bytes: int = DEFAULT_MAX_BYTES,
        max_age_s: float = DEFAULT_MAX_AGE_S,
        suffix: str = SUFFIX,
        old_suffixes: tuple = (),
    ):
        self.directory = Path(directory)
        self.suffix = suffix
        self._suffixes = (suffix, *old_suffixes)  # files of older versions still count, and go as usual
        self.max_bytes = max_bytes
        self.max_age_s = max_age_s
        self._lock = threading.Lock()
        self._size: Optional[int] = None  # running total once known; the disk is the truth

    def path(self, tileset: str, z: int, x: int, y: int) -> Path:
        """Where a tile lives; raises ValueError for a tileset name that is not a plain word."""
        if not _TILESET_RE.match(tileset):
            raise ValueError(f"not a tileset name: {tileset!r}")
        return self.directory / tileset / str(int(z)) / str(int(x)) / f"{int(y)}{self.suffix}"

    def get(self, tileset: str, z: int, x: int, y: int) -> Optional[bytes]:
        """The cached bytes, or None when missing, unreadable or older than `max_age_s` (then deleted)."""
        path = self.path(tileset, z, x, y)
        try:
            stat = path.stat()
            now = time.time()
            if now - stat.st_mtime > self.max_age_s:
                self._remove(path, stat.st_size)
                return None
            data = path.read_bytes()
            os.utime(path, (now, stat.st_mtime))
        except OSError:  # missing, or removed or replaced by another thread meanwhile
            return None
        return data

    def put(self, tileset: str, z: int, x: int, y: int, data: bytes) -> None:
        """Store a tile atomically, then prune when the cache has outgrown `max_bytes`."""
        path = self.path(tileset, z, x, y)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            old = path.stat().st_size if path.exists() else 0
            handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=_TEMP_SUFFIX)
            try:
                with os.fdopen(handle, "wb") as stream:
                    stream.write(data)
                os.replace(temp, path)
            except BaseException:
                _unlink(Path(temp))
                raise
        except OSError as exc:
            LOGGER.warning("Could not write a tile to the cache in %s: %s", self.directory, exc)
            return
        with self._lock:
            if self._size is not None:
                self._size += len(data) - old
            over = self._size is None or self._size > self.max_bytes
        if over:
            self.prune()

    def delete(self, tileset: str, z: int, x: int, y: int) -> None:
        """Forget one tile (for instance cached bytes that turned out unreadable)."""
        path = self.path(tileset, z, x, y)
        try:
            size = path.stat().st_size
        except OSError:
            return
        self._remove(path, size)

    def size_bytes(self) -> int:
        """Total size of the cached tiles."""
        total = sum(size for _, size, _ in self._entries())
        with self._lock:
            self._size = total
        return total

    def prune(self) -> None:
        """Delete expired tiles, then the least recently used until the total fits `max_bytes`."""
        with self._lock:
            now = time.time()
            entries = []
            for path, size, stat in self._entries():
                if now - stat.st_mtime > self.max_age_s:
                    _unlink(path)
                else:
                    entries.append((stat.st_atime, size, path))
            total = sum(size for _, size, _ in entries)
            for _, size, path in sorted(entries, key=lambda e: e[0]):
                if total <= self.max_bytes:
                    break
                if _unlink(path):
                    total -= size
            self._size = total

    def clear(self) -> None:
        """Delete every cached tile (and only the cache's own files)."""
        with self._lock:
            for path, _, _ in self._entries(temporary=True):
                _unlink(path)
            for root, _dirs, _files in sorted(os.walk(self.directory), key=lambda w: -len(w[0])):
                if Path(root) != self.directory:
                    with contextlib.suppress(OSError):  # only empty folders go
                        os.rmdir(root)
            self._size = 0

    def _remove(self, path: Path, size: int) -> None:
        if _unlink(path):
            with self._lock:
                if self._size is not None:
                    self._size -= size

    def _entries(self, temporary: bool = False) -> Iterator[tuple]:
        """`(path, size, stat)` of the cache's tile files (and temporary files when asked)."""
        for root, _dirs, files in os.walk(self.directory):
            for name in files:
                if name.endswith(self._suffixes) or (temporary and name.endswith(_TEMP_SUFFIX)):
                    path = Path(root) / name
                    try:
                        stat = path.stat()
                    except OSError:
                        continue
                    yield path, stat.st_size, stat


def _unlink(path: Path) -> bool:
    try:
        path.unlink()
    except OSError:
        return False
    return True
