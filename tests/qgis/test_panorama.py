"""Panoramas in the Image tab: the view, its cone on the map, playback; against the fake's synthetic panoramas.

The fake colours a panorama by compass direction (tests/fake_mapillary/pictures.py):
red looking north, green east, blue south, yellow west, white at the top.
"""

import math
import shutil

import numpy as np
import pytest
from qgis.core import QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsPointXY, QgsProject, QgsRectangle
from qgis.PyQt.QtCore import QCoreApplication, QEvent, QPoint, QPointF, Qt
from qgis.PyQt.QtGui import QColor, QImage, QMouseEvent
from qgis.PyQt.QtTest import QTest
from qgis.PyQt.QtWidgets import QApplication

import mapillary_qgis
from mapillary_qgis.core.panorama import FOV_DEFAULT, FOV_MAX, FOV_MIN
from mapillary_qgis.core.seeing import fov_from_camera
from tests.fake_mapillary.cdn import opaque_parts
from tests.fake_mapillary.pictures import DIRECTION_COLOURS, TOP, gradient_rgb, jpeg

WGS84 = QgsCoordinateReferenceSystem("EPSG:4326")
MERCATOR = QgsCoordinateReferenceSystem("EPSG:3857")
WAIT = 15000


def closest(colour: QColor) -> str:
    """The name of the fake's colour nearest `colour`."""
    named = {**{f"d{d}": c for d, c in DIRECTION_COLOURS.items()}, "top": TOP}
    rgb = (colour.red(), colour.green(), colour.blue())
    return min(named, key=lambda name: sum((a - b) ** 2 for a, b in zip(named[name], rgb)))


