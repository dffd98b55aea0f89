"""Which images see a place: the field-of-view rule, panoramas, distances in metres, ranking, the grid."""

import math

import numpy as np
import pytest

from mapillary_qgis.core.records import ImageRecord
from mapillary_qgis.core.seeing import (
    DEFAULT_FOV_DEG,
    Grid,
    by_date,
    columns,
    fov_from_camera,
    seen_from,
)

P = (-9.1400, 38.7100)  # lon, lat
M_PER_DEG_LAT = 6_371_008.8 * math.pi / 180


def at(east_m, north_m):
    """lon, lat of a point east_m / north_m metres from P."""
    lon = P[0] + east_m / (M_PER_DEG_LAT * math.cos(math.radians(P[1])))
    return lon, P[1] + north_m / M_PER_DEG_LAT


def image(image_id, east_m, north_m, compass, pano=False, captured_at=1_500_000_000_000, sequence="s"):
    lon, lat = at(east_m, north_m)
    return ImageRecord(image_id, lon, lat, captured_at, compass, sequence, pano, 1, None)


def ids(found):
    return [item["id"] for item in found]


def test_a_point_behind_an_image_is_not_seen_a_panorama_sees_it():
    images = columns([
        image(1, 0, -10, 0.0),  # 10 m south, looking north: at P
        image(2, 0, -10, 180.0),  # looking south: P is behind it
        image(3, 0, -10, 180.0, pano=True),  # a panorama sees every way
        image(4, 0, -10, 0.0 + DEFAULT_FOV_DEG / 2 + 1),  # P just outside the view
        image(5, 0, -10, None),  # no compass angle: cannot be said to look at P
    ])
    found = seen_from(images, *P)
    assert sorted(ids(found)) == [1, 3]
    assert sorted(ids(seen_from(images, *P, looking_at=False))) == [1, 2, 3, 4, 5]
    first = next(item for item in found if item["id"] == 1)
    assert first["bearing_offset"] == pytest.approx(0.0, abs=0.1)
    assert first["distance_m"] == pytest.approx(10.0, abs=0.05) and first["is_pano"] is False


def test_distance_limit_in_metres_any_direction():
    images = columns([image(1, 21, 0, 270.0), image(2, 0, 29.5, 180.0), image(3, 0, 31, 180.0),
                      image(4, -20, -20, 45.0)])
    found = seen_from(images, *P, max_distance=30)
    assert sorted(ids(found)) == [1, 2, 4]
    assert {i["id"]: i["distance_m"] for i in found}[4] == pytest.approx(math.hypot(20, 20), abs=0.05)
    assert ids(seen_from(images, *P, max_distance=22)) == [1]


def test_ranking_prefers_facing_and_near():
    images = columns([
        image(1, 0, -10, 0.0),  # 10 m, straight at P
        image(2, 0, -5, 28.0),  # 5 m, P at the edge of its view
        image(3, 0, -20, 0.0),  # 20 m, straight at P
        image(4, 0, -25, 90.0, pano=True),  # 25 m, a panorama
    ])
    assert ids(seen_from(images, *P)) == [1, 2, 3, 4]
    scores = [item["score"] for item in seen_from(images, *P)]
    assert scores == sorted(scores)


def test_nothing_near_is_an_empty_list():
    assert seen_from(columns([image(1, 500, 0, 270.0)]), *P) == []
    assert seen_from(columns([]), *P) == []


def test_a_known_camera_field_of_view_is_used():
    images = columns([image(1, 0, -10, 40.0)])  # P 40 degrees off its axis
    assert seen_from(images, *P) == []  # the default 60 degrees do not reach
    assert ids(seen_from(images, *P, fov_of=lambda i: 100.0)) == [1]


def test_field_of_view_from_graph_camera_fields():
    assert fov_from_camera("perspective", [0.8, 0, 0]) == pytest.approx(2 * math.degrees(math.atan(1 / 1.6)))
    assert fov_from_camera("perspective", [0.8, 0, 0], 3000, 4000) < fov_from_camera("perspective", [0.8, 0, 0])
    assert fov_from_camera("spherical", None) == fov_from_camera("equirectangular", []) == 360.0
    for bad in ([], None, ["x"], [0], [-1], [float("nan")], {"0": 0.8}, "0.8", [10**400]):
        assert fov_from_camera("perspective", bad) is None
    assert fov_from_camera("perspective", [0.8], [3000], "4000") == fov_from_camera("perspective", [0.8])
    assert fov_from_camera("unknown-kind", [0.8]) is None


