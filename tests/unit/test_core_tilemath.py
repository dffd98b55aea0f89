"""Tile arithmetic, tileset URLs and record de-duplication: pure Python."""


import pytest

from mapillary_qgis.client import DEFAULT_TILES_URL
from mapillary_qgis.core import tilemath as tm
from mapillary_qgis.core.records import ImageRecord, SequenceRecord, merge_sequences, merge_unique
from mapillary_qgis.core.tilesets import TILESETS, tile_url, xyz_template
from tests.fake_mapillary import tilemath as fake_tm
from tests.fake_mapillary.dataset import DEMO_BBOX, DEMO_CENTER, DEMO_TILES


@pytest.mark.parametrize("lon, lat", [(0.0, 0.0), (-9.14, 38.71), (179.9, -85.0), (-180.0, 85.0), (12.3456, -45.6)])
def test_mercator_round_trip(lon, lat):
    back = tm.mercator_to_lonlat(*tm.lonlat_to_mercator(lon, lat))
    assert back == pytest.approx((lon, lat), abs=1e-9)


def test_many_latitudes_at_once_are_the_same_bits_as_one_at_a_time():
    ys = [0.0, -0.0, 1e-300, 4_650_000.123456789, -20_037_508.342789244, 20_037_508.342789244, 123.456] + [
        i * 7919.123 - 2e7 for i in range(5000)]
    assert tm.mercator_ys_to_lats(ys) == [tm.mercator_y_to_lat(y) for y in ys]
    assert tm.mercator_ys_to_lats([]) == []


def test_mercator_constants():
    assert tm.HALF_WORLD == pytest.approx(20037508.342789244)
    assert tm.MAX_LAT == pytest.approx(85.0511287798)
    assert tm.lonlat_to_mercator(180.0, 90.0) == pytest.approx((tm.HALF_WORLD, tm.HALF_WORLD))


@pytest.mark.parametrize("z", [0, 1, 5, 14, 20])
def test_tile_round_trip_and_bounds(z):
    x, y = tm.tile_for(*DEMO_CENTER, z)
    west, south, east, north = tm.tile_bounds_lonlat(z, x, y)
    assert west <= DEMO_CENTER[0] < east and south < DEMO_CENTER[1] <= north
    assert tm.tile_for(west, north, z) == (x, y)  # the north-west corner belongs to the tile
    assert tm.tile_to_lonlat(x, y, z) == pytest.approx((west, north))
    min_x, min_y, max_x, max_y = tm.tile_bounds_mercator(z, x, y)
    assert tm.mercator_to_lonlat(min_x, min_y) == pytest.approx((west, south), abs=1e-9)
    assert tm.mercator_to_lonlat(max_x, max_y) == pytest.approx((east, north), abs=1e-9)
    assert max_x - min_x == pytest.approx(2 * tm.HALF_WORLD / 2**z)


def test_demo_center_tile_matches_the_fake():
    for z in range(0, 17):
        assert tm.tile_for(*DEMO_CENTER, z) == fake_tm.tile_for(*DEMO_CENTER, z)
    assert tm.tile_bounds_lonlat(14, 7776, 6278) == pytest.approx(fake_tm.tile_bounds(14, 7776, 6278))


def test_bbox_of_the_demo_block_is_exactly_its_nine_tiles():
    tiles = tm.tiles_for_bbox(*DEMO_BBOX, z=14)
    assert [(14, x, y) for x, y in tiles] == sorted(DEMO_TILES, key=lambda t: (t[2], t[1]))  # row-major
    assert tm.tile_count(*DEMO_BBOX, z=14) == 9


def test_bbox_counts():
    lon, lat = DEMO_CENTER
    assert tm.tiles_for_bbox(lon, lat, lon, lat, 14) == [tm.tile_for(lon, lat, 14)]  # a point
    assert len(tm.tiles_for_bbox(-180, -90, 180, 90, 0)) == 1
    assert len(tm.tiles_for_bbox(-180, -90, 180, 90, 2)) == 16
    assert len(tm.tiles_for_bbox(-0.1, -0.1, 0.1, 0.1, 10)) == 4  # around the origin
    west, south, east, north = tm.tile_bounds_lonlat(14, 100, 200)  # exactly one tile: edges pull in nothing
    assert tm.tiles_for_bbox(west, south, east, north, 14) == [(100, 200)]
    assert tm.tile_count(-10, 30, 10, 50, 14) == len(tm.tiles_for_bbox(-10, 30, 10, 50, 12)) * 16


def test_bbox_partly_outside_the_world_is_clamped():
    assert tm.tiles_for_bbox(-200, -95, 200, 95, 1) == [(0, 0), (1, 0), (0, 1), (1, 1)]
    assert tm.tile_for(180.0, -90.0, 3) == (7, 7)
    assert tm.tile_for(-180.0, 90.0, 3) == (0, 0)
    assert tm.tile_for(500.0, 89.9, 3) == (7, 0)
    assert tm.tiles_for_bbox(179.999, 85.05112, 185, 89, 14) == [(2**14 - 1, 0)]


def test_antimeridian_crossing_box():
    tiles = tm.tiles_for_bbox(170.0, -1.0, -170.0, 1.0, 4)  # west > east: across 180°
    assert {x for x, _ in tiles} == {15, 0}
    assert len(tiles) == tm.tile_count(170.0, -1.0, -170.0, 1.0, 4) == 4
    assert tiles[:2] == [(15, 7), (0, 7)]


def test_tile_urls_have_no_token():
    assert tile_url("https://tiles.mapillary.com/", "mly1_public", 14, 1, 2) == (
        "https://tiles.mapillary.com/maps/vtp/mly1_public/2/14/1/2"
    )
    assert xyz_template(DEFAULT_TILES_URL, "mly_map_feature_point") == (
        "https://tiles.mapillary.com/maps/vtp/mly_map_feature_point/2/{z}/{x}/{y}"
    )
    assert {name: t.layers for name, t in TILESETS.items()} == {
        "mly1_public": ("overview", "sequence", "image"),
        "mly1_computed_public": ("overview", "sequence", "image"),
        "mly_map_feature_point": ("point",),
        "mly_map_feature_traffic_sign": ("traffic_sign",),
    }
    assert all(t.max_zoom == 14 for t in TILESETS.values())


def test_merge_unique_keeps_first_occurrence():
    a = ImageRecord(2**50 + 1, 1.0, 2.0, 0)
    b = ImageRecord(2**50 + 1, 9.0, 9.0, 5)
    c = ImageRecord(7, 3.0, 4.0, 1)
    assert merge_unique([[a, c], [b], []]) == [a, c]
    assert merge_unique([["x", "y"], ["x"]], key=lambda s: s) == ["x", "y"]


def test_merge_sequences_joins_parts():
    p1, p2 = ((0.0, 0.0), (1.0, 1.0)), ((1.0, 1.0), (2.0, 2.0))
    s1 = SequenceRecord("abc", (p1,), image_id=5, captured_at=10)
    s2 = SequenceRecord("abc", (p2,), image_id=6, captured_at=11)
    other = SequenceRecord("xyz", (p1,))
    merged = merge_sequences([[s1, other], [s2]])
    assert merged == [SequenceRecord("abc", (p1, p2), image_id=5, captured_at=10), other]
    assert merge_sequences([[s1]])[0] is s1
