"""Identify: a click finds the exact image, its details and picture; prev/next; errors; late answers."""

import json

import pytest
from qgis.core import QgsCoordinateReferenceSystem, QgsPointXY
from qgis.PyQt.QtCore import QCoreApplication, QEvent
from qgis.PyQt.QtGui import QImage

import mapillary_qgis
from mapillary_qgis.client import Client
from mapillary_qgis.core.tile_source import TileSource
from tests.fake_mapillary.dataset import DEMO_CENTER
from tests.fake_mapillary.tilemath import tile_for

WGS84 = QgsCoordinateReferenceSystem("EPSG:4326")
CX, CY = tile_for(*DEMO_CENTER, 14)
FIXTURE_SEQUENCE = "7nfcwfvjdtphz7yj6zat6a"


def an_image_in_the_middle(fake):
    from mapillary_qgis.core.tilemath import tile_bounds_lonlat

    west, south, east, north = tile_bounds_lonlat(14, CX, CY)
    return next(i for i in fake.dataset.images if west < i.lon < east and south < i.lat < north)


def test_plugin_identify_gives_the_exact_image_and_the_right_requests(iface, fake_env, monkeypatch):
    monkeypatch.setenv("MAPILLARY_ACCESS_TOKEN", fake_env.token)
    image = an_image_in_the_middle(fake_env)
    plugin = mapillary_qgis.classFactory(iface)
    plugin.initGui()
    try:
        details = plugin.identify(QgsPointXY(image.lon, image.lat), WGS84)
        assert details["id"] == str(image.id)
        assert details["geometry"]["type"] == "Point" and "captured_at" in details
        for request in fake_env.requests:
            if request.host == "tiles":
                assert request.query["access_token"] == [fake_env.token] and "authorization" not in request.headers
            else:
                assert request.headers["authorization"] == f"OAuth {fake_env.token}"
                assert "access_token" not in request.query
        graph = [r for r in fake_env.requests if r.host == "graph"]
        assert [r.path for r in graph] == [f"/{image.id}"]

        count = len(fake_env.requests)
        assert plugin.identify(QgsPointXY(image.lon, image.lat), WGS84)["id"] == str(image.id)
        assert len(fake_env.requests) == count  # the same image again: no request at all
        assert plugin.identify(QgsPointXY(DEMO_CENTER[0] + 5, DEMO_CENTER[1]), WGS84) is None
    finally:
        plugin.unload()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def test_real_tile_identify_returns_the_exact_id(fixtures_dir, fake_env, service):
    from mapillary_qgis.core.mvt_decode import decode_tile

    data = (fixtures_dir / "tiles" / "mly1_public_unknown-zxy_10231-images.mvt").read_bytes()
    fake_env.serve_tile_bytes("mly1_public", data)
    images = decode_tile(data, 14, CX, CY, ["image"])["image"]
    target = max(images, key=lambda r: r.id)
    assert target.id > 2**31
    found = service.find(target.lon, target.lat, 0.5)
    assert found.id == target.id


