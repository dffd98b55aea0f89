"""plugin.images_of: the images that see a place, from the fake's real tiles, in any CRS, with the filters."""

import math

import pytest
from qgis.core import QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsPointXY, QgsProject

import mapillary_qgis
from mapillary_qgis.core.filters import Filters

WGS84 = QgsCoordinateReferenceSystem("EPSG:4326")
MERCATOR = QgsCoordinateReferenceSystem("EPSG:3857")
M_PER_DEG = 6_371_008.8 * math.pi / 180


@pytest.fixture
def plugin(iface, fake_env, monkeypatch):
    monkeypatch.setenv("MAPILLARY_ACCESS_TOKEN", fake_env.token)
    loaded = mapillary_qgis.classFactory(iface)
    loaded.initGui()
    yield loaded
    loaded.unload()
    QgsProject.instance().clear()


def ahead(image, metres, turn=0.0):
    """The point `metres` from the image along its compass angle (+ turn degrees)."""
    angle = math.radians(image.compass_angle + turn)
    lat = image.lat + metres * math.cos(angle) / M_PER_DEG
    lon = image.lon + metres * math.sin(angle) / (M_PER_DEG * math.cos(math.radians(image.lat)))
    return QgsPointXY(lon, lat)


def a_perspective_image(fake):
    return next(i for i in fake.dataset.images if not i.is_pano and i.compass_angle is not None)


def test_the_image_in_front_sees_the_place_the_one_behind_does_not(plugin, fake_env):
    image = a_perspective_image(fake_env)
    found = plugin.images_of(ahead(image, 8), WGS84)
    mine = [item for item in found if item["id"] == image.id]
    assert mine, "the image 8 m behind the place, looking at it, must see it"
    # positions come from the tile (4096 steps a z14 tile: about 0.6 m here), so roughly
    assert mine[0]["distance_m"] == pytest.approx(8, abs=0.8) and mine[0]["bearing_offset"] < 6
    assert isinstance(mine[0]["id"], int) and mine[0]["captured_at"] == image.captured_at
    assert {"id", "distance_m", "bearing_offset", "captured_at", "is_pano", "sequence_id"} <= set(mine[0])
    behind = plugin.images_of(ahead(image, 8, turn=180), WGS84)
    assert image.id not in [item["id"] for item in behind]
    assert image.id in [item["id"] for item in plugin.images_of(ahead(image, 8, turn=180), WGS84, looking_at=False)]
    scores = [item["score"] for item in found]
    assert scores == sorted(scores) and all(item["distance_m"] <= 30 for item in found)


def test_any_crs_gives_the_same_answer(plugin, fake_env):
    image = a_perspective_image(fake_env)
    point = ahead(image, 6)
    in_mercator = QgsCoordinateTransform(WGS84, MERCATOR, QgsProject.instance()).transform(point)
    assert plugin.images_of(in_mercator, MERCATOR) == plugin.images_of(point, WGS84)


def test_the_filters_apply_and_nowhere_is_empty(plugin, fake_env):
    image = a_perspective_image(fake_env)
    point = ahead(image, 8)
    plugin.filtering.apply(Filters(panoramas="only"), save=False)
    assert all(item["is_pano"] for item in plugin.images_of(point, WGS84))
    plugin.filtering.apply(Filters(), save=False)
    assert plugin.images_of(QgsPointXY(-30.0, 0.0), WGS84) == []  # mid-Atlantic: no image
