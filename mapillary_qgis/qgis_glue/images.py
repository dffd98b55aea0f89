"""Finding and fetching one image: what the identify tool, the image panel and other plugins share.

`ImageService` is plain, blocking work meant for worker threads (and for
`MapillaryPlugin.identify()` in scripts): the clicked image comes from tiles
the plugin decodes itself (exact ids), never from a vector-tile layer's
attributes, and its details from one Graph API request. Answers are kept in
memory, thumbnails on disk, so looking at an image again costs nothing.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from qgis.core import QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsPointXY, QgsProject

from ..client import Client
from ..core.graph import detections, image_details, map_feature_details, position, sequence_image_ids
from ..core.identify import distance_m, nearest_image, tiles_around
from ..core.seeing import columns, fov_from_camera, same_view, seen_from
from ..core.thumbnails import ThumbnailCache, fetch_thumbnail
from ..core.tile_source import TileSource

WGS84 = QgsCoordinateReferenceSystem("EPSG:4326")
MAX_TOLERANCE_M = 250  # at most a few tiles around a click, whatever the map scale
REMEMBERED = 256  # image details kept in memory (they hold signed URLs, so only for this session)


def to_lonlat(point: QgsPointXY, crs: QgsCoordinateReferenceSystem) -> tuple[float, float]:
    if crs != WGS84:
        point = QgsCoordinateTransform(crs, WGS84, QgsProject.instance()).transform(point)
    return point.x(), point.y()


class ImageService:
    def __init__(self, client: Client, source: TileSource, thumbnails: ThumbnailCache | None):
        self.client = client
        self.source = source
        self.thumbnails = thumbnails
        self._lock = threading.Lock()
        self._details: OrderedDict[str, dict] = OrderedDict()
        self._sequences: dict[str, list[str]] = {}

    def find(self, lon: float, lat: float, tolerance_m: float, tileset: str = "mly1_public", layer: str = "image",
             match=None, cancelled=None):
        """The nearest record of `layer` within `tolerance_m` metres (and passing `match`), or None.

        The tolerance is capped: a click on a map of a whole country must not
        fetch thousands of tiles.
        """
        tolerance_m = min(tolerance_m, MAX_TOLERANCE_M)
        tiles = tiles_around(lon, lat, tolerance_m)
        result = self.source.load(tileset, tiles, [layer], cancelled=cancelled)
        if result.fatal is not None:
            raise result.fatal
        if result.failures and tiles[0] in result.failures:  # the clicked tile itself could not be had
            raise result.failures[tiles[0]]
        records = result.records.get(layer, [])
        if match is not None:
            records = [r for r in records if match(r)]
        return nearest_image(records, lon, lat, tolerance_m)

    def identify_any(self, lon: float, lat: float, tolerance_m: float, feature_layers=(), match=None,
                     cancelled=None) -> tuple | None:
        """("image", details) or ("feature", details, detections) for what is nearest the click.

        `feature_layers` are (tileset, layer) pairs of the map-feature layers the user shows;
        `match` keeps only the images the filters let through.
        """
        candidates = [("image", self.find(lon, lat, tolerance_m, match=match, cancelled=cancelled))]
        for tileset, layer in feature_layers:
            candidates.append(("feature", self.find(lon, lat, tolerance_m, tileset, layer, cancelled=cancelled)))
        found = [(distance_m(lon, lat, r.lon, r.lat), kind, r) for kind, r in candidates if r is not None]
        if not found:
            return None
        _, kind, record = min(found, key=lambda item: item[0])
        if kind == "image":
            return ("image", self.details(record.id))
        return ("feature", map_feature_details(self.client, record.id), detections(self.client, record.id))

    def details(self, image_id) -> dict:
        key = str(image_id)
        with self._lock:
            if key in self._details:
                self._details.move_to_end(key)
                return self._details[key]
        found = image_details(self.client, key)
        with self._lock:
            self._details[key] = found
            while len(self._details) > REMEMBERED:
                self._details.popitem(last=False)
        return found

    def images_of(self, lon: float, lat: float, max_distance: float = 30.0, looking_at: bool = True,
                  match=None, cancelled=None) -> list[dict]:
        """The images that see (lon, lat), best first (core/seeing.py): from the tiles around it, exact ids."""
        max_distance = min(max(0.0, float(max_distance)), MAX_TOLERANCE_M)
        tiles = tiles_around(lon, lat, max_distance)
        result = self.source.load("mly1_public", tiles, ["image"], cancelled=cancelled)
        if result.fatal is not None:
            raise result.fatal
        if tiles[0] in result.failures:
            raise result.failures[tiles[0]]
        records = result.records.get("image", [])
        if match is not None:
            records = [r for r in records if match(r)]
        return seen_from(columns(records), lon, lat, max_distance, looking_at, fov_of=self.known_fov)

    def other_dates(self, details: dict, match=None, cancelled=None) -> list[dict]:
        """Images of other sequences that see what this one sees (core/seeing.same_view), oldest first."""
        where = position(details)
        if where is None:
            return []
        tiles = tiles_around(*where, 15.0)
        result = self.source.load("mly1_public", tiles, ["image"], cancelled=cancelled)
        if result.fatal is not None:
            raise result.fatal
        records = result.records.get("image", [])
        if match is not None:
            records = [r for r in records if match(r)]
        compass = details.get("compass_angle")
        return same_view(columns(records), *where, compass if isinstance(compass, (int, float)) else None,
                         details.get("sequence"))

    def known_fov(self, image_id) -> float | None:
        """The horizontal field of view of an image whose details are known this session, else None."""
        with self._lock:
            details = self._details.get(str(image_id))
        if not details:
            return None
        return fov_from_camera(details.get("camera_type"), details.get("camera_parameters"),
                               details.get("width"), details.get("height"))

    def identify(self, lon: float, lat: float, tolerance_m: float) -> dict | None:
        record = self.find(lon, lat, tolerance_m)
        return None if record is None else self.details(record.id)

    def thumbnail(self, image_id, size: int = 1024) -> bytes:
        key = str(image_id)
        with self._lock:
            known = self._details.get(key)
        return fetch_thumbnail(self.client, self.thumbnails, key, size, details=known)

    def cached_thumbnail(self, image_id, size: int) -> bytes | None:
        """The picture of `image_id` at `size` when the disk cache has it (no request), else None."""
        return None if self.thumbnails is None else self.thumbnails.get(str(image_id), size)

    def sequence(self, sequence_id: str) -> list[str]:
        with self._lock:
            if sequence_id in self._sequences:
                return self._sequences[sequence_id]
        ids = sequence_image_ids(self.client, sequence_id)
        with self._lock:
            self._sequences[sequence_id] = ids
        return ids

    def neighbour(self, details: dict, step: int) -> str | None:
        """The id of the image `step` places away in the same sequence, or None at an end."""
        sequence = details.get("sequence")
        if not sequence:
            return None
        ids = self.sequence(sequence)
        if details["id"] not in ids:
            return None
        index = ids.index(details["id"]) + step
        return ids[index] if 0 <= index < len(ids) else None