def test_panel_shows_details_and_the_picture(qtbot, panel, fake_env):
    image = an_image_in_the_middle(fake_env)
    panel._controller.identify(image.lon, image.lat, 5)
    qtbot.waitUntil(lambda: panel.details is not None, timeout=10000)
    assert panel.details["id"] == str(image.id)
    assert panel.values["creator"].text() == image.creator.username
    if image.captured_at:
        assert panel.values["captured_utc"].text().endswith("UTC")
    qtbot.waitUntil(lambda: panel.picture.pixmap() is not None and not panel.picture.pixmap().isNull(), timeout=10000)
    pixmap = panel.picture.pixmap()
    assert pixmap.width() > 50
    image_data = pixmap.toImage()
    colours = {image_data.pixel(x, pixmap.height() // 2) for x in range(0, pixmap.width(), 7)}
    assert len(colours) > 3  # a real picture, not a blank
    cdn = [r for r in fake_env.requests if r.path.startswith("/cdn/")]
    assert cdn and all("authorization" not in r.headers and "access_token" not in r.query for r in cdn)


@pytest.mark.parametrize(
    "fault,options,kind",
    [
        ("invalid_token", {}, "token"),
        ("rate_limit", {}, "rate_limited"),
        ("not_found", {}, "not_found"),
        ("server_error_html", {}, "error"),
    ],
)
def test_panel_error_states(qtbot, panel, fake_env, fault, options, kind):
    image = an_image_in_the_middle(fake_env)
    fake_env.inject(fault, host="graph", count=None, **options)
    panel._controller.identify(image.lon, image.lat, 5)
    qtbot.waitUntil(lambda: bool(panel.error_label.text()), timeout=10000)
    assert panel.error_label.property("kind") == kind
    assert panel.set_token_button.isVisibleTo(panel) == (kind == "token")
    assert "Traceback" not in panel.error_label.text()


def test_offline(qtbot, panel, fake_env, service):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = s.getsockname()[1]
    service.client = Client(fake_env.token, graph_url=f"http://127.0.0.1:{dead}", tiles_url=f"http://127.0.0.1:{dead}",
                            max_retries=0)
    service.source = TileSource(service.client)
    panel._controller.identify(*DEMO_CENTER, 5)
    qtbot.waitUntil(lambda: bool(panel.error_label.text()), timeout=10000)
    assert panel.error_label.property("kind") == "offline"


def test_a_fast_second_click_wins_over_a_slow_first(qtbot, panel, fake_env):
    first = an_image_in_the_middle(fake_env)
    second = next(i for i in fake_env.dataset.images if i.id != first.id and i.sequence_id != first.sequence_id)
    fake_env.inject("slow", host="graph", count=1, path_contains=str(first.id), delay=1.5)
    shown = []
    panel._controller.shown.connect(lambda details: shown.append(details["id"]))
    panel._controller.open_image(first.id)
    qtbot.wait(100)
    panel._controller.open_image(second.id)
    qtbot.wait(2500)  # the slow answer for the first click has arrived by now
    assert shown == [str(second.id)]
    assert panel.details["id"] == str(second.id)


def test_prev_next_walks_the_fixture_sequence(qtbot, panel, fake_env, fixtures_dir):
    order = [item["id"] for item in json.loads(
        (fixtures_dir / "graph" / f"image_ids__{FIXTURE_SEQUENCE}.json").read_text())["data"]]
    panel._controller.open_image(order[0])
    qtbot.waitUntil(lambda: panel.details is not None and panel.details["id"] == order[0], timeout=10000)
    walked = [order[0]]
    for _ in order[1:]:
        panel.next_button.click()
        qtbot.waitUntil(lambda: panel.details["id"] != walked[-1], timeout=10000)
        walked.append(panel.details["id"])
    assert walked == order
    panel.prev_button.click()
    qtbot.waitUntil(lambda: panel.details["id"] == order[-2], timeout=10000)


def test_a_click_on_a_traffic_sign_shows_its_class_images_and_outline(qtbot, panel, fake_env):
    sign = next(s for s in fake_env.dataset.traffic_signs if s.lonlat and fake_env.dataset.detections_of(s.id))
    panel._controller.identify(*sign.lonlat, 3, [("mly_map_feature_traffic_sign", "traffic_sign")])
    qtbot.waitUntil(lambda: panel.feature_box.isVisibleTo(panel), timeout=10000)
    assert panel.feature_label.property("feature_id") == str(sign.id)
    assert ":" in panel.feature_label.text() and "Seen in" in panel.feature_label.text()
    assert panel.strip.count() == len({str(d.image_id) for d in fake_env.dataset.detections_of(sign.id)}
                                      | {str(i) for i in sign.image_ids})
    qtbot.waitUntil(lambda: all(not panel.strip.item(i).icon().isNull() for i in range(panel.strip.count())),
                    timeout=10000)  # every picture of the strip arrives, not only the one opened
    qtbot.waitUntil(lambda: panel.picture.pixmap() is not None and not panel.picture.pixmap().isNull(), timeout=10000)
    first = panel.strip.item(0).data(0x0100)
    assert panel.details["id"] == first
    def orange(image):
        return sum(1 for x in range(image.width()) for y in range(image.height())
                   if abs(image.pixelColor(x, y).red() - 255) < 30 and abs(image.pixelColor(x, y).green() - 109) < 40
                   and image.pixelColor(x, y).blue() < 60)

    plain = QImage.fromData(panel._controller.service.thumbnail(first, 1024))
    assert orange(panel._pixmap.toImage()) > orange(plain) + 20  # the detection's outline is drawn on the picture


def test_the_strip_shows_each_picture_in_its_own_place(qtbot, panel, fake_env):
    """Thumbnails arrive after their items: each must still have a place of its own (issue 17: the second
    landed on top of the first, so only one picture showed)."""
    sign = max((s for s in fake_env.dataset.traffic_signs if s.lonlat),
               key=lambda s: len({d.image_id for d in fake_env.dataset.detections_of(s.id)} | set(s.image_ids)))
    panel._controller.identify(*sign.lonlat, 3, [("mly_map_feature_traffic_sign", "traffic_sign")])
    qtbot.waitUntil(lambda: panel.feature_box.isVisibleTo(panel), timeout=10000)
    strip = panel.strip
    assert strip.count() >= 3
    qtbot.waitUntil(lambda: all(not strip.item(i).icon().isNull() for i in range(strip.count())), timeout=10000)
    qtbot.wait(50)  # the view lays its items out on its next event-loop turn
    rects = [strip.visualItemRect(strip.item(i)) for i in range(strip.count())]
    places = {(rect.x(), rect.y()) for rect in rects}
    assert len(places) == strip.count(), places
    assert all(not a.intersects(b) for i, a in enumerate(rects) for b in rects[i + 1:])
    assert len({rect.y() for rect in rects}) == 1  # one row, left to right
    assert all(rect.width() >= strip.iconSize().width() for rect in rects)


def test_without_feature_layers_a_click_means_images_only(qtbot, panel, fake_env):
    image = an_image_in_the_middle(fake_env)
    panel._controller.identify(image.lon, image.lat, 5, [])
    qtbot.waitUntil(lambda: panel.details is not None, timeout=10000)
    assert not panel.feature_box.isVisibleTo(panel)
    assert not any("map_feature" in r.path for r in fake_env.requests)


def test_identify_skips_images_the_filters_hide(qtbot, panel, fake_env):
    from mapillary_qgis.core.filters import Filters, image_matcher

    image = an_image_in_the_middle(fake_env)
    hide_it = image_matcher(Filters(panoramas="exclude" if image.is_pano else "only"))
    panel._controller.identify(image.lon, image.lat, 0.5, [], match=hide_it)
    qtbot.waitUntil(lambda: panel.error_label.property("kind") == "nothing", timeout=10000)
    assert panel.details is None


def test_a_click_far_out_reads_few_tiles(service, fake_env):
    service.find(*DEMO_CENTER, 500_000)  # 8 px on a map of a whole country
    assert 0 < len([r for r in fake_env.requests if r.host == "tiles"]) <= 9
