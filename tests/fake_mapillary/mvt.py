"""Real Mapbox Vector Tile bytes, written by GDAL's MVT driver.

Wire types written for Python property values (checked by the unit tests):

- ``int`` -> ``int_value`` (Integer64 in OGR). GDAL itself writes ``uint_value``;
  ``pbf.uint_values_as_int`` re-tags them the way Mapillary sends them.
- ``float`` -> ``double_value``. GDAL switches to ``float_value`` when a value
  is exactly representable as a float32 (12.5, 90.0, ...), so the synthetic
  data uses full-precision values.
- ``bool`` -> ``bool_value`` (OGR Integer with the OFSTBoolean subtype).
- ``str`` -> ``string_value``.

A property whose value is ``None`` (or that a feature lacks) is left unset
and GDAL omits the key from that feature, like the optional ``organization_id``.
"""

import itertools
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Union

from osgeo import gdal, ogr, osr

from .pbf import reorder_layers, uint_values_as_int

EXTENT = 4096
BUFFER = 80

LonLat = tuple[float, float]
# A point ``(lon, lat)`` or a line ``[(lon, lat), ...]``, in WGS84.
Geometry = Union[LonLat, Sequence[LonLat]]
Feature = tuple[Geometry, Mapping[str, Any]]

_counter = itertools.count()


def _wgs84() -> osr.SpatialReference:
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4326)
    srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return srs


_WGS84 = _wgs84()


def empty_tile() -> bytes:
    """A tile with no layers: zero bytes is a valid MVT."""
    return b""


def encode_tile(layers: Mapping[str, Sequence[Feature]], z: int, x: int, y: int) -> bytes:
    """Encode ``{layer name: [(geometry, properties), ...]}`` as the MVT of tile z/x/y.

    Layers keep their order and MVT feature ids run sequentially across the
    whole tile, as in Mapillary's tiles. Features outside the tile (plus
    buffer) are clipped away by GDAL.
    """
    if not any(layers.values()):
        return empty_tile()
    root = f"/vsimem/fake_mapillary_mvt_{next(_counter)}"
    options = [
        f"MINZOOM={z}",
        f"MAXZOOM={z}",
        f"EXTENT={EXTENT}",
        f"BUFFER={BUFFER}",
        "COMPRESS=NO",
        "TILE_EXTENSION=pbf",
        "MAX_SIZE=1000000000",
        "MAX_FEATURES=100000000",
    ]
    dataset = ogr.GetDriverByName("MVT").CreateDataSource(root, options=options)
    if dataset is None:
        raise RuntimeError(f"GDAL MVT driver: {gdal.GetLastErrorMsg()}")
    try:
        try:
            fid = itertools.count()
            for name, features in layers.items():
                if features:
                    _write_layer(dataset, name, features, fid)
        finally:
            dataset = None  # closing the dataset writes the tiles
        data = read_vsimem(f"{root}/{z}/{x}/{y}.pbf")
    finally:
        gdal.RmdirRecursive(root)
    if not data:
        return empty_tile()
    return reorder_layers(uint_values_as_int(data), list(layers))


def _write_layer(dataset: ogr.DataSource, name: str, features: Sequence[Feature], fid: Iterator[int]) -> None:
    layer = dataset.CreateLayer(name, _WGS84, ogr.wkbUnknown)
    for field in _schema(features):
        layer.CreateField(field)
    definition = layer.GetLayerDefn()
    for geometry, properties in features:
        feature = ogr.Feature(definition)
        feature.SetFID(next(fid))
        for key, value in properties.items():
            if value is not None:
                feature.SetField(key, int(value) if isinstance(value, bool) else value)
        feature.SetGeometry(_ogr_geometry(geometry))
        if layer.CreateFeature(feature) != ogr.OGRERR_NONE:
            raise RuntimeError(f"GDAL MVT driver: {gdal.GetLastErrorMsg()}")


def _schema(features: Sequence[Feature]) -> list[ogr.FieldDefn]:
    """OGR fields for the union of property keys, typed by their first non-None value."""
    types: dict[str, type] = {}
    for _, properties in features:
        for key, value in properties.items():
            if value is not None:
                types.setdefault(key, type(value))
    fields = []
    for key, kind in types.items():
        if kind is bool:
            field = ogr.FieldDefn(key, ogr.OFTInteger)
            field.SetSubType(ogr.OFSTBoolean)
        elif kind is int:
            field = ogr.FieldDefn(key, ogr.OFTInteger64)
        elif kind is float:
            field = ogr.FieldDefn(key, ogr.OFTReal)
        elif kind is str:
            field = ogr.FieldDefn(key, ogr.OFTString)
        else:
            raise TypeError(f"unsupported MVT property type for {key!r}: {kind.__name__}")
        fields.append(field)
    return fields


def _ogr_geometry(geometry: Geometry) -> ogr.Geometry:
    if isinstance(geometry[0], (int, float)):
        point = ogr.Geometry(ogr.wkbPoint)
        point.AddPoint_2D(*geometry)
        return point
    line = ogr.Geometry(ogr.wkbLineString)
    for lon, lat in geometry:
        line.AddPoint_2D(lon, lat)
    return line


def read_vsimem(path: str) -> bytes:
    """Contents of a /vsimem file, or b"" when GDAL wrote no such tile."""
    handle = gdal.VSIFOpenL(path, "rb")
    if handle is None:
        return b""
    try:
        gdal.VSIFSeekL(handle, 0, 2)
        size = gdal.VSIFTellL(handle)
        gdal.VSIFSeekL(handle, 0, 0)
        return bytes(gdal.VSIFReadL(1, size, handle))
    finally:
        gdal.VSIFCloseL(handle)
