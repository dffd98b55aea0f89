"""The map markers: the view cone of the image on show, and the images of a place."""

from __future__ import annotations

import math
from typing import Callable

from qgis.core import QgsCoordinateTransform, QgsCsException, QgsGeometry, QgsPointXY, QgsProject, QgsWkbTypes
from qgis.gui import QgsRubberBand
from qgis.PyQt.QtGui import QColor

from ..qgis_glue.images import WGS84
from ..qgis_glue.signals import disconnect

SIZE_PX = 34
CONE_PX = 56  # the view cone's length on screen
MARKER = "#ff6d00"  # orange: stands out from the Mapillary-green layers
STEP_M = 1.0  # the ground step whose picture on the map gives a compass direction's direction there
METRES_PER_DEGREE = 111_320.0


def _same(bearing: float) -> float:
    return bearing


def map_directions(to_map: QgsCoordinateTransform, lon: float, lat: float) -> Callable[[float], float]:
    """Compass bearing at (lon, lat) -> its direction on the map (degrees clockwise from the map's up).

    On a conformal map near the equator the two agree; elsewhere (EPSG:4326 far from the equator, polar
    and conic projections, the edges of a UTM zone) they differ by up to tens of degrees. Found from the
    picture of a short step on the ground; a step that cannot be transformed leaves the bearing as it is.
    """
    try:
        centre = to_map.transform(QgsPointXY(lon, lat))
    except QgsCsException:
        return _same
    shrink = max(math.cos(math.radians(lat)), 1e-9)
    step = STEP_M / METRES_PER_DEGREE

    def direction(bearing: float) -> float:
        b = math.radians(bearing)
        try:
            there = to_map.transform(QgsPointXY(lon + step * math.sin(b) / shrink, lat + step * math.cos(b)))
        except QgsCsException:
            return bearing
        dx, dy = there.x() - centre.x(), there.y() - centre.y()
        return math.degrees(math.atan2(dx, dy)) if math.isfinite(dx) and math.isfinite(dy) and (dx or dy) \
            else bearing
    return direction


def wedge(centre: QgsPointXY, size: float, compass_angle: float | None,
          on_map: Callable[[float], float] = _same) -> list:
    """The ring of a wedge pointing along `compass_angle` (a diamond when unknown), `size` map units long;
    `on_map` turns compass bearings into directions on the map (`map_directions`)."""
    if compass_angle is None:
        angles, radii = [0, 90, 180, 270], [size / 2] * 4
    else:
        angles = [on_map(compass_angle + turn) for turn in (0, 140, 180, -140)]
        radii = [size, size * 0.6, size * 0.2, size * 0.6]
    ring = [QgsPointXY(centre.x() + r * math.sin(math.radians(a)), centre.y() + r * math.cos(math.radians(a)))
            for a, r in zip(angles, radii)]
    return ring + ring[:1]


def cone(centre: QgsPointXY, size: float, direction: float, fov: float,
         on_map: Callable[[float], float] = _same) -> list:
    """The ring of a view cone: from the camera at `centre`, `fov` degrees wide around compass `direction`,
    `size` map units long (the arc in steps of at most 5°); `on_map` as for `wedge`."""
    fov = min(max(fov, 1.0), 179.0)
    steps = max(2, math.ceil(fov / 5.0))
    arc = [math.radians(on_map(direction - fov / 2.0 + fov * i / steps)) for i in range(steps + 1)]
    ring = [centre] + [QgsPointXY(centre.x() + size * math.sin(a), centre.y() + size * math.cos(a)) for a in arc]
    return ring + [centre]


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
        try:
            place = to_map.transform(QgsPointXY(lon, lat))
        except QgsCsException:  # outside what the map's CRS can show
            self.band.reset(QgsWkbTypes.GeometryType.PolygonGeometry)
            return
        polygons = [[[QgsPointXY(place.x() + size / 3 * math.sin(math.radians(a)),
                                 place.y() + size / 3 * math.cos(math.radians(a))) for a in range(0, 361, 30)]]]
        for item in found:
            try:
                centre = to_map.transform(QgsPointXY(item["lon"], item["lat"]))
            except QgsCsException:
                continue
            polygons.append([wedge(centre, size, None if item["is_pano"] else item.get("compass_angle"),
                                   map_directions(to_map, item["lon"], item["lat"]))])
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
    """Where the open image stands, where the user now looks and how wide: a cone (a diamond when the
    direction is unknown), redrawn at each scale, its size in pixels."""

    def __init__(self, canvas):
        self._canvas = canvas
        self.shown: tuple | None = None  # (lon, lat, direction or None, fov)
        canvas.scaleChanged.connect(self._redraw)
        canvas.destinationCrsChanged.connect(self._redraw)
        self.band = QgsRubberBand(canvas, QgsWkbTypes.GeometryType.PolygonGeometry)
        self.band.setColor(QColor(MARKER))
        fill = QColor(MARKER)
        fill.setAlpha(170)
        self.band.setFillColor(fill)
        self.band.setStrokeColor(QColor("#ffffff"))
        self.band.setWidth(2)

    def _redraw(self, *args) -> None:
        if self.shown is not None:
            self.show(*self.shown)

    def show(self, lon: float, lat: float, direction: float | None, fov: float = 60.0) -> None:
        self.shown = (lon, lat, direction, fov)
        to_map = QgsCoordinateTransform(WGS84, self._canvas.mapSettings().destinationCrs(), QgsProject.instance())
        try:
            centre = to_map.transform(QgsPointXY(lon, lat))
        except QgsCsException:  # outside what the map's CRS can show
            self.band.reset(QgsWkbTypes.GeometryType.PolygonGeometry)
            return
        per_pixel = self._canvas.mapUnitsPerPixel()
        ring = (wedge(centre, per_pixel * SIZE_PX, None) if direction is None
                else cone(centre, per_pixel * CONE_PX, direction, fov, map_directions(to_map, lon, lat)))
        self.band.setToGeometry(QgsGeometry.fromPolygonXY([ring]), None)
        self.band.show()

    def look(self, direction: float | None, fov: float) -> None:
        """Turn the cone (while the user drags the panorama), where it stands."""
        if self.shown is not None and self.shown[2:] != (direction, fov):
            self.show(self.shown[0], self.shown[1], direction, fov)

    def hide(self) -> None:
        self.shown = None
        self.band.reset(QgsWkbTypes.GeometryType.PolygonGeometry)

    def remove(self) -> None:
        self.hide()
        disconnect((self._canvas.scaleChanged, self._redraw), (self._canvas.destinationCrsChanged, self._redraw))
        self._canvas.scene().removeItem(self.band)
