"""Exact UTC date-times in file outputs.

QGIS 3.22 writes date-times through OGR to the whole second and without a
time zone, so a GeoPackage would lose the milliseconds of `captured_at` and
the fact that it is UTC. Once the sink is closed, the date-time fields of a
file output are set again from the features written (matched by `id`),
with milliseconds and the UTC flag. Other outputs (memory layers,
databases) are left as written.
"""

from __future__ import annotations

import os
from typing import Sequence

from osgeo import gdal, ogr
from qgis.core import QgsFeature, QgsFields, QgsProviderRegistry

from ..qgis_glue.compat import DATETIME

KEY = "id"
UTC_FLAG = 100  # OGR's time zone flag for UTC


def restore(destination: str, fields: QgsFields, written: Sequence[QgsFeature]) -> None:
    """Set the date-time fields of a closed file output to the UTC values of `written`."""
    names = [field.name() for field in fields if field.type() == DATETIME]
    parts = QgsProviderRegistry.instance().decodeUri("ogr", destination)
    path = parts.get("path") or ""
    if not names or not written or not os.path.isfile(path):
        return
    try:
        _restore(path, parts.get("layerName"), names, written)
    except RuntimeError:  # GDAL with exceptions on: a format that cannot be updated keeps what QGIS wrote
        return


def _restore(path: str, layer_name, names: list, written: Sequence[QgsFeature]) -> None:
    dataset = gdal.OpenEx(path, gdal.OF_VECTOR | gdal.OF_UPDATE)
    layer = None if dataset is None else (dataset.GetLayerByName(layer_name) if layer_name else dataset.GetLayer(0))
    if layer is None or not layer.TestCapability(ogr.OLCRandomWrite):
        return  # read-only once written (FlatGeobuf): what QGIS wrote stays
    definition = layer.GetLayerDefn()
    indexes = [definition.GetFieldIndex(name) for name in names]
    if definition.GetFieldIndex(KEY) < 0 or any(
            i < 0 or definition.GetFieldDefn(i).GetType() != ogr.OFTDateTime for i in indexes):
        return  # a format that renamed or retyped the fields (a shapefile): nothing exact to restore
    times = {feature[KEY]: [feature[name] for name in names] for feature in written}
    transaction = dataset.TestCapability(ogr.ODsCTransactions)
    if transaction:
        dataset.StartTransaction()
    for feature in layer:
        values = times.get(feature.GetField(KEY))
        if values is None:
            continue
        for index, value in zip(indexes, values):
            if value:  # NULL stays NULL
                moment = value.toUTC()
                day, time = moment.date(), moment.time()
                feature.SetField(index, day.year(), day.month(), day.day(), time.hour(), time.minute(),
                                 time.second() + time.msec() / 1000, UTC_FLAG)
        layer.SetFeature(feature)
    if transaction:
        dataset.CommitTransaction()
