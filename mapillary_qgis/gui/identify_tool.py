"""The "Mapillary identify" map tool (a click asks for the nearest image within a few pixels), and a watch
on any click on the map."""

from __future__ import annotations

from qgis.core import QgsCsException, QgsPointXY
from qgis.gui import QgsMapTool
from qgis.PyQt.QtCore import QEvent, QObject, Qt, pyqtSignal

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


class ClickWatch(QObject):
    """Calls `on_click()` when a mouse button goes down on `widget` (the map canvas's viewport), whatever
    map tool is active; the click itself goes on to the tool."""

    def __init__(self, widget, on_click):
        super().__init__(widget)
        self._widget, self._on_click = widget, on_click
        widget.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.MouseButtonPress:
            self._on_click()
        return False

    def remove(self) -> None:
        """Stop watching and let go of the callback (it holds the image controller and its service)."""
        self._widget.removeEventFilter(self)
        self._on_click = _nothing
        self.deleteLater()


def _nothing() -> None:
    pass
