"""The map marker of the image on show: its position and viewing direction."""

from __future__ import annotations

import math

from qgis.core import QgsCoordinateTransform, QgsGeometry, QgsPointXY, QgsProject, QgsWkbTypes
from qgis.gui import QgsRubberBand
from qgis.PyQt.QtGui import QColor

from ..qgis_glue.images import WGS84
from ..qgis_glue.signals import disconnect

SIZE_PX = 34
MARKER = "#ff6d00"  # orange: stands out from the Mapillary-green layers


class ImageMarker:
    def __init__(self, canvas):
        self._canvas = canvas
        self._shown: tuple | None = None  # (lon, lat, angle): redrawn at each scale, sized in pixels
        canvas.scaleChanged.connect(self._redraw)
        canvas.destinationCrsChanged.connect(self._redraw)
        self._band = QgsRubberBand(canvas, QgsWkbTypes.GeometryType.PolygonGeometry)
        self._band.setColor(QColor(MARKER))
        fill = QColor(MARKER)
        fill.setAlpha(200)
        self._band.setFillColor(fill)
        self._band.setStrokeColor(QColor("#ffffff"))
        self._band.setWidth(2)

    def _redraw(self, *args) -> None:
        if self._shown is not None:
            self.show(*self._shown)

    def show(self, lon: float, lat: float, compass_angle: float | None) -> None:
        """A wedge pointing where the camera looked (a diamond when unknown)."""
        self._shown = (lon, lat, compass_angle)
        crs = self._canvas.mapSettings().destinationCrs()
        centre = QgsCoordinateTransform(WGS84, crs, QgsProject.instance()).transform(QgsPointXY(lon, lat))
        size = self._canvas.mapUnitsPerPixel() * SIZE_PX
        if compass_angle is None:
            angles, radii = [0, 90, 180, 270], [size / 2] * 4
        else:
            heading = math.radians(compass_angle)
            angles = [math.degrees(heading), math.degrees(heading) + 140, math.degrees(heading) + 180,
                      math.degrees(heading) - 140]
            radii = [size, size * 0.6, size * 0.2, size * 0.6]
        ring = [QgsPointXY(centre.x() + r * math.sin(math.radians(a)), centre.y() + r * math.cos(math.radians(a)))
                for a, r in zip(angles, radii)]
        self._band.setToGeometry(QgsGeometry.fromPolygonXY([ring + ring[:1]]), None)
        self._band.show()

    def hide(self) -> None:
        self._shown = None
        self._band.reset(QgsWkbTypes.GeometryType.PolygonGeometry)

    def remove(self) -> None:
        self.hide()
        disconnect((self._canvas.scaleChanged, self._redraw), (self._canvas.destinationCrsChanged, self._redraw))
        self._canvas.scene().removeItem(self._band)
