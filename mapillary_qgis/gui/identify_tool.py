"""The "Mapillary identify" map tool: a click asks for the nearest image within a few pixels."""

from __future__ import annotations

from qgis.core import QgsPointXY
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
        point = self.toMapCoordinates(event.pos())
        lon, lat = to_lonlat(point, crs)
        step = canvas.mapUnitsPerPixel() * TOLERANCE_PX
        edge_lon, edge_lat = to_lonlat(QgsPointXY(point.x() + step, point.y()), crs)
        self.clicked.emit(lon, lat, max(1.0, distance_m(lon, lat, edge_lon, edge_lat)))
