"""Exact layers: memory layers filled from tiles the plugin decodes itself.

Ids are 64-bit integers and dates real UTC date-times, on every QGIS version:
the records come from GDAL's MVT driver (see `core/mvt_decode.py`), never
from a `QgsVectorTileLayer`. These are the layers a user filters, opens in
the attribute table, selects and exports.
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
from . import compat, styles
from .compat import BOOL, DATETIME, DOUBLE, LONG, TEXT
from .coverage import ATTRIBUTION, LAYER_KEY_PROPERTY


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


def exact_layer(key: str) -> QgsVectorLayer:
    """An empty exact layer, styled, in EPSG:4326."""
    spec = EXACT[key]
    layer = QgsVectorLayer(f"{spec.geometry}?crs=EPSG:4326", spec.name, "memory")
    layer.dataProvider().addAttributes(fields_of(spec).toList())
    layer.updateFields()
    layer.setRenderer(spec.style())
    compat.set_attribution(layer, ATTRIBUTION)
    layer.setCustomProperty(LAYER_KEY_PROPERTY, key)
    # Its content is re-made from tiles (and the tile cache): QGIS need not warn that it is lost on exit.
    layer.setCustomProperty("skipMemoryLayersCheck", 1)
    layer.setReadOnly(True)  # the plugin adds features as the map moves; an edit buffer would fight it
    return layer


def features(spec: ExactSpec, records: Iterable, fields: QgsFields) -> list[QgsFeature]:
    made = []
    for record in records:
        feature = QgsFeature(fields)
        feature.setAttributes(spec.attributes(record))
        feature.setGeometry(spec.geometry_of(record))
        made.append(feature)
    return made


def add_features(layer: QgsVectorLayer, records: Iterable) -> int:
    """Add these records to the layer. Returns the feature count."""
    spec = EXACT[layer.customProperty(LAYER_KEY_PROPERTY)]
    made = features(spec, records, layer.fields())
    if made:
        layer.dataProvider().addFeatures(made)
        layer.updateExtents()
        layer.triggerRepaint()
    return layer.featureCount()


def replace_features(layer: QgsVectorLayer, records: Iterable) -> int:
    """Make the layer hold exactly these records. Returns the feature count."""
    layer.dataProvider().truncate()
    return add_features(layer, records)
