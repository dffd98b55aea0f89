"""Identify: tiles around a click, the nearest image (also through the fake's tiles), distances, times, labels."""

import math
import time
from datetime import timedelta, timezone

import pytest

from mapillary_qgis.client import Client
from mapillary_qgis.core.identify import (
    capture_times,
    distance_m,
    nearest_image,
    offset_m,
    tiles_around,
    viewer_url,
)
from mapillary_qgis.core.labels import camera_label, feature_label
from mapillary_qgis.core.records import ImageRecord, MapFeatureRecord
from mapillary_qgis.core.tilemath import tile_bounds_lonlat, tile_for

METRE_LAT = 1 / 111_195.0  # degrees of latitude in a metre (mean earth radius)


def image(id_, lon, lat):
    return ImageRecord(id=id_, lon=lon, lat=lat, captured_at=0)


# -- tiles around a click -------------------------------------------------------------------------


def test_tiles_around_the_middle_of_a_tile_is_that_tile():
    west, south, east, north = tile_bounds_lonlat(14, 7780, 6270)
    lon, lat = (west + east) / 2, (south + north) / 2
    assert tiles_around(lon, lat, 20) == [(14, 7780, 6270)]
    assert tiles_around(lon, lat, 0) == [(14, 7780, 6270)]


def test_tiles_around_a_corner_reach_the_neighbours_own_tile_first():
    west, south, east, north = tile_bounds_lonlat(14, 7780, 6270)
    lon, lat = east - 5 * METRE_LAT, south + 5 * METRE_LAT  # 5 m from the south-east corner
    tiles = tiles_around(lon, lat, 20)
    assert tiles[0] == (14, 7780, 6270)
    assert sorted(tiles) == [(14, 7780, 6270), (14, 7780, 6271), (14, 7781, 6270), (14, 7781, 6271)]
    assert tiles_around(lon, lat, 2) == [(14, 7780, 6270)]


def test_tiles_around_other_zooms_and_the_antimeridian():
    assert tiles_around(0.0001, 0.0001, 10, z=0) == [(0, 0, 0)]
    x, y = tile_for(179.9999, 10.0, 14)
    tiles = tiles_around(179.9999, 10.0, 100)
    assert tiles[0] == (14, x, y) and x == 2**14 - 1
    assert {t[1] for t in tiles} == {2**14 - 1, 0}  # wraps to the first column
    assert tiles_around(10.0, 89.9, 50)  # beyond the pyramid: clamped, no error


# -- the nearest image ----------------------------------------------------------------------------


def test_nearest_image_within_the_distance():
    records = [image(3, 0.0, 0.0), image(1, 0.0, 10 * METRE_LAT), image(2, 0.0, -4 * METRE_LAT)]
    assert nearest_image(records, 0.0, 1 * METRE_LAT, 5).id == 3
    assert nearest_image(records, 0.0, -3 * METRE_LAT, 5).id == 2
    assert nearest_image(records, 0.0, 20 * METRE_LAT, 5) is None
    assert nearest_image([], 0.0, 0.0, 5) is None


def test_nearest_image_ties_go_to_the_lowest_id():
    records = [image(9, 0.0, METRE_LAT), image(4, 0.0, -METRE_LAT), image(7, 0.0, METRE_LAT)]
    assert nearest_image(records, 0.0, 0.0, 5).id == 4
    assert nearest_image(reversed(records), 0.0, 0.0, 5).id == 4


def test_nearest_works_for_map_features_and_across_the_antimeridian():
    features = [MapFeatureRecord(id=1, lon=-179.99999, lat=0.0, value="object--bench")]
    assert nearest_image(features, 179.99999, 0.0, 5).id == 1


def test_identify_a_demo_image_through_the_fake_tiles(fake):
    """Tiles the plugin decodes itself give the exact 64-bit id of the image under the click."""
    pytest.importorskip("osgeo.gdal")
    from mapillary_qgis.core.tile_source import TileSource

    Client.set_token(None)
    client = Client(fake.token, graph_url=fake.graph_url, tiles_url=fake.tiles_url, max_retries=0)
    target = fake.dataset.images[5]
    click = (target.lon + 1e-6, target.lat - 1e-6)
    tiles = tiles_around(*click, radius_m=10)
    result = TileSource(client).load("mly1_public", tiles, ["image"])
    found = nearest_image(result.records["image"], *click, max_distance_m=3)
    assert found is not None and found.id == target.id
    assert all(r.host == "tiles" and "authorization" not in r.headers for r in fake.requests)
    assert len(fake.requests) == len(tiles)


