"""mapillary:linecoverage: how much of each line (a street) has Mapillary images near it, and how recent."""

from __future__ import annotations

from qgis.core import (
    QgsCoordinateTransform,
    QgsFeature,
    QgsFeatureSink,
    QgsField,
    QgsFields,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterNumber,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ..core.filters import image_matcher
from ..core.identify import tiles_around
from ..core.seeing import columns, line_coverage
from ..qgis_glue.compat import DATETIME, DOUBLE, INT
from ..qgis_glue.exact_layers import utc
from .common import OUTPUT, WGS84, MapillaryAlgorithm, tr

INPUT, MAX_DISTANCE = "INPUT", "MAX_DISTANCE"
COVERAGE_FIELDS = (("covered_share", DOUBLE), ("image_count", INT), ("oldest_capture", DATETIME),
                   ("newest_capture", DATETIME))
TILE_STEP_M = 500.0  # the tiles along a line: those around points this far apart (z14 tiles are ~2 km)


class LineCoverageAlgorithm(MapillaryAlgorithm):
    NAME = "linecoverage"
    DISPLAY_NAME = QT_TRANSLATE_NOOP("MapillaryProcessing", "Line coverage")
    HELP = QT_TRANSLATE_NOOP(
        "MapillaryProcessing",
        "For each line (roads, paths, a survey route), the share of its length within the distance of a "
        "Mapillary image, how many images are that near, and their oldest and newest capture times (UTC): "
        "which streets have no imagery, or none newer than a date (filter the images by date to ask that). "
        "Measured in metres whatever the layer's CRS, in pieces of at most a metre.")
    EXAMPLE = ("qgis_process run mapillary:linecoverage -- INPUT=roads.gpkg MAX_DISTANCE=20 "
               "START_DATE=2023-01-01 OUTPUT=roads_coverage.gpkg")
    PARAMETER_HELP = {
        INPUT: QT_TRANSLATE_NOOP("MapillaryProcessing", "A line layer, in any CRS."),
        MAX_DISTANCE: QT_TRANSLATE_NOOP("MapillaryProcessing",
                                        "Metres from the line within which an image covers it."),
    }

    def initAlgorithm(self, config=None):  # noqa: N802 (QGIS API)
        self.addParameter(QgsProcessingParameterFeatureSource(
            INPUT, tr("Lines"), [QgsProcessing.SourceType.TypeVectorLine]))
        self.addParameter(QgsProcessingParameterNumber(
            MAX_DISTANCE, tr("Distance (metres)"), QgsProcessingParameterNumber.Type.Double, 20.0,
            minValue=1.0, maxValue=250.0))
        self.add_image_filter_parameters()
        self.add_output(tr("Lines with their coverage"), QgsProcessing.SourceType.TypeVectorLine)

    def process(self, parameters, context, feedback):
        source = self.parameterAsSource(parameters, INPUT, context)
        if source is None:
            raise QgsProcessingException(self.invalidSourceError(parameters, INPUT))
        max_distance = self.parameterAsDouble(parameters, MAX_DISTANCE, context)
        keep = image_matcher(self.image_filters(parameters, context, feedback))
        fields = QgsFields(source.fields())
        for name, kind in COVERAGE_FIELDS:
            if fields.indexOf(name) >= 0:
                raise QgsProcessingException(tr("The input has a field {!r} already; rename it first.").format(name))
            fields.append(QgsField(name, kind))

        to_wgs84 = QgsCoordinateTransform(source.sourceCrs(), WGS84, context.transformContext())
        lines, tiles = [], set()
        for feature in source.getFeatures():
            if feedback.isCanceled():
                break
            parts = _parts(feature, to_wgs84)
            lines.append((feature, parts))
            for part in parts:
                for lon, lat in _along(part, TILE_STEP_M):
                    tiles.update(tiles_around(lon, lat, max_distance + TILE_STEP_M / 2))
        records = []
        if tiles:
            result = self.load_tiles("mly1_public", "image", sorted(tiles), feedback)
            records = [r for r in result.records.get("image", []) if keep(r)]
        images = columns(records)

        sink, dest = self.parameterAsSink(parameters, OUTPUT, context, fields, source.wkbType(), source.sourceCrs())
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, OUTPUT))
        uncovered = 0
        for number, (feature, parts) in enumerate(lines):
            if feedback.isCanceled():
                break
            coverage = line_coverage(parts, images, max_distance)
            uncovered += coverage.image_count == 0
            out = QgsFeature(fields)
            out.setGeometry(feature.geometry())
            out.setAttributes(list(feature.attributes()) + [
                round(coverage.covered_share, 4), coverage.image_count, utc(coverage.oldest), utc(coverage.newest)])
            sink.addFeature(out, QgsFeatureSink.Flag.FastInsert)
            feedback.setProgress(90 + 10 * (number + 1) / max(1, len(lines)))
        feedback.pushInfo(tr("{} lines, {} without any image within {} m.").format(
            len(lines), uncovered, f"{max_distance:g}"))
        return {OUTPUT: dest}


def _parts(feature, to_wgs84) -> list:
    """The line's parts as lists of (lon, lat); [] for an empty or untransformable geometry."""
    geometry = feature.geometry()
    if geometry is None or geometry.isEmpty():
        return []
    geometry = type(geometry)(geometry)
    try:
        geometry.transform(to_wgs84)
    except Exception:  # QgsCsException
        return []
    lines = geometry.asMultiPolyline() if geometry.isMultipart() else [geometry.asPolyline()]
    return [[(p.x(), p.y()) for p in line] for line in lines if len(line) >= 2]


def _along(part, step_m: float):
    """The vertices of a part, and points between them at most `step_m` apart (for the tiles to load)."""
    from ..core.seeing import offsets

    yield part[0]
    for (lon1, lat1), (lon2, lat2) in zip(part[:-1], part[1:]):
        east, north = offsets(lon1, lat1, lon2, lat2)
        pieces = max(1, int(float((east ** 2 + north ** 2) ** 0.5) // step_m))
        for k in range(1, pieces + 1):
            yield lon1 + (lon2 - lon1) * k / pieces, lat1 + (lat2 - lat1) * k / pieces
