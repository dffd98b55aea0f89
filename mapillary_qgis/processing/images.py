"""`mapillary:images`: the images in an area, filtered, as points with exact ids and UTC times."""

from __future__ import annotations

from qgis.core import QgsProcessing, QgsProcessingParameterBoolean
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ..core.filters import image_matcher
from ..core.tilesets import MLY1_COMPUTED_PUBLIC
from ..qgis_glue.exact_layers import EXACT
from .common import MapillaryAlgorithm, tr

COMPUTED = "COMPUTED"


class ImagesAlgorithm(MapillaryAlgorithm):
    NAME = "images"
    DISPLAY_NAME = QT_TRANSLATE_NOOP("MapillaryProcessing", "Images")
    HELP = QT_TRANSLATE_NOOP(
        "MapillaryProcessing",
        "Mapillary images in an extent or inside polygons, as points in EPSG:4326: exact 64-bit ids, "
        "capture times in UTC. Dates are calendar days in local time, both inclusive (2015-07-11).")

    EXAMPLE = (
        'qgis_process run mapillary:images -- EXTENT="-9.16,-9.10,38.69,38.73 [EPSG:4326]" '
        'START_DATE=2015-07-11 PANORAMAS=2 OUTPUT=images.gpkg')
    PARAMETER_HELP = {
        "COMPUTED": QT_TRANSLATE_NOOP("MapillaryProcessing",
                                      "Positions and compass angles from Mapillary's structure "
                                      "from motion instead of the camera's GPS."),
    }

    def initAlgorithm(self, config=None):  # noqa: N802 (QGIS API)
        self.add_area_parameters()
        self.add_image_filter_parameters()
        self.addParameter(QgsProcessingParameterBoolean(
            COMPUTED, tr("Computed positions and angles (structure from motion)"), defaultValue=False))
        self.add_output(tr("Mapillary images"), QgsProcessing.SourceType.TypeVectorPoint)

    def process(self, parameters, context, feedback):
        spec = EXACT["images"]
        area = self.area(parameters, context)
        keep = image_matcher(self.image_filters(parameters, context, feedback))
        tileset = MLY1_COMPUTED_PUBLIC.name if self.parameterAsBool(parameters, COMPUTED, context) else spec.tileset
        return self.load_and_write(parameters, context, feedback, spec, tileset, area, keep)
