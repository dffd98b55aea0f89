"""The fast path of `mvt_decode`: a tile layer's points read as columns through GDAL's Arrow stream.

Reading a dense tile (10,000 images) one OGR feature at a time costs about
75 ms of Python; as numpy columns (`ogr.Layer.GetArrowStreamAsNumPy`, GDAL
3.6 and newer) about 10 ms. This path covers what Mapillary serves: point
geometries and properties typed as numbers, booleans and strings. For
anything else (blank tiles whose properties are all strings, an older GDAL,
no numpy) it answers None and `mvt_decode` reads the layer feature by
feature, with the same results.
"""

from __future__ import annotations

from itertools import chain
from typing import Iterable, Optional, Sequence

from osgeo import ogr

from .tilemath import EARTH_RADIUS, mercator_ys_to_lats

try:
    import numpy as np
    from osgeo import gdal_array  # noqa: F401 - what GetArrowStreamAsNumPy needs (numpy and GDAL built for it)
except ImportError:  # pragma: no cover - they come with GDAL's Python bindings on Debian, OSGeo4W and macOS
    np = None

__all__ = ["ENABLED", "arrow_points"]

# False turns the fast path off (GDAL < 3.6 or no numpy; tests use it to compare both paths).
ENABLED = np is not None and hasattr(ogr.Layer, "GetArrowStreamAsNumPy")
_POINT_WKB = [("order", "u1"), ("type", "<u4"), ("x", "<f8"), ("y", "<f8")]  # little-endian WKB Point, 21 bytes
_KINDS = {int: "iu", float: "iuf", bool: "biu", str: "S"}  # numpy dtype kinds each property type accepts


def arrow_points(layer: ogr.Layer, tile, props: dict, defaults: dict) -> Optional[Iterable[tuple]]:
    """Rows `(id, lon, lat, *the other properties in the order of props)` of the points `tile` owns.

    `tile.owns(xs, ys)` tells, element by element, which Mercator points the
    tile owns. Features without an id are left out; a missing property is
    None, or its value in `defaults`.
    None: this layer needs the per-feature reader.
    """
    if not ENABLED:
        return None
    geometry_column = layer.GetGeometryColumn() or "wkb_geometry"
    parts: list = []  # each batch's rows, made from Python lists: nothing in them refers to GDAL's memory
    try:
        stream = layer.GetArrowStreamAsNumPy(options=["INCLUDE_FID=NO"])
    except Exception:  # noqa: BLE001 - any failure of the fast path (GDAL raises a bare Exception): read per feature
        return None
    try:
        for batch in stream:
            part = _batch_rows(batch, geometry_column, tile, props, _columns(batch, props), defaults)
            if part is None:
                return None
            parts.append(part)
    except Exception:  # noqa: BLE001 - as above
        return None
    finally:
        del stream  # released before the caller closes the dataset, as GDAL requires
    return parts[0] if len(parts) == 1 else chain.from_iterable(parts)


def _columns(batch: dict, props: dict) -> dict:
    """The batch's own spelling of each property (None if absent): OGR matches names without regard to
    case, the first field first. From the batch's names, not GDAL's layer definition: every call into
    GDAL lets another thread take the GIL, and getting it back can take the interpreter's switch
    interval (5 ms)."""
    spelled: dict = {}
    for name in batch:
        spelled.setdefault(name.lower(), name)
    return {name: spelled.get(name.lower()) for name in props}


def _batch_rows(batch: dict, geometry_column: str, tile, props: dict, columns: dict,
                defaults: dict) -> Optional[Iterable[tuple]]:
    points = _points(batch.get(geometry_column))
    if points is None:
        return None
    keep = tile.owns(points["x"], points["y"])
    ids = batch.get(columns["id"])
    if ids is None:
        return ()
    keep &= ~np.ma.getmaskarray(ids)
    values = [_column(batch.get(columns[name]), kind, keep, defaults.get(name)) for name, kind in props.items()]
    if any(column is None for column in values):
        return None
    mx, my = points["x"][keep], points["y"][keep]
    lons = np.degrees(mx / EARTH_RADIUS).tolist()  # the same operations as math.degrees: the same bits
    # Not numpy's arctan and sinh, which may differ from the C library's in the last bit: the per-feature
    # reader's formula, so that both give the same latitudes to the bit.
    lats = mercator_ys_to_lats(my.tolist())
    ids, others = values[0], values[1:]
    return zip(ids, lons, lats, *others)


def _points(wkb) -> Optional[object]:
    """A structured array of x and y when every geometry is a little-endian WKB Point; else None."""
    if wkb is None or np.ma.is_masked(wkb) or wkb.dtype.kind != "V" or wkb.dtype.itemsize != 21:
        return None
    points = np.frombuffer(np.ascontiguousarray(wkb).tobytes(), dtype=_POINT_WKB)
    if not (np.all(points["order"] == 1) and np.all(points["type"] == 1)):
        return None
    return points


def _column(values, kind: type, keep, default=None) -> Optional[Sequence]:
    """The kept values of one property as Python values of `kind` (`default` where missing), or None if unfit."""
    count = int(np.count_nonzero(keep))
    if values is None:
        return [default] * count  # no feature of this tile has the property
    if values.dtype.kind not in _KINDS[kind]:
        return None  # for instance numbers typed as strings: the per-feature reader parses them
    values = values[keep]
    if default is not None and np.ma.is_masked(values):
        values = values.filled(default)
    if kind is str:
        return [None if v is None else (v.decode("utf-8", "replace").strip() or None) for v in values.tolist()]
    if kind is float:
        return values.astype(np.float64).tolist()
    if kind is bool and values.dtype.kind != "b":
        return (values != 0).tolist()
    return values.tolist()

