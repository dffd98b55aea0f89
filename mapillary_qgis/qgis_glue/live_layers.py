"""Exact layers that follow the map.

When the map moves (debounced), the z14 tiles of the view that are not loaded
yet are fetched and decoded in a `QgsTask` through the one tile pipeline
(`core.tile_source`), and their records are added to the exact layers. A new
view cancels the work for the old one. Tiles already loaded are not fetched
again; the disk cache makes a return to an area free of requests even after
a restart.
"""

from __future__ import annotations

import logging
from typing import Callable

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsProject,
    QgsRectangle,
)
from qgis.PyQt.QtCore import QObject, QTimer, pyqtSignal

from ..core.filters import Filters, feature_matcher, image_matcher, is_active
from ..core.mvt_decode import TileDecodeError
from ..core.records import merge_sequences
from ..core.tile_source import TileSource
from ..core.tilemath import tile_count, tiles_for_bbox
from ..errors import InvalidTokenError, MapillaryError, RateLimitError
from .coverage import add_to_project, find_layers
from .exact_layers import EXACT, add_features, exact_layer, replace_features
from .notices import Notices
from .signals import disconnect
from .tasks import CallableTask, run_in_background

LOGGER = logging.getLogger(__name__)
WGS84 = QgsCoordinateReferenceSystem("EPSG:4326")
ZOOM = 14
AREA_MAX_TILES = 400  # a picked area: 20 x 20 tiles, some 35 km across at mid latitudes


class LiveLayers(QObject):
    """Owns the exact layers; `status(level, text)` tells the dock what happens."""

    status = pyqtSignal(str, str)  # "info" | "warning" | "error", message for the user

    def __init__(self, canvas, make_source: Callable[[], TileSource], project: QgsProject | None = None,
                 max_tiles: int = 80, debounce_ms: int = 600, notices: Notices | None = None,
                 parent: QObject | None = None):
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
        self._records: dict[str, dict] = {}  # layer key -> record id -> record (all loaded, unfiltered)
        self.filters = Filters()
        self._matchers = self._make_matchers(self.filters)
        self._loaded: dict[str, set] = {}  # tileset -> tiles loaded
        self._tasks: dict[str, CallableTask] = {}  # tileset -> running task
        canvas.extentsChanged.connect(self._timer.start)
        self._project.layersWillBeRemoved.connect(self._layers_removed)
        self._project.cleared.connect(self.reset)
        self._project.readProject.connect(self._project_read)

    # -- which layers ---------------------------------------------------------------

    def enabled_keys(self) -> list[str]:
        return [key for key in EXACT if find_layers(key, self._project)]

    def enable(self, key: str):
        layers = find_layers(key, self._project)
        if layers:
            return layers[0]
        layer = exact_layer(key)
        if is_active(self.filters):
            layer.setName(EXACT[key].name + self.tr(" (filtered)"))
        add_to_project(layer, self._project)
        self._records[key] = {}
        self._loaded.pop(EXACT[key].tileset, None)  # reload its tiles for this layer
        self.load_view()
        return layer

    def disable(self, key: str) -> None:
        for layer in find_layers(key, self._project):
            self._project.removeMapLayer(layer.id())

    def reset(self, *args) -> None:
        """Forget every record and loaded tile (a new or cleared project)."""
        for task in self._tasks.values():
            task.forget()
        self._tasks.clear()
        self._records.clear()
        self._loaded.clear()

    def _project_read(self, *args) -> None:
        """Exact layers saved in a project come back empty (memory layers): fill them again."""
        self.reset()
        for key in self.enabled_keys():
            self._records[key] = {}
            for layer in find_layers(key, self._project):
                layer.setReadOnly(True)
        self._timer.start()

    def _layers_removed(self, layer_ids) -> None:
        for key in list(self._records):
            if not any(layer.id() not in layer_ids for layer in find_layers(key, self._project)):
                self._records.pop(key, None)

    # -- filters --------------------------------------------------------------------

    @staticmethod
    def _make_matchers(filters: Filters) -> dict:
        images, features = image_matcher(filters), feature_matcher(filters)
        return {"images": images, "sequences": images, "map_features": features, "traffic_signs": features}

    def set_filters(self, filters: Filters) -> None:
        """Show only what passes: the records already loaded are filtered again, nothing is fetched."""
        self.filters = filters
        self._matchers = self._make_matchers(filters)
        for key, known in self._records.items():
            match = self._matchers[key]
            for layer in find_layers(key, self._project):
                replace_features(layer, [r for r in known.values() if match(r)])
                layer.setName(EXACT[key].name + (self.tr(" (filtered)") if is_active(filters) else ""))

    def image_filter(self):
        """Whether an image record passes the filters (identify finds only what the layers show)."""
        return self._matchers["images"]

    def known_values(self) -> list[str]:
        """The map-feature and sign classes loaded so far (for the class picker)."""
        return sorted({r.value for key in ("map_features", "traffic_signs") for r in self._records.get(key, {}).values()
                       if r.value})

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
        layers = sorted({EXACT[key].tile_layer for key in keys})
        source = self._make_source()

        def work(task: CallableTask):
            return source.load(tileset, tiles, layers, cancelled=task.cancel_event, progress=task.report_progress)

        task = CallableTask(self.tr("Loading Mapillary data"), work,
                            lambda result, error: self._loaded_tiles(slot, tileset, keys, result, error))
        self._tasks[slot] = task
        self.status.emit("info", self.tr("Loading {} Mapillary tiles…").format(len(tiles)))
        run_in_background(task)

    def _loaded_tiles(self, slot: str, tileset: str, keys: list[str], result, error) -> None:
        self._tasks.pop(slot, None)
        if error is not None:
            self._report(error)
            return
        if result is None or result.cancelled:
            return
        loaded = self._loaded.setdefault(tileset, set())
        loaded.update(tile for tile in result.tiles if tile not in result.failures)
        for key in keys:  # a load with failures says so, and no count that would hide it
            self._merge(key, result.records.get(EXACT[key].tile_layer, []), announce=not result.failures)
        self._report_failures(result.failures)

    def _merge(self, key: str, records: list, announce: bool = True) -> None:
        known = self._records.setdefault(key, {})
        match = self._matchers[key]
        if key == "sequences":  # a sequence crossing tiles loaded at different times is one line: redraw them
            known.update((r.id, r) for r in merge_sequences([list(known.values()), records]))
            for layer in find_layers(key, self._project):
                replace_features(layer, [r for r in known.values() if match(r)])
        else:  # only the new ones: the GUI thread never rebuilds what is there
            new = [r for r in records if r.id not in known]
            known.update((r.id, r) for r in new)
            for layer in find_layers(key, self._project):
                add_features(layer, [r for r in new if match(r)])
        for layer in find_layers(key, self._project) if announce else ():
            self.status.emit("info", self.tr("{}: {} features").format(layer.name(), layer.featureCount()))

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
        """Forget which tiles were loaded (after clearing the cache)."""
        self._loaded.clear()

    def shutdown(self) -> None:
        self._timer.stop()
        for task in self._tasks.values():
            task.forget()
        self._tasks.clear()
        disconnect((self.canvas.extentsChanged, self._timer.start),
                   (self._project.layersWillBeRemoved, self._layers_removed),
                   (self._project.cleared, self.reset),
                   (self._project.readProject, self._project_read))
