"""GeoPackage outputs written directly: exact values, one transaction (see `core/gpkg.py`).

QGIS's file writer still creates the file and the table (fields, CRS, spatial
index, every option of the destination); only the rows are inserted here,
which is about twenty times faster than feature by feature and keeps the
milliseconds and the UTC zone of date-times that QGIS 3.22 would drop.
"""

from __future__ import annotations

import os
from operator import attrgetter
from typing import Iterable, Optional

from qgis.core import QgsProcessingOutputLayerDefinition, QgsProviderRegistry

from ..core import gpkg
from ..qgis_glue.compat import DATETIME
from ..qgis_glue.exact_layers import ExactSpec


def geopackage(destination: str, output) -> Optional[dict]:
    """The parts (`path`, `layerName`) of a new sink's destination in a GeoPackage file we may write directly.

    `output` is the OUTPUT parameter's value: appending to an existing layer
    with a field mapping and maybe another CRS is left to QGIS's sink.
    """
    if isinstance(output, QgsProcessingOutputLayerDefinition) and output.useRemapping():
        return None
    parts = QgsProviderRegistry.instance().decodeUri("ogr", destination)
    path = parts.get("path") or ""
    return parts if path.lower().endswith(".gpkg") and os.path.isfile(path) else None


def point_writer(parts: dict, spec: ExactSpec) -> gpkg.PointAppender:
    """A `with` block that inserts point records of `spec` (`add(records)`) into the closed GeoPackage `parts`.

    Raises `gpkg.GeoPackageError`; on any error nothing is written.
    """
    path, table = parts.get("path") or "", parts.get("layerName")
    if not table:
        tables = gpkg.feature_tables(path)
        if len(tables) != 1:
            raise gpkg.GeoPackageError(f"{path}: expected one feature table, found {len(tables)}")
        table = tables[0]
    names = [name for name, _kind in spec.fields]  # the records' own attribute names
    return _RecordAppender(path, table, names, [i for i, (_name, kind) in enumerate(spec.fields) if kind == DATETIME])


class _RecordAppender(gpkg.PointAppender):
    """Records in, GeoPackage rows out: `(lon, lat, *the fields)`, date-times as exact UTC text."""

    def __init__(self, path: str, table: str, names: list, times: list):
        super().__init__(path, table, names, srs_id=4326)
        self._getters = [attrgetter(name) for name in ("lon", "lat", *names)]
        self._times = [i + 2 for i in times]  # the columns of the date-time fields

    def add(self, records: Iterable) -> None:
        """Column by column: a dense tile's 10,000 records in a few milliseconds."""
        records = list(records)
        columns = [list(map(get, records)) for get in self._getters]
        for i in self._times:
            columns[i] = gpkg.iso_utc_column(columns[i])
        self.add_columns(*columns)
