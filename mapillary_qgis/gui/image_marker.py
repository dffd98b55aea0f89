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


def wedge(centre: QgsPointXY, size: float, compass_angle: float | None) -> list:
    """The ring of a wedge pointing along `compass_angle` (a diamond when unknown), `size` map units long."""
    if compass_angle is None:
        angles, radii = [0, 90, 180, 270], [size / 2] * 4
    else:
        heading = math.radians(compass_angle)
        angles = [math.degrees(heading), math.degrees(heading) + 140, math.degrees(heading) + 180,
                  math.degrees(heading) - 140]
        radii = [size, size * 0.6, size * 0.2, size * 0.6]
    ring = [QgsPointXY(centre.x() + r * math.sin(math.radians(a)), centre.y() + r * math.cos(math.radians(a)))
            for a, r in zip(angles, radii)]
    return ring + ring[:1]


class PlaceMarker:
    """Where each image of a place stands and where it looks (blue wedges), and the place (a ring)."""

    COLOUR = "#1f78ff"

    def __init__(self, canvas):
        self._canvas = canvas
        self._shown: tuple | None = None
        canvas.scaleChanged.connect(self._redraw)
        canvas.destinationCrsChanged.connect(self._redraw)
        self.band = QgsRubberBand(canvas, QgsWkbTypes.GeometryType.PolygonGeometry)
        self.band.setColor(QColor(self.COLOUR))
        fill = QColor(self.COLOUR)
        fill.setAlpha(150)
        self.band.setFillColor(fill)
        self.band.setStrokeColor(QColor("#ffffff"))
        self.band.setWidth(1)

    def _redraw(self, *args) -> None:
        if self._shown is not None:
            self.show(*self._shown)

    def show(self, lon: float, lat: float, found: list) -> None:
        self._shown = (lon, lat, found)
        to_map = QgsCoordinateTransform(WGS84, self._canvas.mapSettings().destinationCrs(), QgsProject.instance())
        size = self._canvas.mapUnitsPerPixel() * SIZE_PX * 0.6
        place = to_map.transform(QgsPointXY(lon, lat))
        polygons = [[[QgsPointXY(place.x() + size / 3 * math.sin(math.radians(a)),
                                 place.y() + size / 3 * math.cos(math.radians(a))) for a in range(0, 361, 30)]]]
        for item in found:
            centre = to_map.transform(QgsPointXY(item["lon"], item["lat"]))
            polygons.append([wedge(centre, size, None if item["is_pano"] else item.get("compass_angle"))])
        self.band.setToGeometry(QgsGeometry.fromMultiPolygonXY(polygons), None)
        self.band.show()

    def hide(self) -> None:
        self._shown = None
        self.band.reset(QgsWkbTypes.GeometryType.PolygonGeometry)

    def remove(self) -> None:
        self.hide()
        disconnect((self._canvas.scaleChanged, self._redraw), (self._canvas.destinationCrsChanged, self._redraw))
        self._canvas.scene().removeItem(self.band)


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
        self._band.setToGeometry(QgsGeometry.fromPolygonXY([wedge(centre, size, compass_angle)]), None)
        self._band.show()

    def hide(self) -> None:
        self._shown = None
        self._band.reset(QgsWkbTypes.GeometryType.PolygonGeometry)

    def remove(self) -> None:
        self.hide()
        disconnect((self._canvas.scaleChanged, self._redraw), (self._canvas.destinationCrsChanged, self._redraw))
        self._canvas.scene().removeItem(self._band)
