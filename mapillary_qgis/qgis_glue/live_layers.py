"""Exact layers that follow the map.

When the map moves (debounced), the z14 tiles of the view that are not loaded
yet are fetched and decoded in a `QgsTask` through the one tile pipeline
(`core.tile_source`), and the same worker writes their records into the
session store (`core/session_store.py`), a GeoPackage in the profile's cache.
The exact layers are OGR layers on that file: the GUI thread only tells them
to read it again (a few milliseconds), QGIS draws them in its own threads, and
no record stays in memory. Filters are the layers' subset strings, decided by
SQLite. A new view cancels the work for the old one. Tiles already loaded are
not fetched again; the disk cache makes a return to an area free of requests
even after a restart.

The store is a cache of this QGIS session, shared by the projects opened in
it: a project saved with exact layers names its file, and when a project is
read the path is pointed at the current session's store (a
`QgsPathResolver` preprocessor), which the view then fills again. *Clear
tile cache* moves the layers to an empty store. Stores left by sessions
that ended are deleted at start.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Callable

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsPathResolver,
    QgsProject,
    QgsRectangle,
)
from qgis.PyQt.QtCore import QObject, QTimer, pyqtSignal

from ..core.filters import Filters, feature_matcher, image_matcher, is_active, sql_where
from ..core.gc_pause import collect_and_release, gc_paused, release_free_memory
from ..core.mvt_decode import TileDecodeError
from ..core.session_store import SessionStore, StoreError
from ..core.tile_source import TileSource
from ..core.tilemath import tile_count, tiles_for_bbox
from ..errors import InvalidTokenError, MapillaryError, RateLimitError
from .coverage import LAYER_KEY_PROPERTY, add_to_project, find_layers
from .exact_layers import EXACT, exact_layer, merged_lines_wkb
from .notices import Notices
from .signals import disconnect
from .tasks import CallableTask, run_in_background

LOGGER = logging.getLogger(__name__)
WGS84 = QgsCoordinateReferenceSystem("EPSG:4326")
ZOOM = 14
AREA_MAX_TILES = 400  # a picked area: 20 x 20 tiles, some 35 km across at mid latitudes
STORE_PREFIX = "mapillary-session-"
_STORE_FILE = re.compile(r"[^|]*" + STORE_PREFIX + r"[^/\\|]*\.gpkg")  # the path part of a store layer's source
_STORE_NAME = re.compile(STORE_PREFIX + r"(\d+)-\d+\.gpkg(-wal|-shm|-journal)?$")

REFRESH_TRIES, REFRESH_WAIT_MS = 8, 250  # a layer that read the store before a load's rows: read again


class LiveLayers(QObject):
    """Owns the exact layers and their store; `status(level, text)` tells the dock what happens."""

    status = pyqtSignal(str, str)  # "info" | "warning" | "error", message for the user

    def __init__(self, canvas, make_source: Callable[[], TileSource], project: QgsProject | None = None,
                 max_tiles: int = 80, debounce_ms: int = 600, notices: Notices | None = None,
                 store_dir: Path | str | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.canvas = canvas
        self._notices = notices  # the plugin's: one notice per kind of failure, whichever layer or tileset
        self._make_source = make_source
        self._project = project or QgsProject.instance()
        self.max_tiles = max_tiles
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(debounce_ms)
        self._timer.timeout.connect(self.load_view)
        self._own_dir = store_dir is None  # a folder of its own (tests, scripts), removed at shutdown
        self._store_dir = Path(store_dir) if store_dir else Path(tempfile.mkdtemp(prefix="mapillary-store-"))
        self._store: SessionStore | None = None
        self._next: Future | None = None  # the store to use next, being made in a thread (see `prepare_store`)
        self._retired: list[SessionStore] = []  # replaced stores, deleted later (see `_new_store`)
        self._generation = 0
        remove_stale_stores(self._store_dir)
        self.filters = Filters()
        self._matchers = self._make_matchers(self.filters)
        self._loaded: dict[str, set] = {}  # tileset -> tiles loaded
        self._tasks: dict[str, CallableTask] = {}  # tileset -> running task
        self._preprocessor = QgsPathResolver.setPathPreprocessor(self._store_path_of)
        self._trim_after_render = None  # after the next render: None, release_free_memory or collect_and_release
        canvas.extentsChanged.connect(self._timer.start)
        canvas.mapCanvasRefreshed.connect(self._rendered)
        self._project.cleared.connect(self.reset)
        self._project.readProject.connect(self._project_read)
        self.prepare_store()

    # -- the store ------------------------------------------------------------------

    def prepare_store(self) -> None:
        """Start making the next store in a thread: creating a GeoPackage takes 30-50 ms, too long for the
        GUI thread when the user switches the first exact layer on."""
        if self._store is None and self._next is None:
            self._generation += 1
            path = self._store_dir / f"{STORE_PREFIX}{os.getpid()}-{self._generation}.gpkg"
            self._next = _MAKER.submit(_make_store, path)

    def store(self) -> SessionStore:
        """This session's store (waiting for it if it is still being made). Raises StoreError."""
        if self._store is None:
            self.prepare_store()
            future, self._next = self._next, None
            self._store = future.result()
        return self._store

    def _store_path_of(self, path: str) -> str:
        """A saved project's store path -> this session's store (QgsPathResolver preprocessor; GUI thread)."""
        if STORE_PREFIX not in path or not _STORE_FILE.search(path):
            return path
        try:
            current = str(self.store().path)
        except StoreError as exc:
            LOGGER.warning("The Mapillary session store could not be made: %s", exc)
            return path
        return _STORE_FILE.sub(lambda _match: current, path, count=1)

    def _new_store(self) -> None:
        """Start an empty store; the layers on the old one move to it.

        The old file is deleted at the next change or at shutdown, not now: a
        render or an attribute table may still be reading it, and SQLite
        cannot open a deleted file's WAL index again.
        """
        old, self._store = self._store, None
        layers = [layer for key in EXACT for layer in find_layers(key, self._project)]
        if layers:
            try:
                store = self.store()
            except StoreError as exc:
                self.status.emit("error", self.tr("Mapillary's exact data cannot be stored: {}").format(exc))
                return
            for layer in layers:
                key = layer.customProperty(LAYER_KEY_PROPERTY)
                layer.setDataSource(store.uri(key), layer.name(), "ogr")
                layer.setSubsetString(sql_where(self.filters, key))
        for retired in self._retired:
            retired.delete()
        self._retired = [old] if old is not None else []

    # -- which layers ---------------------------------------------------------------

    def enabled_keys(self) -> list[str]:
        return [key for key in EXACT if find_layers(key, self._project)]

    def busy(self) -> bool:
        """Whether tiles are being loaded for the exact layers."""
        return bool(self._tasks)

    def enable(self, key: str):
        layers = find_layers(key, self._project)
        if layers:
            return layers[0]
        try:
            store = self.store()
        except StoreError as exc:
            self.status.emit("error", self.tr("Mapillary's exact data cannot be stored: {}").format(exc))
            return None
        layer = exact_layer(key, store)
        layer.setSubsetString(sql_where(self.filters, key))
        if is_active(self.filters):
            layer.setName(EXACT[key].name + self.tr(" (filtered)"))
        add_to_project(layer, self._project)
        self._loaded.pop(EXACT[key].tileset, None)  # load its tiles again for this layer (from the disk cache)
        self.load_view()
        return layer

    def disable(self, key: str) -> None:
        for layer in find_layers(key, self._project):
            self._project.removeMapLayer(layer.id())

    def reset(self, *args) -> None:
        """Forget every loaded tile (a new or cleared project). The store stays: it is this session's cache."""
        for task in self._tasks.values():
            task.forget()
        self._tasks.clear()
        self._loaded.clear()

    def _project_read(self, *args) -> None:
        """Exact layers saved in a project open on this session's store (see `_store_path_of`): fill it."""
        self._loaded.clear()
        for key in self.enabled_keys():
            for layer in find_layers(key, self._project):
                layer.setReadOnly(True)
        self._timer.start()

    # -- filters --------------------------------------------------------------------

    @staticmethod
    def _make_matchers(filters: Filters) -> dict:
        images, features = image_matcher(filters), feature_matcher(filters)
        return {"images": images, "sequences": images, "map_features": features, "traffic_signs": features}

    def set_filters(self, filters: Filters) -> None:
        """Show only what passes: each layer's subset string changes, SQLite decides, nothing is fetched."""
        self.filters = filters
        self._matchers = self._make_matchers(filters)
        self._trim_after_render = self._trim_after_render or release_free_memory
        for key in EXACT:
            where = sql_where(filters, key)
            for layer in find_layers(key, self._project):
                if layer.subsetString() != where:
                    layer.setSubsetString(where)
                layer.setName(EXACT[key].name + (self.tr(" (filtered)") if is_active(filters) else ""))

    def image_filter(self):
        """Whether an image record passes the filters (identify finds only what the layers show)."""
        return self._matchers["images"]

    def known_values(self) -> list[str]:
        """The map-feature and sign classes loaded so far (for the class picker)."""
        if self._store is None:
            return []
        try:
            return self._store.values()
        except StoreError:
            return []

    # -- loading --------------------------------------------------------------------

    def area_tiles(self, extent: QgsRectangle, crs, max_tiles: int) -> list[tuple[int, int, int]] | None:
        """The z14 tiles of an extent, or None when it needs more than `max_tiles`."""
        transform = QgsCoordinateTransform(crs, WGS84, self._project)
        try:
            box: QgsRectangle = transform.transformBoundingBox(extent)
        except Exception:  # QgsCsException: an extent outside the world
            return []
        bbox = (box.xMinimum(), box.yMinimum(), box.xMaximum(), box.yMaximum())
        if tile_count(*bbox, ZOOM) > max_tiles:  # count first: a world view has millions of tiles
            return None
        return [(ZOOM, x, y) for x, y in tiles_for_bbox(*bbox, ZOOM)]

    def load_view(self) -> None:
        """Load what the map shows (called, debounced, whenever it moves)."""
        if not self.enabled_keys():
            return
        tiles = self.area_tiles(self.canvas.extent(), self.canvas.mapSettings().destinationCrs(), self.max_tiles)
        if tiles is None:
            self.status.emit("info", self.tr("Zoom in to load exact Mapillary data (street level, zoom 14 or closer)."))
            return
        self._load(tiles, "view")

    def load_area(self, extent: QgsRectangle, crs) -> bool:
        """Load an area the user picked, larger than a view; the map moving does not cancel it."""
        if not self.enabled_keys():
            self.status.emit("warning", self.tr("Turn on an exact layer first (images, sequences, features or signs)."))
            return False
        tiles = self.area_tiles(extent, crs, AREA_MAX_TILES)
        if tiles is None:
            self.status.emit("warning", self.tr(
                "The area is too large: at most {} tiles at zoom 14 (some 35 km across). "
                "Pick a smaller area.").format(AREA_MAX_TILES))
            return False
        self._load(tiles, "area")
        return True

    def _load(self, tiles: list, slot: str) -> None:
        by_tileset: dict[str, list[str]] = {}
        for key in self.enabled_keys():
            by_tileset.setdefault(EXACT[key].tileset, []).append(key)
        for tileset, tileset_keys in by_tileset.items():
            missing = [t for t in tiles if t not in self._loaded.get(tileset, set())]
            if missing:
                self._start(tileset, tileset_keys, missing, f"{slot}:{tileset}")

    def _start(self, tileset: str, keys: list[str], tiles: list, slot: str) -> None:
        old = self._tasks.pop(slot, None)
        if old is not None:
            old.forget()  # a new view makes the old view's work stale
        try:
            store = self.store()
        except StoreError as exc:
            self.status.emit("error", self.tr("Mapillary's exact data cannot be stored: {}").format(exc))
            return
        layers = sorted({EXACT[key].tile_layer for key in keys})
        source = self._make_source()

        def work(task: CallableTask):  # in a worker thread: fetch, decode and write; nothing for the GUI to build
            with gc_paused():  # see core/gc_pause.py: no collection may hold the GIL for tens of ms meanwhile
                result = source.load(tileset, tiles, layers, cancelled=task.cancel_event,
                                     progress=task.report_progress)
                if not result.cancelled:
                    for key in keys:
                        store.add(key, result.records.get(EXACT[key].tile_layer, []))
                result.records = {}  # written: the GUI thread needs none of them
            release_free_memory()  # the records' memory back to the system, not kept by the C heap
            return result

        task = CallableTask(self.tr("Loading Mapillary data"), work,
                            lambda result, error: self._loaded_tiles(slot, tileset, keys, store, result, error))
        self._tasks[slot] = task
        self.status.emit("info", self.tr("Loading {} Mapillary tiles…").format(len(tiles)))
        run_in_background(task)

    def _loaded_tiles(self, slot: str, tileset: str, keys: list[str], store: SessionStore, result, error) -> None:
        self._tasks.pop(slot, None)
        if error is not None:
            self._report(error)
            return
        if result is None or result.cancelled or store is not self._store:
            return  # cancelled, or written into a store that has been replaced since
        loaded = self._loaded.setdefault(tileset, set())
        loaded.update(tile for tile in result.tiles if tile not in result.failures)
        for key in keys:  # a load with failures says so, and no count that would hide it
            self._refresh(key, announce=not result.failures)
        self._report_failures(result.failures)

    def _refresh(self, key: str, announce: bool = True, tries: int = REFRESH_TRIES) -> None:
        """The layers of `key` read the store again: the counts and extent it keeps, then a redraw.

        Seen in a full test run: a reload racing a render's open read (its SQLite snapshot) left the
        layer counting the rows of before the load (0 of 165). An unfiltered layer whose count
        disagrees with the store's is read again a little later, a few times.
        """
        self._trim_after_render = collect_and_release
        stale = False
        for layer in find_layers(key, self._project):
            layer.reload()
            layer.updateExtents()
            layer.triggerRepaint()
            if not layer.subsetString() and self._store is not None:
                try:
                    stale = stale or layer.featureCount() != self._store.count(key)
                except StoreError:
                    pass
            if announce and not (stale and tries > 0):
                self.status.emit("info", self.tr("{}: {} features").format(layer.name(), layer.featureCount()))
        if stale and tries > 0:
            QTimer.singleShot(REFRESH_WAIT_MS, lambda: self._refresh(key, announce, tries - 1))

    def _rendered(self) -> None:
        """The first render after new records: QGIS's render threads have freed the memory they used to
        draw them, which glibc keeps (some 50 MB for a dense view) unless asked to give it back; and after a
        load, Python's free lists keep some more (see `collect_and_release`)."""
        release, self._trim_after_render = self._trim_after_render, None
        if release is not None:
            _MAKER.submit(release)  # not on the GUI thread: the trim can take a few milliseconds

    def _report_failures(self, failures: dict) -> None:
        if not failures:
            return
        errors = list(failures.values())
        garbage = [tile for tile, e in failures.items() if isinstance(e, TileDecodeError)]
        for tile in garbage:
            LOGGER.warning("Mapillary tile %s/%s/%s could not be read and was skipped.", *tile)
        token_error = next((e for e in errors if isinstance(e, InvalidTokenError)), None)
        others = [e for e in errors if not isinstance(e, TileDecodeError)]
        if self._notices is not None:  # said once for every tileset and the coverage layers, not once per load
            self._notices.tile_failed(token_error or (others or errors)[0])
            return
        if token_error is not None:  # one message, not one per tile
            self._report(token_error)
            return
        if others:
            self._report(others[0], count=len(failures))
        else:
            self.status.emit("warning", self.tr("{} unreadable Mapillary tiles were skipped.").format(len(garbage)))

    def _report(self, error: Exception, count: int = 1) -> None:
        if isinstance(error, StoreError):
            LOGGER.warning("Mapillary's exact data could not be stored: %s", error)
            self.status.emit("error", self.tr(
                "Mapillary's exact data could not be written to the disk cache (is the disk full?)."))
            return
        if isinstance(error, MapillaryError):
            text = error.message
        else:
            text = self.tr("Loading Mapillary data failed unexpectedly; see the QGIS message log.")
        if isinstance(error, RateLimitError):
            text = self.tr("Mapillary rate-limited the requests; {} tiles are missing. Pan again later.").format(count)
        level = "error" if isinstance(error, InvalidTokenError) else "warning"
        self.status.emit(level, text)

    # -- shutdown -------------------------------------------------------------------

    def clear_loaded(self) -> None:
        """Forget which tiles were loaded (they are read again; the store keeps each record once)."""
        self._loaded.clear()

    def clear_store(self) -> None:
        """Forget every record too (the tile cache was cleared): the layers move to an empty store."""
        for task in self._tasks.values():
            task.forget()
        self._tasks.clear()
        self._loaded.clear()
        self._new_store()

    def shutdown(self, quitting: bool = False) -> None:
        """Stop; the store files go unless a layer still uses one or QGIS is quitting (its layers still read
        them then): the next QGIS session deletes those."""
        self._timer.stop()
        for task in self._tasks.values():
            task.forget()
        self._tasks.clear()
        if self._preprocessor is not None:  # shut down twice (before QGIS quits, then unloaded): once
            QgsPathResolver.removePathPreprocessor(self._preprocessor)  # a second time raises KeyError
            self._preprocessor = None
        disconnect((self.canvas.extentsChanged, self._timer.start),
                   (self.canvas.mapCanvasRefreshed, self._rendered),
                   (self._project.cleared, self.reset),
                   (self._project.readProject, self._project_read))
        spare, self._next = self._next, None
        if quitting:
            return
        if spare is not None:  # made but never used
            try:
                spare.result().delete()
            except StoreError:
                pass
        in_use = any(find_layers(key, self._project) for key in EXACT)
        for store in self._retired + ([self._store] if self._store is not None and not in_use else []):
            store.delete()
        if self._own_dir:
            shutil.rmtree(self._store_dir, ignore_errors=True)


_MAKER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mapillary-store")


def _make_store(path: Path) -> SessionStore:
    """A new, empty store (in the `_MAKER` thread). Raises StoreError."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create {path.parent}: {exc.strerror or exc}") from None
    return SessionStore.create(path, merged_lines_wkb)


def remove_stale_stores(folder: Path) -> None:
    """Delete the stores of QGIS sessions that have ended (their process is gone)."""
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        match = _STORE_NAME.match(name)
        if match and not _process_alive(int(match.group(1))):
            try:
                os.unlink(folder / name)
            except OSError:
                pass


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # someone else's process: alive
        return True
    return True
