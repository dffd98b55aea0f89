"""Decode Mapillary vector tiles with GDAL's MVT driver into exact records.

QGIS's own vector-tile reader truncates 64-bit ids; GDAL reads them as
Integer64. Each call opens its own `/vsimem/` file, so decoding is
thread-safe. GDAL's messages go to an error handler of the calling thread
only (any failure message rejects the tile, whether or not the bindings
raise exceptions, a process-wide setting left as it is; GDAL 3.7 and later
swallow the failure messages of calls that still return something when
exceptions are on, so they are turned off for the decoding thread).

Tiles carry a buffer, so features near an edge repeat in neighbouring tiles.
Points are kept only by the tile that owns them (west and north edges
inclusive, east and south edges exclusive) and lines are clipped to the
tile's exact rectangle, so parts from adjacent tiles meet without overlapping.
"""

from __future__ import annotations

import contextlib
import uuid
from functools import partial
from typing import Callable, Iterable, Optional

from osgeo import gdal, ogr

from ..errors import MapillaryError
from .mvt_arrow import arrow_points
from .records import ImageRecord, MapFeatureRecord, SequenceRecord, merge_sequences, merge_unique
from .tilemath import mercator_to_lonlat, tile_bounds_mercator

__all__ = ["TileDecodeError", "decode_tile", "LAYERS"]

LAYERS = ("overview", "sequence", "image", "point", "traffic_sign")
_EDGE_EPS = 1e-7  # in tile widths; the MVT grid step is 1/4096
_TRUE = {"1", "true", "yes"}
_FALSE = {"0", "false", "no"}


class TileDecodeError(MapillaryError):
    """A tile's bytes are not a readable Mapillary vector tile."""

    @classmethod
    def for_tile(cls, z: int, x: int, y: int) -> TileDecodeError:
        return cls(f"A Mapillary tile could not be read ({z}/{x}/{y}); it was skipped.")


def decode_tile(data: bytes, z: int, x: int, y: int, layers: Optional[Iterable[str]] = None) -> dict:
    """`{layer name: [record, ...]}` for the known layers of one tile (all, or those in `layers`).

    Empty bytes are a legal empty tile (`{}`). Bytes GDAL cannot read raise
    `TileDecodeError`. Records are unique per id within the tile.
    """
    if not data:
        return {}
    wanted = set(LAYERS if layers is None else layers)
    path = f"/vsimem/mapillary_qgis/{uuid.uuid4().hex}.mvt"  # unique even across plugin reloads
    failures: list = []

    def collect(error_class, _number, message):  # this thread's GDAL messages, kept off stderr
        if error_class >= gdal.CE_Failure:
            failures.append(message)

    gdal.PushErrorHandler(collect)
    try:
        gdal.FileFromMemBuffer(path, bytes(data))
        try:
            with _exceptions_off_in_this_thread():
                records = _read(path, z, x, y, wanted)
        except RuntimeError:  # the bindings raise instead of returning None when exceptions are on
            records = None
        if records is None or failures:
            raise TileDecodeError.for_tile(z, x, y)
        return records
    finally:
        gdal.Unlink(path)
        gdal.PopErrorHandler()


def _exceptions_off_in_this_thread():
    """GDAL >= 3.7: a damaged layer would read as empty, its error dropped, with exceptions on."""
    if not hasattr(gdal, "ExceptionMgr"):  # GDAL 3.6 (Debian 12): the error handler sees every message
        return contextlib.nullcontext()
    stack = contextlib.ExitStack()
    stack.enter_context(gdal.ExceptionMgr(useExceptions=False))  # thread-local, restored on exit
    stack.enter_context(ogr.ExceptionMgr(useExceptions=False))
    return stack


def _read(path: str, z: int, x: int, y: int, wanted: set) -> Optional[dict]:
    options = [f"X={x}", f"Y={y}", f"Z={z}", "CLIP=NO"]  # we clip ourselves, identically on every GDAL
    dataset = gdal.OpenEx(path, gdal.OF_VECTOR | gdal.OF_READONLY, allowed_drivers=["MVT"], open_options=options)
    if dataset is None:
        return None
    tile = _Tile(z, x, y)
    result: dict = {}
    # By name: few calls into GDAL, each of which lets another thread take the GIL for a while.
    for name in (name for name in LAYERS if name in wanted):
        layer = dataset.GetLayerByName(name)
        if layer is not None:
            records = _READERS[name](layer, tile)
            result[name] = merge_sequences([records]) if name == "sequence" else merge_unique([records])
    return result