def test_a_fisheye_field_of_view_follows_the_equidistant_model():
    assert fov_from_camera("fisheye", [0.5, 0, 0]) == pytest.approx(math.degrees(2 * (0.5 / 0.5)))  # 2 rad, 114.6
    assert fov_from_camera("fisheye", [0.5]) > fov_from_camera("perspective", [0.5])  # wider than a pinhole
    assert fov_from_camera("fisheye", [0.3, 0, 0]) == 180.0  # 191 degrees: counted as 180
    assert fov_from_camera("fisheye", [0.5], 3000, 4000) == pytest.approx(math.degrees(0.75 / 0.5))


def test_grid_finds_the_same_as_a_full_scan():
    rng = np.random.default_rng(7)
    records = [image(i + 1, float(e), float(n), float(c), pano=bool(i % 7 == 0))
               for i, (e, n, c) in enumerate(zip(rng.uniform(-300, 300, 3000), rng.uniform(-300, 300, 3000),
                                                 rng.uniform(0, 360, 3000)))]
    images = columns(records)
    grid = Grid(images, 30)
    for east, north in rng.uniform(-280, 280, (40, 2)):
        lon, lat = at(east, north)
        assert seen_from(images, lon, lat, candidates=grid.near(lon, lat)) == seen_from(images, lon, lat)


def test_groups_by_day_newest_first():
    day = 86_400_000
    found = [{"id": 1, "captured_at": 10 * day + 5}, {"id": 2, "captured_at": 12 * day},
             {"id": 3, "captured_at": 10 * day + 9}]
    assert [(d, ids(items)) for d, items in by_date(found)] == [("1970-01-13", [2]), ("1970-01-11", [1, 3])]


def test_line_coverage_share_count_and_dates():
    from mapillary_qgis.core.seeing import line_coverage

    west, east = at(-50, 0), at(50, 0)  # a 100 m street from west to east through P
    images = columns([image(1, -40, 5, 90.0, captured_at=1_000), image(2, -30, -5, 90.0, captured_at=5_000),
                      image(3, 200, 0, 90.0, captured_at=9_000)])  # the third is far off
    coverage = line_coverage([[west, east]], images, max_distance=20)
    # images at x = -40 and -30, 5 m off the line: sqrt(20^2 - 5^2) = 19.4 m either side -> x from -50 to -10.6
    assert coverage.covered_share == pytest.approx((50 - 10.6) / 100, abs=0.02)
    assert (coverage.image_count, coverage.oldest, coverage.newest) == (2, 1_000, 5_000)
    none = line_coverage([[west, east]], columns([image(3, 200, 0, 90.0)]), max_distance=20)
    assert (none.covered_share, none.image_count, none.oldest, none.newest) == (0.0, 0, None, None)
    full = line_coverage([[west, at(0, 0)], [at(0, 0), east]], columns([image(1, 0, 0, 0.0)]), max_distance=60)
    assert full.covered_share == pytest.approx(1.0) and full.image_count == 1
    assert line_coverage([], images, 20).covered_share == 0.0


def test_same_place_other_dates():
    from mapillary_qgis.core.seeing import older_newer, same_view

    images = columns([
        image(1, 0, 0, 90.0, captured_at=5_000, sequence="mine"),
        image(2, 2, 3, 100.0, captured_at=1_000, sequence="other"),  # near, same way, older
        image(3, -4, 1, 80.0, captured_at=9_000, sequence="third"),  # near, same way, newer
        image(4, 3, 0, 270.0, captured_at=2_000, sequence="other"),  # looking the other way
        image(5, 1, 1, 270.0, captured_at=3_000, sequence="pano", pano=True),  # a panorama: every way
        image(6, 40, 0, 90.0, captured_at=4_000, sequence="far"),  # too far
        image(7, 1, 0, 90.0, captured_at=6_000, sequence="mine"),  # the same sequence
    ])
    others = same_view(images, *P, 90.0, "mine")
    assert [o["id"] for o in others] == [2, 5, 3]  # oldest first
    older, newer = older_newer(others, 5_000)
    assert (older["id"], newer["id"]) == (5, 3)
    assert older_newer(others, 500) == (None, others[0])
    assert same_view(columns([]), *P, 90.0, "mine") == []