def centre(image: QImage) -> str:
    return closest(QColor(image.pixel(image.width() // 2, image.height() // 2)))


def a_panorama(fake, index=0):
    return [i for i in fake.dataset.images if i.is_pano][index]


def a_panorama_sequence(fake, length):
    """A sequence of at least `length` images, all of them panoramas."""
    return next(s for s in fake.dataset.sequences if len(s.image_ids) >= length
                and all(i.is_pano for i in fake.dataset.images if i.id in set(s.image_ids)))


def open_and_wait(qtbot, panel, image_id, width=2048):
    panel._controller.open_image(str(image_id))
    qtbot.waitUntil(lambda: panel.pano_view.image_id == str(image_id) and panel.pano_view.source_width >= width,
                    timeout=WAIT)


def test_a_panorama_opens_facing_its_compass_angle_and_sharpens(qtbot, panel, fake_env):
    pano = a_panorama(fake_env)
    panel._controller.open_image(str(pano.id))
    qtbot.waitUntil(lambda: panel.pano_view.image_id == str(pano.id), timeout=WAIT)
    assert panel.pano_view.isVisible() and not panel.picture.isVisible()
    assert panel.pano_view.yaw == pytest.approx(pano.compass_angle % 360)
    assert panel.pano_view.fov == FOV_DEFAULT
    qtbot.waitUntil(lambda: panel.pano_view.source_width == 2048, timeout=WAIT)
    sizes = [r.query.get("stp", [""])[0] for r in fake_env.requests if r.path.startswith("/cdn/")][:2]
    assert sizes == ["s1024x768", "s2048x1536"]  # the 1024 picture first, then the sharper one
    cdn = [r for r in fake_env.requests if r.path.startswith("/cdn/")]
    assert cdn and all("authorization" not in r.headers and "access_token" not in r.query for r in cdn)
    assert all(fake_env.token not in r.raw_path for r in cdn)


@pytest.mark.parametrize("yaw,colour", [(0, "d0"), (90, "d90"), (180, "d180"), (270, "d270"), (350, "d0")])
def test_image_view_looks_where_it_is_told(qtbot, panel, fake_env, yaw, colour):
    open_and_wait(qtbot, panel, a_panorama(fake_env).id)
    view = panel.image_view(yaw=yaw)
    assert not view.isNull() and (view.width(), view.height()) == (panel.pano_view.width(), panel.pano_view.height())
    assert centre(view) == colour
    assert panel.pano_view.yaw == yaw % 360


def test_pitch_shows_the_top_and_zoom_narrows(qtbot, panel, fake_env):
    open_and_wait(qtbot, panel, a_panorama(fake_env, 1).id)
    assert centre(panel.image_view(yaw=0, pitch=80)) == "top"
    assert centre(panel.image_view(pitch=0)) == "d0"  # yaw kept
    row = panel.image_view(yaw=0, fov=FOV_MIN)
    narrow = {closest(QColor(row.pixel(x, row.height() // 2))) for x in range(0, row.width(), 3)}
    wide_view = panel.image_view(fov=FOV_MAX)
    wide = {closest(QColor(wide_view.pixel(x, wide_view.height() // 2))) for x in range(0, wide_view.width(), 3)}
    assert narrow == {"d0"}  # 30 degrees around north: all red
    assert wide == {"d270", "d0", "d90"}  # 110 degrees: past 45 degrees either side
    assert panel.image_view(fov=500) and panel.pano_view.fov == FOV_MAX  # clamped


def test_dragging_turns_the_view_and_arrow_keys_turn_it_without_stepping(qtbot, panel, fake_env):
    pano = a_panorama(fake_env)
    open_and_wait(qtbot, panel, pano.id)
    view = panel.pano_view
    view.set_view(yaw=100, pitch=0, fov=90)
    seen = []
    view.view_changed.connect(lambda yaw, pitch, fov: seen.append((yaw, pitch, fov)))
    start = QPoint(view.width() // 2, view.height() // 2)
    QTest.mousePress(view, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    move = QMouseEvent(QEvent.Type.MouseMove, QPointF(start.x() + view.width() / 4, start.y() - 10),
                       Qt.MouseButton.NoButton, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(view, move)
    QTest.mouseRelease(view, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                       QPoint(start.x() + view.width() // 4, start.y() - 10))
    assert view.yaw == pytest.approx(100 - 90 / 4, abs=0.5)  # the picture follows the hand: right turns left
    assert view.pitch < 0 and seen
    view.setFocus()
    QTest.keyClick(view, Qt.Key.Key_Right)
    assert view.yaw == pytest.approx(100 - 90 / 4 + 90 / 8, abs=0.5)
    assert panel.details["id"] == str(pano.id)  # the arrow turned the view, not the sequence
    QTest.keyClick(view, Qt.Key.Key_Plus)
    assert view.fov < 90
    QTest.keyClick(view, Qt.Key.Key_Minus)
    assert view.fov == pytest.approx(90)


def repeats(image: QImage) -> int:
    """How many pixels of the middle rows equal their left neighbour."""
    rows = range(image.height() // 3, 2 * image.height() // 3, 7)
    return sum(image.pixel(x, y) == image.pixel(x - 1, y) for y in rows for x in range(1, image.width()))


def test_a_moving_view_is_drawn_fast_and_a_still_one_smooth(qtbot, panel, fake_env):
    pano = a_panorama(fake_env)
    noise = np.random.default_rng(3).integers(0, 256, size=(1024, 2048, 3), dtype=np.uint8)
    fake_env.pictures.serve(pano.id, jpeg(noise))  # every picture pixel its own colour
    open_and_wait(qtbot, panel, pano.id)
    view = panel.pano_view
    view.set_view(yaw=37, pitch=12, fov=FOV_MIN)  # zoomed in: each picture pixel covers several of the view's
    # No convertToFormat on the GUI thread here: see image_controller.decoded.
    moving = view.grab().toImage()
    qtbot.waitUntil(lambda: view._still, timeout=WAIT)
    qtbot.waitUntil(lambda: view.grab().toImage() != moving, timeout=WAIT)
    still, frame = view.grab().toImage(), view.frame()
    assert all(still.pixel(x, y) == frame.pixel(x, y)  # image_view returns the still view
               for y in range(0, still.height(), 5) for x in range(0, still.width(), 5))
    # Nearest repeats each picture pixel over a few of the view's; bilinear ramps between them.
    assert repeats(still) < 0.7 * repeats(moving)
    view.set_view(yaw=40)
    assert not view._still  # moving again: fast frames until it stops


def test_a_large_still_view_is_made_smooth_in_the_background(qtbot):
    from mapillary_qgis.gui.pano_view import MOVING_FULL_PIXELS, PanoramaView

    noise = np.random.default_rng(5).integers(0, 256, size=(512, 1024, 3), dtype=np.uint8)
    view = PanoramaView()
    qtbot.addWidget(view)
    view.resize(1000, 600)
    assert view.width() * view.height() > MOVING_FULL_PIXELS
    view.show()
    view.set_picture("1", QImage.fromData(jpeg(noise)), 0.0)
    view.set_view(yaw=10, pitch=5, fov=FOV_MIN)
    moving = view.grab().toImage()  # half size, scaled up
    qtbot.waitUntil(lambda: view._smooth is not None and view._smooth[0][:5] == (1000, 600, 10, 5, FOV_MIN),
                    timeout=WAIT)
    qtbot.waitUntil(lambda: view.grab().toImage() != moving, timeout=WAIT)
    still, frame = view.grab().toImage(), view.frame()
    assert all(still.pixel(x, y) == frame.pixel(x, y) for y in range(100, 600, 37) for x in range(0, 800, 23))
    assert repeats(still) < 0.7 * repeats(moving)
    view.set_view(yaw=11)  # moving again: the smooth frame is no longer the one on show
    assert not view._still and view._smooth[0][2] == 10


def test_camera_types_that_are_wrong_or_missing_fall_back_safely(qtbot, panel, fake_env):
    flat_pano, no_type, odd_type, not_2_by_1 = (a_panorama(fake_env, i) for i in range(4))
    fake_env.store.images[str(flat_pano.id)]["camera_type"] = "perspective"  # the camera model wins: flat
    del fake_env.store.images[str(no_type.id)]["camera_type"]  # is_pano decides: a panorama
    fake_env.store.images[str(odd_type.id)]["camera_type"] = 42
    fake_env.pictures.serve(not_2_by_1.id, jpeg(gradient_rgb(400, 300)))  # "spherical", but 4:3: flat

    panel._controller.open_image(str(flat_pano.id))
    qtbot.waitUntil(lambda: panel.picture.pixmap() is not None and not panel.picture.pixmap().isNull(), timeout=WAIT)
    assert not panel.pano_view.isVisible() and not panel.image_view(yaw=90).isNull()
    for image in (no_type, odd_type):
        open_and_wait(qtbot, panel, image.id)
        assert centre(panel.image_view(yaw=180)) == "d180"
    panel._controller.open_image(str(not_2_by_1.id))
    qtbot.waitUntil(lambda: panel.details["id"] == str(not_2_by_1.id) and panel.picture.pixmap() is not None
                    and not panel.picture.pixmap().isNull(), timeout=WAIT)
    assert not panel.pano_view.isVisible() and not panel.error_label.text()
    shown = panel.image_view(yaw=10)
    assert shown.width() / shown.height() == pytest.approx(4 / 3, abs=0.02)


@pytest.mark.parametrize("data", [b"\xff\xd8\xff\xe0 not really a JPEG", b"<html>an error page</html>"])
def test_a_broken_picture_is_a_message(qtbot, panel, fake_env, data):
    pano = a_panorama(fake_env)
    fake_env.pictures.serve(pano.id, data)
    panel._controller.open_image(str(pano.id))
    qtbot.waitUntil(lambda: bool(panel.error_label.text()), timeout=WAIT)
    assert "picture" in panel.error_label.text().lower() and "Traceback" not in panel.error_label.text()
    assert panel.image_view(yaw=0).isNull() and panel.pano_view.image_id is None


def test_the_view_before_the_picture_is_null(qtbot, panel, fake_env):
    pano = a_panorama(fake_env)
    fake_env.inject("slow", host="graph", count=None, path_contains="/cdn/", delay=1.0)
    panel._controller.open_image(str(pano.id))
    qtbot.waitUntil(lambda: panel.details is not None, timeout=WAIT)
    assert panel.image_view(yaw=0).isNull()
    qtbot.waitUntil(lambda: not panel.image_view(yaw=0).isNull(), timeout=WAIT)


# -- the plugin: cone, playback --------------------------------------------------------------


@pytest.fixture
def plugin(iface, fake_env, monkeypatch):
    monkeypatch.setenv("MAPILLARY_ACCESS_TOKEN", fake_env.token)
    iface.mapCanvas().setDestinationCrs(MERCATOR)
    iface.mapCanvas().resize(600, 400)
    loaded = mapillary_qgis.classFactory(iface)
    loaded.initGui()
    yield loaded
    loaded.unload()
    QgsProject.instance().clear()


def cone_direction(marker) -> tuple:
    """(compass direction, width) of the marker's cone, read from its geometry on the map."""
    geometry = marker.band.asGeometry()
    ring = (geometry.asMultiPolygon()[0] if geometry.isMultipart() else geometry.asPolygon())[0]
    apex, arc = ring[0], ring[1:-1]
    bearings = [math.degrees(math.atan2(p.x() - apex.x(), p.y() - apex.y())) % 360 for p in arc]
    first, last = bearings[0], bearings[-1]
    width = (last - first) % 360
    return (first + width / 2) % 360, width


def test_the_cone_follows_the_view(qtbot, plugin, fake_env):
    pano = a_panorama(fake_env)
    plugin.open_image(pano.id)
    panel = plugin.image_panel
    qtbot.waitUntil(lambda: panel.pano_view.image_id == str(pano.id), timeout=WAIT)
    direction, width = cone_direction(plugin.marker)
    assert direction == pytest.approx(pano.compass_angle % 360, abs=1.5) and width == pytest.approx(FOV_DEFAULT, abs=1)
    assert not plugin.image_view(yaw=90, fov=60).isNull()
    direction, width = cone_direction(plugin.marker)
    assert direction == pytest.approx(90, abs=1.5) and width == pytest.approx(60, abs=1)
    panel.pano_view.set_view(yaw=300)  # as a drag does
    assert cone_direction(plugin.marker)[0] == pytest.approx(300, abs=1.5)


@pytest.mark.parametrize("crs,lon,lat", [
    ("EPSG:3857", -9.14, 38.71),
    ("EPSG:4326", 10.0, 60.0),  # degrees of longitude are half as long as those of latitude there
    ("EPSG:32632", 12.0, 60.0),  # UTM 32N near its zone's edge
    ("EPSG:3413", -20.0, 70.0),  # polar stereographic: the map's up is not north
])
@pytest.mark.parametrize("bearing", [45.0, 300.0])
def test_the_cone_points_along_the_ground_in_any_crs(qtbot, plugin, crs, lon, lat, bearing):
    from qgis.core import QgsDistanceArea

    canvas = plugin.iface.mapCanvas()
    canvas.setDestinationCrs(QgsCoordinateReferenceSystem(crs))
    to_map = QgsCoordinateTransform(WGS84, canvas.mapSettings().destinationCrs(), QgsProject.instance())
    here = to_map.transform(QgsPointXY(lon, lat))
    canvas.setExtent(QgsRectangle(here.x() - 1e-3, here.y() - 1e-3, here.x() + 1e-3, here.y() + 1e-3))
    plugin.marker.show(lon, lat, bearing, 2.0)
    geometry = plugin.marker.band.asGeometry()
    ring = (geometry.asMultiPolygon()[0] if geometry.isMultipart() else geometry.asPolygon())[0]
    tip = ring[len(ring) // 2]  # the middle of the arc
    ellipsoid = QgsDistanceArea()
    ellipsoid.setEllipsoid("WGS84")
    back = QgsCoordinateTransform(canvas.mapSettings().destinationCrs(), WGS84, QgsProject.instance())
    ground = math.degrees(ellipsoid.bearing(QgsPointXY(lon, lat), back.transform(tip))) % 360
    assert abs((ground - bearing + 180) % 360 - 180) < 1.5


def test_a_perspective_cone_has_the_camera_field_of_view(qtbot, plugin, fake_env):
    image = next(i for i in fake_env.dataset.images if not i.is_pano and i.camera_type == "perspective")
    plugin.open_image(image.id)
    qtbot.waitUntil(lambda: plugin.marker.shown is not None, timeout=WAIT)
    details = plugin.image_panel.details
    expected = fov_from_camera("perspective", details["camera_parameters"], details["width"], details["height"])
    direction, width = cone_direction(plugin.marker)
    assert direction == pytest.approx(image.compass_angle % 360, abs=1.5)
    assert width == pytest.approx(expected, abs=1)


def near_an_end(fake, left=3):
    """The id `left` images before the end of a sequence, and the ids from there to its end."""
    sequence = next(s for s in fake.dataset.sequences if len(s.image_ids) > left + 1)
    ids = [str(i) for i in sequence.image_ids]
    return ids[-left - 1], ids[-left:]


@pytest.mark.parametrize("rotation", [0, 30])
def test_play_walks_to_the_end_of_the_sequence_and_the_map_follows(qtbot, plugin, fake_env, rotation):
    start, rest = near_an_end(fake_env)
    panel, controller = plugin.image_panel, plugin.image_controller
    plugin.open_image(start)
    qtbot.waitUntil(lambda: panel.details is not None and panel.details["id"] == start, timeout=WAIT)
    canvas = plugin.iface.mapCanvas()
    canvas.setRotation(rotation)
    to_map = QgsCoordinateTransform(WGS84, MERCATOR, QgsProject.instance())
    here = to_map.transform(QgsPointXY(*panel.details["geometry"]["coordinates"]))
    canvas.setExtent(QgsRectangle(here.x() - 3, here.y() - 3, here.x() + 3, here.y() + 3))  # each step leaves it
    shown = []
    controller.shown.connect(lambda details: shown.append(details["id"]))
    panel.play_button.click()
    assert controller.is_playing() and panel.play_button.text() == "■ Stop"
    qtbot.waitUntil(lambda: not controller.is_playing(), timeout=WAIT)
    assert shown == rest and panel.details["id"] == rest[-1]
    assert panel.play_button.text() == "▶ Play"
    last = to_map.transform(QgsPointXY(*panel.details["geometry"]["coordinates"]))
    pixel = canvas.getCoordinateTransform().transform(last)
    assert 0 <= pixel.x() <= canvas.width() and 0 <= pixel.y() <= canvas.height()  # the map followed the cone
    canvas.setRotation(0)
    assert panel.pano_view.image_id == rest[-1] or panel.picture.pixmap() is not None


def test_play_waits_for_each_picture_and_sharpens_where_it_stops(qtbot, plugin, fake_env):
    """A slow picture server: every image played is seen with its own picture, the quick size only."""
    from mapillary_qgis.processing.common import cache_dir

    sequence = a_panorama_sequence(fake_env, 4)
    ids = [str(i) for i in sequence.image_ids]
    shutil.rmtree(cache_dir() / "thumbnails", ignore_errors=True)
    panel, controller = plugin.image_panel, plugin.image_controller
    plugin.open_image(ids[0])
    qtbot.waitUntil(lambda: panel.pano_view.image_id == ids[0] and panel.pano_view.source_width == 2048,
                    timeout=WAIT)
    fake_env.inject("slow", count=None, path_contains="/cdn/", delay=0.7)  # slower than a tick
    pictured, shown = [], []
    controller.shown.connect(lambda details: shown.append(details["id"]))
    controller.thumbnail.connect(lambda image_id, data: pictured.append(image_id)
                                 if panel.details and panel.details["id"] == image_id else None)
    panel.play_button.click()
    qtbot.waitUntil(lambda: len(shown) >= 3, timeout=WAIT)
    qtbot.waitUntil(lambda: shown[-1] in pictured, timeout=WAIT)
    panel.play_button.click()  # Stop
    fake_env.clear_faults()
    assert shown == ids[1:len(shown) + 1]
    assert all(image_id in pictured for image_id in shown)  # none skipped before its picture came
    played = [r.query.get("stp", [""])[0] for r in fake_env.requests
              if r.path.startswith("/cdn/") and (opaque_parts(r.path) or ("",))[0] in shown[:-1]]
    assert played and set(played) == {"s1024x768"}  # while playing: the quick size
    last = shown[-1]
    qtbot.waitUntil(lambda: panel.pano_view.image_id == last and panel.pano_view.source_width == 2048,
                    timeout=WAIT)  # stopped: the image it stopped on sharpens


def test_a_broken_picture_after_a_step_does_not_leave_the_last_panorama(qtbot, panel, fake_env):
    sequence = a_panorama_sequence(fake_env, 2)
    first, second = (str(i) for i in sequence.image_ids[:2])
    fake_env.pictures.serve(second, b"<html>an error page</html>")
    open_and_wait(qtbot, panel, first)
    panel.next_button.click()
    qtbot.waitUntil(lambda: panel.details["id"] == second and panel.error_label.text() != "", timeout=WAIT)
    assert panel.pano_view.image_id is None and not panel.pano_view.isVisible()
    assert panel.picture.isVisible() and panel.picture.text() == "No picture"
    assert panel.image_view(yaw=0).isNull()


def test_hiding_the_tab_stops_playback(qtbot, panel, fake_env):
    """The tab switched away or the dock closed: the Stop button is out of sight, so playback stops."""
    sequence = max(fake_env.dataset.sequences, key=lambda s: len(s.image_ids))
    panel._controller.open_image(str(sequence.image_ids[0]))
    qtbot.waitUntil(lambda: panel.details is not None, timeout=WAIT)
    panel.play_button.click()
    assert panel._controller.is_playing()
    panel.hide()
    assert not panel._controller.is_playing()
    panel.show()
    assert not panel._controller.is_playing() and panel.play_button.text() == "▶ Play"


def test_unload_lets_go_of_the_click_watch(qtbot, iface, fake_env, monkeypatch):
    from mapillary_qgis.gui.identify_tool import ClickWatch

    monkeypatch.setenv("MAPILLARY_ACCESS_TOKEN", fake_env.token)
    viewport = iface.mapCanvas().viewport()
    for _ in range(2):
        loaded = mapillary_qgis.classFactory(iface)
        loaded.initGui()
        assert len(viewport.findChildren(ClickWatch)) == 1
        loaded.unload()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        assert viewport.findChildren(ClickWatch) == []
        assert loaded.image_view(yaw=10).isNull()  # unloaded: nothing on show, no AttributeError


def test_play_stops_on_a_click_on_the_map_and_on_stop(qtbot, plugin, fake_env):
    sequence = max(fake_env.dataset.sequences, key=lambda s: len(s.image_ids))
    panel, controller = plugin.image_panel, plugin.image_controller
    plugin.open_image(sequence.image_ids[0])
    qtbot.waitUntil(lambda: panel.details is not None, timeout=WAIT)
    panel.play_button.click()
    qtbot.waitUntil(lambda: panel.details["id"] != str(sequence.image_ids[0]), timeout=WAIT)
    viewport = plugin.iface.mapCanvas().viewport()
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(10, 10))
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(10, 10))
    assert not controller.is_playing()
    panel.play_button.click()
    assert controller.is_playing()
    panel.play_button.click()
    assert not controller.is_playing()
    panel.play_button.click()
    panel.prev_button.click()  # stepping by hand stops it too
    assert not controller.is_playing()
