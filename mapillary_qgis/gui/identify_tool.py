"""The "Mapillary identify" map tool: a click asks for the nearest image within a few pixels."""

from __future__ import annotations

from qgis.core import QgsCsException, QgsPointXY
from qgis.gui import QgsMapTool
from qgis.PyQt.QtCore import Qt, pyqtSignal

from ..core.identify import distance_m
from ..qgis_glue.images import to_lonlat

TOLERANCE_PX = 8


class IdentifyTool(QgsMapTool):
    """Emits `clicked(lon, lat, tolerance_m)`; stays active until the user picks another tool."""

    clicked = pyqtSignal(float, float, float)

    def __init__(self, canvas):
        super().__init__(canvas)
        self.setCursor(Qt.CursorShape.CrossCursor)

    def canvasReleaseEvent(self, event) -> None:  # noqa: N802 (QGIS API)
        if event.button() != Qt.MouseButton.LeftButton:
            return
        canvas = self.canvas()
        crs = canvas.mapSettings().destinationCrs()
        point = event.originalMapPoint()  # where the click was, unsnapped; Qt5 and Qt6 alike
        try:
            lon, lat = to_lonlat(point, crs)
            lon, lat, tolerance = lon, lat, tolerance_m(canvas, point, crs)
        except QgsCsException:  # a click outside where the map's projection is defined: nothing there
            return
        self.clicked.emit(lon, lat, tolerance)


def tolerance_m(canvas, point: QgsPointXY, crs) -> float:
    """The identify tolerance around a map point, in metres: a few pixels at the current scale."""
    lon, lat = to_lonlat(point, crs)
    edge = QgsPointXY(point.x() + canvas.mapUnitsPerPixel() * TOLERANCE_PX, point.y())
    return max(1.0, distance_m(lon, lat, *to_lonlat(edge, crs)))
