"""Exact layers: OGR layers on the session store (`core/session_store.py`), filled from tiles the plugin
decodes itself.

Ids are 64-bit integers and dates UTC date-times with milliseconds: the
records come from GDAL's MVT driver (see `core/mvt_decode.py`), never from a
`QgsVectorTileLayer`, and the GeoPackage keeps them exactly. These are the
layers a user filters, opens in the attribute table, selects and exports.
The specs here also serve Processing's outputs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

from qgis.core import (
    QgsFeature,
    QgsField,
    QgsFields,
    QgsGeometry,
    QgsLineString,
    QgsMultiLineString,
    QgsPoint,
    QgsPointXY,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QDateTime, Qt

from ..core.records import ImageRecord, MapFeatureRecord, SequenceRecord
from ..core.session_store import SessionStore
from . import compat, styles
from .compat import BOOL, DATETIME, DOUBLE, LONG, TEXT
from .coverage import ATTRIBUTION, LAYER_KEY_PROPERTY
from .expressions import image_map_tip


def utc(ms: int | None):
    """A UTC QDateTime from epoch milliseconds; NULL for missing or 0 (unknown capture time)."""
    if not ms:
        return None
    return QDateTime.fromMSecsSinceEpoch(int(ms), Qt.TimeSpec.UTC)


@dataclass(frozen=True)
class ExactSpec:
    key: str
    name: str
    geometry: str  # memory-provider geometry type
    fields: tuple  # (name, field type from compat)
    tileset: str
    tile_layer: str
    attributes: Callable  # record -> list of attribute values
    geometry_of: Callable  # record -> QgsGeometry
    style: Callable  # () -> renderer


def _point(record) -> QgsGeometry:
    return QgsGeometry.fromPointXY(QgsPointXY(record.lon, record.lat))


def _lines(record: SequenceRecord) -> QgsGeometry:
    multi = QgsMultiLineString()
    for part in record.parts:
        if len(part) >= 2:
            multi.addGeometry(QgsLineString([QgsPoint(lon, lat) for lon, lat in part]))
    geometry = QgsGeometry(multi)
    merged = geometry.mergeLines()  # parts that meet at tile borders become one line
    return merged if not merged.isEmpty() else geometry


def _image_attributes(r: ImageRecord) -> list:
    return [r.id, utc(r.captured_at), r.compass_angle, r.sequence_id, r.is_pano, r.creator_id, r.organization_id]


def _sequence_attributes(r: SequenceRecord) -> list:
    return [r.id, r.image_id, utc(r.captured_at), r.is_pano, r.creator_id, r.organization_id]


def _feature_attributes(r: MapFeatureRecord) -> list:
    return [r.id, r.value, utc(r.first_seen_at), utc(r.last_seen_at)]


IMAGE_FIELDS = (
    ("id", LONG), ("captured_at", DATETIME), ("compass_angle", DOUBLE), ("sequence_id", TEXT),
    ("is_pano", BOOL), ("creator_id", LONG), ("organization_id", LONG),
)
SEQUENCE_FIELDS = (
    ("id", TEXT), ("image_id", LONG), ("captured_at", DATETIME), ("is_pano", BOOL),
    ("creator_id", LONG), ("organization_id", LONG),
)
FEATURE_FIELDS = (("id", LONG), ("value", TEXT), ("first_seen_at", DATETIME), ("last_seen_at", DATETIME))

EXACT = {
    spec.key: spec
    for spec in (
        ExactSpec("images", "Mapillary images", "Point", IMAGE_FIELDS, "mly1_public", "image",
                  _image_attributes, _point, styles.images_renderer),
        ExactSpec("sequences", "Mapillary sequences", "MultiLineString", SEQUENCE_FIELDS, "mly1_public", "sequence",
                  _sequence_attributes, _lines, styles.sequences_renderer),
        ExactSpec("map_features", "Mapillary map features (exact)", "Point", FEATURE_FIELDS,
                  "mly_map_feature_point", "point", _feature_attributes, _point,
                  lambda: styles.features_renderer()),
        ExactSpec("traffic_signs", "Mapillary traffic signs (exact)", "Point", FEATURE_FIELDS,
                  "mly_map_feature_traffic_sign", "traffic_sign", _feature_attributes, _point,
                  lambda: styles.features_renderer()),
    )
}


def fields_of(spec: ExactSpec) -> QgsFields:
    fields = QgsFields()
    for name, kind in spec.fields:
        fields.append(QgsField(name, kind))
    return fields


def exact_layer(key: str, store: SessionStore) -> QgsVectorLayer:
    """The exact layer of `key`: an OGR layer on its table of the session store, styled, in EPSG:4326."""
    spec = EXACT[key]
    layer = QgsVectorLayer(store.uri(key), spec.name, "ogr")
    layer.setRenderer(spec.style())
    compat.set_attribution(layer, ATTRIBUTION)
    layer.setCustomProperty(LAYER_KEY_PROPERTY, key)
    layer.setReadOnly(True)  # the plugin adds rows as the map moves; an edit buffer would fight it
    hide_fid(layer)
    if key == "images":
        layer.setMapTipTemplate(image_map_tip())
    return layer


def hide_fid(layer: QgsVectorLayer) -> None:
    """The GeoPackage's `fid` (the Mapillary id again for points) stays out of the attribute table."""
    config = layer.attributeTableConfig()
    columns = config.columns()
    for column in columns:
        if column.name == "fid":
            column.hidden = True
    config.setColumns(columns)
    layer.setAttributeTableConfig(config)


def merged_lines_wkb(parts) -> bytes | None:
    """The WKB of a sequence's parts as a MultiLineString, parts that meet at tile borders joined.

    Runs in the worker that writes the store (QgsGeometry needs no GUI thread).
    """
    multi = QgsMultiLineString()
    for part in parts:
        if len(part) >= 2:
            multi.addGeometry(QgsLineString([QgsPoint(lon, lat) for lon, lat in part]))
    if multi.isEmpty():
        return None
    geometry = QgsGeometry(multi)
    merged = geometry.mergeLines()
    if merged.isEmpty():
        merged = geometry
    merged.convertToMultiType()
    return bytes(merged.asWkb())


def features(spec: ExactSpec, records: Iterable, fields: QgsFields) -> list[QgsFeature]:
    """Features of records (for Processing's sinks; the exact layers get no QgsFeature)."""
    made = []
    for record in records:
        feature = QgsFeature(fields)
        feature.setAttributes(spec.attributes(record))
        feature.setGeometry(spec.geometry_of(record))
        made.append(feature)
    return made
