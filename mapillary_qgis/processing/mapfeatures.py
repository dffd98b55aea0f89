"""`mapillary:mapfeatures`: map features or traffic signs in an area, by class, as points."""

from __future__ import annotations

from qgis.core import QgsProcessing, QgsProcessingParameterEnum, QgsProcessingParameterString
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ..core.filters import Filters, feature_matcher
from ..qgis_glue.exact_layers import EXACT
from .common import MapillaryAlgorithm, comma_list, tr

KIND, CLASSES = "KIND", "CLASSES"
KINDS = ("map_features", "traffic_signs")  # keys of EXACT, in the order of the KIND options


class MapFeaturesAlgorithm(MapillaryAlgorithm):
    NAME = "mapfeatures"
    DISPLAY_NAME = QT_TRANSLATE_NOOP("MapillaryProcessing", "Map features and traffic signs")
    HELP = QT_TRANSLATE_NOOP(
        "MapillaryProcessing",
        "Mapillary map features (objects) or traffic signs in an extent or inside polygons, as points in "
        "EPSG:4326 with exact ids and first/last seen times in UTC. Classes: comma-separated values "
        "(object--bench) or groups by prefix (regulatory--).")

    EXAMPLE = (
        'qgis_process run mapillary:mapfeatures -- EXTENT="-9.16,-9.10,38.69,38.73 [EPSG:4326]" KIND=1 '
        'CLASSES=regulatory-- OUTPUT=signs.gpkg')
    PARAMETER_HELP = {
        "KIND": QT_TRANSLATE_NOOP("MapillaryProcessing", '0 map features (objects), 1 traffic signs.'),
        "CLASSES": QT_TRANSLATE_NOOP("MapillaryProcessing",
                                     'Values such as object--bench, or a group by its prefix: '
                                     'regulatory--.'),
    }

    def initAlgorithm(self, config=None):  # noqa: N802 (QGIS API)
        self.add_area_parameters()
        self.addParameter(QgsProcessingParameterEnum(
            KIND, tr("Kind"), [tr("Map features"), tr("Traffic signs")], defaultValue=0))
        self.addParameter(QgsProcessingParameterString(
            CLASSES, tr("Classes (comma separated; a prefix such as regulatory-- names a group)"), optional=True))
        self.add_output(tr("Mapillary map features"), QgsProcessing.SourceType.TypeVectorPoint)

    def process(self, parameters, context, feedback):
        spec = EXACT[KINDS[self.parameterAsEnum(parameters, KIND, context)]]
        area = self.area(parameters, context)
        classes = comma_list(self.parameterAsString(parameters, CLASSES, context))
        keep = feature_matcher(Filters(feature_classes=tuple(classes)))
        return self.load_and_write(parameters, context, feedback, spec, spec.tileset, area, keep)
