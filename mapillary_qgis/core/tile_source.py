"""Fetch Mapillary tiles (disk cache first, then a bounded pool of threads) and decode them to records.

One bad tile never costs the others: its error goes to `failures`. A
rejected token stops the whole fetch at once (every other tile would fail
the same way). Only tiles that GDAL can read are cached, and cached bytes
that turn out unreadable are deleted and fetched again.
"""

from __future__ import annotations

import logging
import os
import threading
from concurrent.futures import FIRST_COMPLETED, CancelledError, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Callable, Dict, Iterable, List, Optional, Sequence, Tuple, Union

from ..client import Client
from ..errors import InvalidTokenError, MapillaryError
from .gc_pause import gc_paused
from .mvt_decode import LAYERS, TileDecodeError, decode_tile
from .records import merge_sequences, merge_unique
from .tile_cache import TileCache
from .tilemath import tile_count, tiles_for_bbox
from .tilesets import MAX_ZOOM, TILESETS, tile_url

LOGGER = logging.getLogger(__name__)

ZXY = Tuple[int, int, int]
Cancelled = Union[Callable[[], bool], threading.Event, None]
Progress = Optional[Callable[[int, int], None]]
OnTile = Optional[Callable[[ZXY, Dict[str, list]], None]]
Meanwhile = Optional[Callable[[], None]]
DEFAULT_MAX_TILES = 64
DECODERS = max(1, min(4, os.cpu_count() or 1))
_POLL_S = 0.1  # how often the collecting thread looks at `cancelled`


class AreaTooLargeError(MapillaryError):
    """An area needs more z14 tiles than allowed."""


@dataclass
class FetchResult:
    """Raw tile bytes (only tiles GDAL can read) and what went wrong with the others."""

    data: Dict[ZXY, bytes] = field(default_factory=dict)
    failures: Dict[ZXY, MapillaryError] = field(default_factory=dict)
    from_cache: int = 0  # tiles read from the disk cache
    requested: int = 0  # HTTP requests made
    cancelled: bool = False
    fatal: Optional[MapillaryError] = None  # the error that stopped everything (a rejected token), also in failures


@dataclass
class LoadResult:
    """Records of the requested layers, unique across tiles, and what went wrong."""

    records: Dict[str, list] = field(default_factory=dict)
    failures: Dict[ZXY, MapillaryError] = field(default_factory=dict)
    from_cache: int = 0
    requested: int = 0
    cancelled: bool = False
    fatal: Optional[MapillaryError] = None
    tiles: List[ZXY] = field(default_factory=list)  # the tiles whose records are in `records`


@dataclass
class _Outcome:
    value: object = None  # bytes (fetch) or {layer: records} (load)
    error: Optional[MapillaryError] = None
    from_cache: bool = False
    requested: bool = False
    skipped: bool = False  # not attempted: the fetch was stopping


