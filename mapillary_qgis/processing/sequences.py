"""`mapillary:sequences`: the sequences crossing an area, filtered, one line feature each."""

from __future__ import annotations

from qgis.core import QgsProcessing
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ..core.filters import image_matcher
from ..qgis_glue.exact_layers import EXACT
from .common import MapillaryAlgorithm, tr


class SequencesAlgorithm(MapillaryAlgorithm):
    NAME = "sequences"
    DISPLAY_NAME = QT_TRANSLATE_NOOP("MapillaryProcessing", "Sequences")
    HELP = QT_TRANSLATE_NOOP(
        "MapillaryProcessing",
        "Mapillary sequences crossing an extent or polygons, one line per sequence (as far as the z14 tiles "
        "around the area reach), in EPSG:4326. The filters apply to each sequence's first image; dates are "
        "calendar days in local time, both inclusive (2015-07-11).")

    EXAMPLE = (
        'qgis_process run mapillary:sequences -- EXTENT="-9.16,-9.10,38.69,38.73 [EPSG:4326]" '
        'OUTPUT=sequences.gpkg')

    def initAlgorithm(self, config=None):  # noqa: N802 (QGIS API)
        self.add_area_parameters()
        self.add_image_filter_parameters()
        self.add_output(tr("Mapillary sequences"), QgsProcessing.SourceType.TypeVectorLine)

    def process(self, parameters, context, feedback):
        spec = EXACT["sequences"]
        area = self.area(parameters, context)
        keep = image_matcher(self.image_filters(parameters, context, feedback))
        return self.load_and_write(parameters, context, feedback, spec, spec.tileset, area, keep)
