"""The identify map tool turns a left click into (lon, lat, tolerance) without Qt5-only event calls."""

import pytest
from qgis.core import QgsCoordinateReferenceSystem, QgsRectangle
from qgis.gui import QgsMapMouseEvent
from qgis.PyQt.QtCore import QEvent, QPoint, Qt

from mapillary_qgis.gui.identify_tool import IdentifyTool
from mapillary_qgis.qgis_glue.images import to_lonlat


def release(canvas, pixel, button):
    return QgsMapMouseEvent(canvas, QEvent.Type.MouseButtonRelease, pixel, button, button,
                            Qt.KeyboardModifier.NoModifier)


@pytest.fixture
def canvas(qgis_canvas):
    crs = QgsCoordinateReferenceSystem("EPSG:3857")
    qgis_canvas.setDestinationCrs(crs)
    qgis_canvas.setExtent(QgsRectangle(-1020000, 4680000, -1010000, 4690000))  # Lisbon
    return qgis_canvas


def test_left_click_gives_the_clicked_place(canvas):
    tool = IdentifyTool(canvas)
    clicks = []
    tool.clicked.connect(lambda *args: clicks.append(args))
    pixel = QPoint(canvas.width() // 3, canvas.height() // 4)
    tool.canvasReleaseEvent(release(canvas, pixel, Qt.MouseButton.LeftButton))
    point = tool.toMapCoordinates(pixel)  # what the Qt5-only `event.pos()` used to give
    [(lon, lat, tolerance)] = clicks
    assert (lon, lat) == pytest.approx(to_lonlat(point, canvas.mapSettings().destinationCrs()), abs=1e-9)
    assert tolerance >= 1.0


def test_other_buttons_identify_nothing(canvas):
    tool = IdentifyTool(canvas)
    clicks = []
    tool.clicked.connect(lambda *args: clicks.append(args))
    tool.canvasReleaseEvent(release(canvas, QPoint(10, 10), Qt.MouseButton.RightButton))
    assert clicks == []
