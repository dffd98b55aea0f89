"""The "images of this place" tool and "same place, other dates" in the Image tab, against the fake."""

import math

import pytest
from qgis.core import QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsPointXY, QgsProject, QgsRectangle
from qgis.gui import QgsMapMouseEvent
from qgis.PyQt.QtCore import QEvent, QPoint, Qt

import mapillary_qgis
from mapillary_qgis.core.graph import position
from mapillary_qgis.core.seeing import older_newer
from mapillary_qgis.plugin import PLACE_ACTION_NAME

M_PER_DEG = 6_371_008.8 * math.pi / 180
WGS84 = QgsCoordinateReferenceSystem("EPSG:4326")
MERCATOR = QgsCoordinateReferenceSystem("EPSG:3857")


@pytest.fixture
def plugin(iface, fake_env, monkeypatch):
    monkeypatch.setenv("MAPILLARY_ACCESS_TOKEN", fake_env.token)
    canvas = iface.mapCanvas()
    canvas.setDestinationCrs(MERCATOR)
    loaded = mapillary_qgis.classFactory(iface)
    loaded.initGui()
    yield loaded
    loaded.unload()
    QgsProject.instance().clear()


def ahead(image, metres):
    angle = math.radians(image.compass_angle)
    return QgsPointXY(image.lon + metres * math.sin(angle) / (M_PER_DEG * math.cos(math.radians(image.lat))),
                      image.lat + metres * math.cos(angle) / M_PER_DEG)


def click(plugin, canvas, point_wgs84):
    """A left click with the place tool, where `point_wgs84` is on the map."""
    to_map = QgsCoordinateTransform(WGS84, MERCATOR, QgsProject.instance())
    centre = to_map.transform(point_wgs84)
    canvas.setExtent(QgsRectangle(centre.x() - 200, centre.y() - 200, centre.x() + 200, centre.y() + 200))
    plugin.place_action.trigger()
    assert canvas.mapTool() is plugin.place_tool
    pixel = canvas.getCoordinateTransform().transform(centre)
    event = QgsMapMouseEvent(canvas, QEvent.Type.MouseButtonRelease, QPoint(round(pixel.x()), round(pixel.y())),
                             Qt.MouseButton.LeftButton, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    canvas.mapTool().canvasReleaseEvent(event)


def test_the_tool_is_in_the_toolbar_and_web_menu(plugin, iface):
    assert plugin.place_action.objectName() == PLACE_ACTION_NAME
    assert plugin.place_action in plugin.toolbar.actions()
    assert iface.web_menu_titles() == ["&Mapillary"]


def test_a_click_lists_the_images_that_see_the_place_by_date(qtbot, plugin, iface, fake_env):
    image = next(i for i in fake_env.dataset.images if not i.is_pano and i.compass_angle is not None)
    point = ahead(image, 8)
    click(plugin, iface.mapCanvas(), point)
    panel = plugin.image_panel
    qtbot.waitUntil(lambda: panel.place_box.isVisibleTo(panel) and panel.place_strip.count() > 0, timeout=15000)
    expected = plugin.images_of(point, WGS84)
    strip = panel.place_strip
    ids = [strip.item(row).data(Qt.ItemDataRole.UserRole) for row in range(strip.count())]
    assert sorted(ids) == sorted(str(item["id"]) for item in expected) and str(image.id) in ids
    days = [strip.item(row).text() for row in range(strip.count())]
    assert days == sorted(days, reverse=True)  # newest day first
    assert f"{len(expected)} images see this place" in panel.place_label.text()
    # the map shows where each stands and looks: the place's ring and one wedge each
    assert plugin.place_marker.band.asGeometry().constGet().numGeometries() == len(expected) + 1
    qtbot.waitUntil(lambda: all(not strip.item(r).icon().isNull() for r in range(strip.count())), timeout=15000)
    rects = [strip.visualItemRect(strip.item(r)) for r in range(strip.count())]
    assert len({(r.x(), r.y()) for r in rects}) == len(rects)

    strip.itemClicked.emit(strip.item(0))  # a click on one opens it, and the place stays listed
    qtbot.waitUntil(lambda: panel.details is not None and panel.details["id"] == ids[0], timeout=15000)
    assert panel.place_box.isVisibleTo(panel)


def test_nowhere_says_so(qtbot, plugin, iface):
    click(plugin, iface.mapCanvas(), QgsPointXY(-30.0, 1.0))
    panel = plugin.image_panel
    qtbot.waitUntil(lambda: panel.place_box.isVisibleTo(panel), timeout=15000)
    assert panel.place_strip.count() == 0 and "No Mapillary image sees this place" in panel.place_label.text()


@pytest.fixture
def revisited(iface, monkeypatch):
    """A fake whose first two streets were driven again, years later, and the plugin on it."""
    from tests.fake_mapillary import FakeMapillary
    from tests.fake_mapillary.dataset import DemoDataset

    fake = FakeMapillary(dataset=DemoDataset(revisits=2)).start()
    monkeypatch.setenv("MAPILLARY_GRAPH_URL", fake.graph_url)
    monkeypatch.setenv("MAPILLARY_TILES_URL", fake.tiles_url)
    monkeypatch.setenv("MAPILLARY_ACCESS_TOKEN", fake.token)
    import shutil

    from mapillary_qgis.processing.common import tile_cache_dir

    shutil.rmtree(tile_cache_dir(), ignore_errors=True)  # the other fake's tiles are not these
    loaded = mapillary_qgis.classFactory(iface)
    loaded.initGui()
    yield loaded, fake
    loaded.unload()
    QgsProject.instance().clear()
    fake.stop()
    shutil.rmtree(tile_cache_dir(), ignore_errors=True)


def test_same_place_other_dates_walks_older_and_newer(qtbot, revisited):
    plugin, fake = revisited
    service, panel = plugin.image_service, plugin.image_panel
    first = fake.dataset.sequences[0]
    middle = fake.dataset.image(first.image_ids[len(first.image_ids) // 2])
    details = service.details(middle.id)
    others = service.other_dates(details)
    assert others and all(o["sequence_id"] != first.id for o in others)
    plugin.open_image(details["id"])
    qtbot.waitUntil(lambda: panel.details is not None and panel.details["id"] == details["id"]
                    and "looking" not in panel.others_label.text(), timeout=15000)
    assert f"{len(others)} images" in panel.others_label.text()
    older, newer = older_newer(others, details["captured_at"])
    assert panel.older_button.isEnabled() == (older is not None)
    assert panel.newer_button.isEnabled() == (newer is not None)
    button, target = (panel.older_button, older) if older is not None else (panel.newer_button, newer)
    button.click()
    qtbot.waitUntil(lambda: panel.details["id"] == str(target["id"]), timeout=15000)
    assert target["sequence_id"] != details.get("sequence") and position(details) is not None
    # back again: the newer image's own "other dates" hold the first one
    qtbot.waitUntil(lambda: "looking" not in panel.others_label.text(), timeout=15000)
    assert panel.older_button.isEnabled() or panel.newer_button.isEnabled()