class _Tile:
    """A tile's Mercator rectangle: which points it owns, and clipping lines to it."""

    def __init__(self, z: int, x: int, y: int):
        self.min_x, self.min_y, self.max_x, self.max_y = tile_bounds_mercator(z, x, y)
        self.size = self.max_x - self.min_x
        self._polygon: Optional[ogr.Geometry] = None

    def owns(self, mx, my):
        """Whether the tile owns the point; element by element for numpy arrays (the Arrow reader's)."""
        fx = (mx - self.min_x) / self.size
        fy = (self.max_y - my) / self.size
        return (fx >= -_EDGE_EPS) & (fx < 1.0 - _EDGE_EPS) & (fy >= -_EDGE_EPS) & (fy < 1.0 - _EDGE_EPS)

    def clip(self, geometry: ogr.Geometry) -> ogr.Geometry:
        min_x, max_x, min_y, max_y = geometry.GetEnvelope()
        slack = self.size * _EDGE_EPS
        if (min_x >= self.min_x - slack and max_x <= self.max_x + slack
                and min_y >= self.min_y - slack and max_y <= self.max_y + slack):
            return geometry
        if self._polygon is None:
            ring = ogr.Geometry(ogr.wkbLinearRing)
            for px, py in ((self.min_x, self.min_y), (self.max_x, self.min_y), (self.max_x, self.max_y),
                           (self.min_x, self.max_y), (self.min_x, self.min_y)):
                ring.AddPoint_2D(px, py)
            self._polygon = ogr.Geometry(ogr.wkbPolygon)
            self._polygon.AddGeometry(ring)
        return geometry.Intersection(self._polygon)


def _line_parts(geometry: Optional[ogr.Geometry]) -> list:
    """The LineStrings in a (Multi)LineString or collection, as tuples of lon/lat."""
    if geometry is None or geometry.IsEmpty():
        return []
    kind = ogr.GT_Flatten(geometry.GetGeometryType())
    if kind == ogr.wkbLineString:
        points = geometry.GetPoints() or []
        return [tuple(mercator_to_lonlat(p[0], p[1]) for p in points)] if len(points) >= 2 else []
    if kind in (ogr.wkbMultiLineString, ogr.wkbGeometryCollection):
        return [part for i in range(geometry.GetGeometryCount()) for part in _line_parts(geometry.GetGeometryRef(i))]
    return []  # points left where a line only touched the edge


# -- properties ---------------------------------------------------------------

def _getters(layer: ogr.Layer, kinds: dict) -> dict:
    """`{property: feature -> value or None}` for the properties in `kinds` ({name: int|float|bool|str})."""
    definition = layer.GetLayerDefn()
    getters = {}
    for name, kind in kinds.items():
        index = definition.GetFieldIndex(name)
        ogr_type = definition.GetFieldDefn(index).GetType() if index >= 0 else None
        getters[name] = _getter(index, ogr_type, kind)
    return getters


def _getter(index: int, ogr_type: Optional[int], kind: type) -> Callable[[ogr.Feature], object]:
    """Reads one property as `kind`, whatever type GDAL gave the field (blank tiles make them strings)."""
    if ogr_type is None:
        return lambda feature: None
    numeric = ogr_type in (ogr.OFTInteger, ogr.OFTInteger64, ogr.OFTReal)
    if kind is float and numeric:
        return lambda f: f.GetFieldAsDouble(index) if f.IsFieldSetAndNotNull(index) else None
    if kind is int and ogr_type in (ogr.OFTInteger, ogr.OFTInteger64):
        return lambda f: f.GetFieldAsInteger64(index) if f.IsFieldSetAndNotNull(index) else None
    if kind is bool and ogr_type in (ogr.OFTInteger, ogr.OFTInteger64):
        return lambda f: bool(f.GetFieldAsInteger64(index)) if f.IsFieldSetAndNotNull(index) else None
    return lambda f: _parse(f.GetFieldAsString(index), kind) if f.IsFieldSetAndNotNull(index) else None


def _parse(text: str, kind: type) -> object:
    """A property GDAL holds as text (or as a type other than `kind`) as `kind`; None when blank or invalid."""
    try:  # bytes that are not UTF-8 come as surrogate escapes; U+FFFD instead, as the Arrow reader gives them
        text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:
        pass
    text = text.strip()
    if kind is str:
        return text or None
    if kind is bool:
        return True if text.lower() in _TRUE else False if text.lower() in _FALSE else None
    try:
        return int(text) if kind is int else float(text)
    except ValueError:
        if kind is not int:
            return None
    try:  # an integer property that GDAL typed as Real: "1.5e+12"
        value = float(text)
    except ValueError:
        return None
    return int(value) if value.is_integer() else None


