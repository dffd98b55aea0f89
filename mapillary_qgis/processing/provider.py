"""The Mapillary Processing provider (`mapillary:`)."""

from __future__ import annotations

from qgis.core import QgsProcessingProvider
from qgis.PyQt.QtGui import QIcon

from .common import ICON_PATH
from .downloadimages import DownloadImagesAlgorithm
from .imagedetails import ImageDetailsAlgorithm
from .images import ImagesAlgorithm
from .imagesoffeatures import ImagesOfFeaturesAlgorithm
from .linecoverage import LineCoverageAlgorithm
from .mapfeatures import MapFeaturesAlgorithm
from .sequences import SequencesAlgorithm

ALGORITHMS = (ImagesAlgorithm, SequencesAlgorithm, MapFeaturesAlgorithm, ImageDetailsAlgorithm,
              DownloadImagesAlgorithm, ImagesOfFeaturesAlgorithm, LineCoverageAlgorithm)


class MapillaryProvider(QgsProcessingProvider):
    """`mapillary:images`, `mapillary:sequences`, `mapillary:mapfeatures`, `mapillary:imagedetails`,
    `mapillary:downloadimages`, `mapillary:imagesoffeatures`, `mapillary:linecoverage`."""

    def id(self) -> str:
        return "mapillary"

    def name(self) -> str:
        return "Mapillary"

    def icon(self) -> QIcon:
        return QIcon(self.svgIconPath())

    def svgIconPath(self) -> str:  # noqa: N802 (QGIS API)
        return ICON_PATH

    def loadAlgorithms(self) -> None:  # noqa: N802 (QGIS API)
        for algorithm in ALGORITHMS:
            self.addAlgorithm(algorithm())