# -- distances ------------------------------------------------------------------------------------


def test_distance_m():
    assert distance_m(0, 0, 0, 1) == pytest.approx(111_195, rel=1e-4)
    assert distance_m(-9.1393, 38.7223, -8.6291, 41.1579) == pytest.approx(274_000, rel=0.01)  # Lisbon-Porto
    assert distance_m(1, 2, 1, 2) == 0
    assert distance_m(0, 0, 180, 0) == pytest.approx(math.pi * 6371008.8)


def test_offset_m():
    details = {
        "geometry": {"type": "Point", "coordinates": [-9.14, 38.71]},
        "computed_geometry": {"type": "Point", "coordinates": [-9.14, 38.71 + 3 * METRE_LAT]},
    }
    assert offset_m(details) == pytest.approx(3, rel=1e-3)
    assert offset_m({"geometry": details["geometry"]}) is None
    assert offset_m({}) is None


# -- times and links ------------------------------------------------------------------------------


def test_capture_times_utc_and_a_named_zone():
    assert capture_times(1436654090000, "Europe/Lisbon") == ("2015-07-11 22:34:50 UTC", "2015-07-11 23:34:50 +01:00")
    assert capture_times(1420070400000, "Europe/Lisbon") == ("2015-01-01 00:00:00 UTC", "2015-01-01 00:00:00 +00:00")
    assert capture_times(1436654090999, "America/St_Johns")[1] == "2015-07-11 20:04:50 -02:30"
    assert capture_times(1436654090000, timezone(timedelta(hours=5, minutes=45)))[1] == "2015-07-12 04:19:50 +05:45"


def test_capture_times_default_to_the_machine_zone(monkeypatch):
    monkeypatch.setenv("TZ", "Asia/Kathmandu")
    time.tzset()
    try:
        assert capture_times(1436654090000) == ("2015-07-11 22:34:50 UTC", "2015-07-12 04:19:50 +05:45")
    finally:
        monkeypatch.undo()
        time.tzset()


@pytest.mark.parametrize("bad", [None, 0, -5, True, "1436654090000", float("nan"), 10**20])
def test_capture_times_unknown(bad):
    assert capture_times(bad, "UTC") == ("Unknown", "Unknown")


def test_viewer_url():
    assert viewer_url(178993950747668) == "https://www.mapillary.com/app/?pKey=178993950747668"
    assert viewer_url("1&x=2") == "https://www.mapillary.com/app/?pKey=1%26x%3D2"


# -- labels ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "label"),
    [
        ("regulatory--stop--g1", "Regulatory: stop"),
        ("warning--pedestrians-crossing--g1", "Warning: pedestrians crossing"),
        ("object--street-light", "Object: street light"),
        ("complementary--both-directions--g2", "Complementary: both directions"),
        ("regulatory--maximum-speed-limit-50--g1", "Regulatory: maximum speed limit 50"),
        ("object--support--utility-pole", "Object: support, utility pole"),
        ("construction--flat--crosswalk-plain", "Construction: flat, crosswalk plain"),
        ("object--g1", "Object: g1"),
        ("other-sign", "other-sign"),
        ("", ""),
        ("regulatory--", "regulatory--"),
        ("Regulatory--Stop", "Regulatory--Stop"),
        ("a--b c", "a--b c"),
    ],
)
def test_feature_label(value, label):
    assert feature_label(value) == label


@pytest.mark.parametrize(
    ("details", "label"),
    [
        ({"camera_type": "spherical", "is_pano": True}, "Panorama (spherical)"),
        ({"camera_type": "equirectangular"}, "Panorama (spherical)"),
        ({"is_pano": True}, "Panorama (spherical)"),
        ({"camera_type": "perspective", "is_pano": False}, "Perspective"),
        ({"camera_type": "Fisheye"}, "Fisheye"),
        ({"camera_type": "brown"}, "Unknown"),
        ({}, "Unknown"),
    ],
)
def test_camera_label(details, label):
    assert camera_label(details) == label