# -- one reader per layer -----------------------------------------------------

# In the order of the records' fields; "id" first (`_points` moves lon and lat after it).
_IMAGE_PROPS = {"id": int, "captured_at": int, "compass_angle": float, "sequence_id": str,
                "is_pano": bool, "creator_id": int, "organization_id": int}
_IMAGE_DEFAULTS = {"captured_at": 0}  # Mapillary's "no capture time"
_SEQUENCE_PROPS = {"id": str, "image_id": int, "captured_at": int, "is_pano": bool,
                   "creator_id": int, "organization_id": int}
_FEATURE_PROPS = {"id": int, "value": str, "first_seen_at": int, "last_seen_at": int}


def _points(layer: ogr.Layer, tile: _Tile, props: dict, defaults: Optional[dict] = None) -> list:
    """`(id, lon, lat, *other properties in the order of props)` of the points the tile owns that have an id.

    A property a feature lacks is None, or its value in `defaults`.
    """
    defaults = defaults or {}
    rows = arrow_points(layer, tile, props, defaults)
    return _feature_points(layer, tile, props, defaults) if rows is None else rows


def _feature_points(layer: ogr.Layer, tile: _Tile, props: dict, defaults: dict) -> list:
    """`_points`, one feature at a time: any GDAL, any property types (blank tiles make them strings)."""
    get = _getters(layer, props)
    getters = [_or_default(g, defaults[name]) if name in defaults else g for name, g in get.items() if name != "id"]
    get_id = get["id"]
    rows = []
    layer.ResetReading()
    for feature in layer:
        geometry = _single_point(feature.GetGeometryRef())
        if geometry is None:
            continue
        mx, my = geometry.GetX(), geometry.GetY()
        if not tile.owns(mx, my):
            continue
        feature_id = get_id(feature)
        if feature_id is not None:
            rows.append((feature_id, *mercator_to_lonlat(mx, my), *(g(feature) for g in getters)))
    return rows


def _single_point(geometry: Optional[ogr.Geometry]) -> Optional[ogr.Geometry]:
    """The point of a Point, or of a MultiPoint of one point (what GDAL makes of every point of a layer
    in which one feature is a MultiPoint); None for anything else."""
    if geometry is None:
        return None
    kind = ogr.GT_Flatten(geometry.GetGeometryType())
    if kind == ogr.wkbMultiPoint and geometry.GetGeometryCount() == 1:
        geometry, kind = geometry.GetGeometryRef(0), ogr.wkbPoint
    return geometry if kind == ogr.wkbPoint else None


def _or_default(getter: Callable, default: object) -> Callable:
    def get(feature):
        value = getter(feature)
        return default if value is None else value
    return get


# A record straight from a row of the right length: tuple.__new__ skips the named tuple's Python-level
# constructor, a third of the time of a dense tile's decoding.
_new_image = partial(tuple.__new__, ImageRecord)


def _images(layer: ogr.Layer, tile: _Tile) -> list:
    return list(map(_new_image, _points(layer, tile, _IMAGE_PROPS, _IMAGE_DEFAULTS)))


def _map_features(layer: ogr.Layer, tile: _Tile) -> list:
    name = layer.GetName()
    return [MapFeatureRecord(i, lon, lat, value or "", first, last, name)
            for i, lon, lat, value, first, last in _points(layer, tile, _FEATURE_PROPS)]


def _sequences(layer: ogr.Layer, tile: _Tile) -> list:
    get = _getters(layer, _SEQUENCE_PROPS)
    result = []
    layer.ResetReading()
    for feature in layer:
        sequence_id = get["id"](feature)
        geometry = feature.GetGeometryRef()
        if sequence_id is None or geometry is None:
            continue
        parts = _line_parts(tile.clip(geometry))
        if parts:
            result.append(SequenceRecord(
                str(sequence_id), tuple(parts), get["image_id"](feature), get["captured_at"](feature),
                get["is_pano"](feature), get["creator_id"](feature), get["organization_id"](feature),
            ))
    return result


_READERS = {
    "overview": _images,
    "image": _images,
    "sequence": _sequences,
    "point": _map_features,
    "traffic_sign": _map_features,
}