class TileSource:
    """Tiles of one Mapillary client, through an optional `TileCache`. Safe to use from several threads."""

    def __init__(self, client: Client, cache: Optional[TileCache] = None, max_workers: int = 8):
        self.client = client
        self.cache = cache
        self.max_workers = max(1, int(max_workers))
        # One long-lived pool: its threads keep their HTTP sessions (and connections) between loads.
        # Eight requests at a time fetch a 3 x 3 block in two round trips, far below Mapillary's tile
        # rate limit (50,000 a minute).
        self._pool = ThreadPoolExecutor(self.max_workers, thread_name_prefix="mapillary-tiles")
        self._pool_lock = threading.Lock()  # a load's requests all go to one pool (see set_max_workers)
        # Tiles are decoded by a few threads of their own, as many as there are processors: GDAL's part
        # of the work (reading the Arrow columns) runs beside the other thread's Python (measured, 9
        # dense tiles on 2 cores: 0.20 s one at a time, 0.15 s two at a time); more would only fight
        # over the GIL. Not in the fetching threads: a thread's first tile costs GDAL about half as
        # much again as its later ones (measured 18-25 ms against 12-14), and nine fetching threads
        # would each pay that for the one tile they fetch.
        self._decoders = ThreadPoolExecutor(DECODERS, thread_name_prefix="mapillary-decode")

    def set_max_workers(self, max_workers: int) -> None:
        """How many requests may be in flight from now on: a new pool for later loads; loads under way
        finish on the old one, which then ends."""
        max_workers = max(1, int(max_workers))
        if max_workers == self.max_workers:
            return
        with self._pool_lock:
            old, self.max_workers = self._pool, max_workers
            self._pool = ThreadPoolExecutor(max_workers, thread_name_prefix="mapillary-tiles")
        old.shutdown(wait=False)

    def close(self) -> None:
        """Stop the pools and close the client's connections; requests in flight end on their own timeouts."""
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._decoders.shutdown(wait=False, cancel_futures=True)
        self.client.close()

    def fetch(self, tileset: str, tiles: Iterable[ZXY], cancelled: Cancelled = None,
              progress: Progress = None) -> FetchResult:
        """The bytes of `tiles` (z, x, y) of `tileset`; `progress(done, total)` runs in the calling thread."""
        result = FetchResult()
        values = self._run(tileset, tiles, None, cancelled, progress, result)
        result.data = values
        return result

    def load(self, tileset: str, tiles: Iterable[ZXY], layers: Optional[Sequence[str]] = None,
             cancelled: Cancelled = None, progress: Progress = None, on_tile: OnTile = None,
             meanwhile: Meanwhile = None) -> LoadResult:
        """Decoded records of `layers` (None: all) over `tiles`, each image, feature and sequence once.

        With `on_tile(tile, {layer: records})`, each tile's records go there as soon as the tile is
        decoded (in the calling thread, in the order tiles arrive), and `records` stays empty.
        `meanwhile()` runs once in the calling thread as soon as the tiles are asked for, before the
        first one is awaited (to prepare for them while they travel); an exception from it stops the
        load and is raised. It does not run when there is nothing to load or the load was cancelled
        before it began.
        """
        result = LoadResult()
        wanted = tuple(LAYERS if layers is None else layers)
        values = self._run(tileset, tiles, wanted, cancelled, progress, result, on_tile, meanwhile)
        result.tiles = list(values)
        if on_tile is not None:
            return result
        per_layer: Dict[str, list] = {name: [] for name in wanted} if layers is not None else {}
        for decoded in values.values():  # in the order of `tiles`
            for name, records in decoded.items():
                per_layer.setdefault(name, []).append(records)
        result.records = {
            name: merge_sequences(lists) if name == "sequence" else merge_unique(lists)
            for name, lists in per_layer.items()
        }
        return result

    def load_bbox(self, tileset: str, bbox_lonlat: Tuple[float, float, float, float],
                  layers: Optional[Sequence[str]] = None, max_tiles: int = DEFAULT_MAX_TILES,
                  cancelled: Cancelled = None, progress: Progress = None, on_tile: OnTile = None,
                  meanwhile: Meanwhile = None) -> LoadResult:
        """`load` over the z14 tiles covering `(west, south, east, north)` in degrees."""
        count = tile_count(*bbox_lonlat, z=MAX_ZOOM)
        if count > max_tiles:
            raise AreaTooLargeError(
                f"The area is too large: {count} tiles at zoom {MAX_ZOOM} (at most {max_tiles}). "
                "Zoom in or choose a smaller area."
            )
        tiles = [(MAX_ZOOM, x, y) for x, y in tiles_for_bbox(*bbox_lonlat, z=MAX_ZOOM)]
        return self.load(tileset, tiles, layers, cancelled, progress, on_tile, meanwhile)

    # -- the pool -------------------------------------------------------------

    def _run(self, tileset, tiles, layers, cancelled, progress, result, on_tile=None,
             meanwhile=None) -> Dict[ZXY, object]:
        """Run `_one` over the tiles; successful values by tile, in the order of `tiles`."""
        if tileset not in TILESETS:
            raise ValueError(f"Unknown Mapillary tileset {tileset!r}; expected one of {sorted(TILESETS)}.")
        order: List[ZXY] = list(dict.fromkeys(tuple(t) for t in tiles))
        is_cancelled = _as_check(cancelled)
        values: Dict[ZXY, object] = {}
        if not order or is_cancelled():
            result.cancelled = bool(order)
            return values
        stop = threading.Event()
        futures = {}
        try:
            with self._pool_lock:
                futures = {self._pool.submit(self._one, tileset, tile, layers, stop): tile for tile in order}
            if meanwhile is not None:
                meanwhile()
            pending, done = set(futures), 0
            while pending and result.fatal is None:
                if is_cancelled():
                    result.cancelled = True
                    break
                finished, pending = wait(pending, timeout=_POLL_S, return_when=FIRST_COMPLETED)
                for future in finished:
                    tile, outcome = futures[future], future.result()
                    if outcome.skipped or result.fatal is not None:
                        continue
                    result.from_cache += outcome.from_cache
                    result.requested += outcome.requested
                    if outcome.error is None:
                        if on_tile is None:
                            values[tile] = outcome.value
                        else:  # handed on, not kept
                            values[tile] = None
                            on_tile(tile, outcome.value)
                    else:
                        result.failures[tile] = outcome.error
                        if isinstance(outcome.error, InvalidTokenError):
                            result.fatal = outcome.error
                    done += 1
                    if progress is not None:
                        progress(done, len(order))
        finally:
            stop.set()  # tiles not started yet are skipped; requests in flight finish unobserved
            for future in futures:
                future.cancel()
        return {tile: values[tile] for tile in order if tile in values}

    def _decode(self, data: bytes, z: int, x: int, y: int, layers):
        """`decode_tile` in one of the decoding threads (the calling thread waits for it).

        Raises `_Closed` when the source was closed meanwhile (a request that was still in flight).
        """
        try:
            future = self._decoders.submit(_decode_paused, data, z, x, y, layers)
        except RuntimeError:  # "cannot schedule new futures after shutdown"
            raise _Closed from None
        return future.result()

    def _one(self, tileset: str, tile: ZXY, layers, stop: threading.Event) -> _Outcome:
        """One tile: from the cache, else the network; decoded when `layers` is not None. Never raises."""
        z, x, y = tile
        decode = layers is not None
        requested = False
        try:
            cached = self.cache.get(tileset, z, x, y) if self.cache is not None else None
            if cached is not None:
                try:
                    return _Outcome(self._decode(cached, z, x, y, layers) if decode else cached, from_cache=True)
                except TileDecodeError:
                    self.cache.delete(tileset, z, x, y)
            if stop.is_set():
                return _Outcome(skipped=True)
            requested = True
            try:
                data = self.client.get(tile_url(self.client.tiles_url, tileset, z, x, y)).content
            except InvalidTokenError:
                stop.set()  # no worker starts another request with this token
                raise
            decoded = self._decode(data, z, x, y, layers if decode else ())  # only a check when not decoding
            if self.cache is not None:
                self.cache.put(tileset, z, x, y, data)
            return _Outcome(decoded if decode else data, requested=True)
        except MapillaryError as exc:
            return _Outcome(error=exc, requested=requested)
        except (_Closed, CancelledError):  # closed while this request was in flight: nobody waits for it
            return _Outcome(skipped=True, requested=requested)
        except Exception:  # a bug or a GDAL surprise must cost one tile, not the load
            LOGGER.exception("Unexpected error with Mapillary tile %s/%d/%d/%d", tileset, z, x, y)
            return _Outcome(error=TileDecodeError.for_tile(z, x, y), requested=requested)


class _Closed(Exception):
    """The source was closed while a tile was on its way."""


def _decode_paused(data: bytes, z: int, x: int, y: int, layers):
    with gc_paused():  # thousands of records at once: no full collections meanwhile
        return decode_tile(data, z, x, y, layers)


def _as_check(cancelled: Cancelled) -> Callable[[], bool]:
    if cancelled is None:
        return lambda: False
    if isinstance(cancelled, threading.Event):
        return cancelled.is_set
    return cancelled
