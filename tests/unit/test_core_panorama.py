"""Panoramas: which images are, the view's limits, and the reprojection checked against plain atan2 geometry."""

import math

import numpy as np
import pytest

from mapillary_qgis.core.panorama import (
    FOV_MAX,
    FOV_MIN,
    PITCH_LIMIT,
    LookupTables,
    Reprojector,
    clamp_view,
    heading,
    is_panorama,
    looks_equirectangular,
    vertical_fov,
)

W, H = 2048, 1024


def numbered(width=W, height=H):
    """A panorama whose every pixel holds its own flat index (row * width + column)."""
    return np.arange(width * height, dtype=np.uint32).reshape(height, width)


def places(w, h, yaw, pitch, fov, heading_deg, width=W, height=H):
    """Where each view pixel looks in the panorama, in pixels (column, row from the top), in float64."""
    f = (w / 2) / math.tan(math.radians(fov) / 2)
    x, y = np.meshgrid(np.arange(w) + 0.5 - w / 2, h / 2 - np.arange(h) - 0.5)
    p = math.radians(pitch)
    up, ahead = y * math.cos(p) + f * math.sin(p), f * math.cos(p) - y * math.sin(p)
    lon, lat = np.arctan2(x, ahead), np.arctan2(up, np.hypot(x, ahead))
    return (lon / (2 * math.pi) * width + width / 2 + ((yaw - heading_deg) / 360 % 1) * width,
            (0.5 - lat / math.pi) * height)


def reference(w, h, yaw, pitch, fov, heading_deg, width=W, height=H):
    """The panorama pixel of each view pixel, by the textbook formulas in float64."""
    column, row = places(w, h, yaw, pitch, fov, heading_deg, width, height)
    return np.clip(row.astype(int), 0, height - 1), np.floor(column).astype(int) % width


def bilinear(pixels, column, row):
    """Textbook bilinear sampling in float64 of (H, W) 0xAARRGGBB pixels: an (..., 4) array of channels."""
    height, width = pixels.shape
    channels = pixels.view(np.uint8).reshape(height, width, 4).astype(float)
    u, v = column - 0.5, np.clip(row - 0.5, 0, height - 1)
    i, j = np.floor(u).astype(int), np.minimum(np.floor(v).astype(int), height - 2)
    fx, fy = (u - i)[..., None], (v - j)[..., None]
    i0, i1 = i % width, (i + 1) % width
    return ((channels[j, i0] * (1 - fx) + channels[j, i1] * fx) * (1 - fy)
            + (channels[j + 1, i0] * (1 - fx) + channels[j + 1, i1] * fx) * fy)


@pytest.mark.parametrize("details,expected", [
    ({"camera_type": "spherical"}, True),
    ({"camera_type": "equirectangular", "is_pano": False}, True),
    ({"camera_type": "Spherical"}, True),
    ({"camera_type": "perspective", "is_pano": True}, False),  # the camera model is the better witness
    ({"camera_type": "fisheye"}, False),
    ({"is_pano": True}, True),  # no camera type: is_pano says
    ({"camera_type": None, "is_pano": True}, True),
    ({"camera_type": "something new", "is_pano": True}, True),
    ({"camera_type": 42, "is_pano": False}, False),
    ({"is_pano": "true"}, False),  # only a real boolean counts
    ({}, False),
])
def test_is_panorama(details, expected):
    assert is_panorama(details) is expected


def test_heading_prefers_the_compass_angle_then_the_computed_one():
    assert heading({"compass_angle": 370.0, "computed_compass_angle": 10}) == 10.0
    assert heading({"compass_angle": None, "computed_compass_angle": 90}) == 90.0
    assert heading({"compass_angle": float("nan"), "computed_compass_angle": -90}) == 270.0
    assert heading({"compass_angle": True}) is None and heading({}) is None


def test_limits():
    assert clamp_view(-10, 100, 5) == (350.0, PITCH_LIMIT, FOV_MIN)
    assert clamp_view(720, -100, 500) == (0.0, -PITCH_LIMIT, FOV_MAX)
    assert looks_equirectangular(2048, 1024) and looks_equirectangular(5760, 2880)
    assert not looks_equirectangular(1024, 768) and not looks_equirectangular(100, 0)
    assert vertical_fov(90, 400, 400) == pytest.approx(90)
    assert vertical_fov(90, 800, 400) == pytest.approx(2 * math.degrees(math.atan(0.5)))


@pytest.mark.parametrize("heading_deg", [0.0, 43.37, 200.0])
@pytest.mark.parametrize("yaw", [0.0, 90.0, 180.0, 270.0, 359.9])
def test_the_centre_of_the_view_looks_where_yaw_says(heading_deg, yaw):
    view = Reprojector(numbered(), heading_deg).render(200, 100, yaw, 0.0, 80)
    row, col = divmod(int(view[50, 100]), W)
    expected = (0.5 + (yaw - heading_deg) / 360.0) % 1.0 * W
    assert min(abs(col - expected), W - abs(col - expected)) <= 2
    assert abs(row - H / 2) <= 2  # the horizon, pitch 0


def test_the_centre_column_of_the_panorama_looks_along_its_heading():
    view = Reprojector(numbered(), 120.0).render(65, 33, 120.0, 0.0, 60)  # odd: a pixel on the view's axis
    assert int(view[16, 32]) % W == W // 2


def test_pitch_up_shows_the_top_and_down_the_bottom():
    up = Reprojector(numbered(), 0).render(200, 100, 0, PITCH_LIMIT, 60)
    down = Reprojector(numbered(), 0).render(200, 100, 0, -PITCH_LIMIT, 60)
    assert int(up[50, 100]) // W == pytest.approx((0.5 - PITCH_LIMIT / 180) * H, abs=2)
    assert int(down[50, 100]) // W == pytest.approx((0.5 + PITCH_LIMIT / 180) * H, abs=2)


@pytest.mark.parametrize("fov", [FOV_MIN, 60, 90, FOV_MAX])
def test_the_field_of_view_sets_how_much_of_the_horizon_is_seen(fov):
    view = Reprojector(numbered(), 0).render(400, 200, 0, 0, fov)
    left, right = int(view[100, 0]) % W, int(view[100, 399]) % W
    assert (right - left) % W == pytest.approx(fov / 360 * W, abs=4)


@pytest.mark.parametrize("size", [(640, 480), (641, 479), (1, 1), (2, 3), (1280, 720)])
@pytest.mark.parametrize("view", [(10, 0, 80), (200, 60, 110), (359, -85, 30), (90, 85, 110), (0, 0, 30)])
def test_the_lookup_tables_match_the_textbook_formulas(size, view):
    """Within a pixel (float32 rounding at cell borders) against atan2 in float64, for every pixel."""
    reprojector = Reprojector(numbered(), 30.0)
    got = reprojector.render(*size, *view).astype(np.int64)
    row, col = reference(*size, *view, 30.0)
    assert got.shape == (size[1], size[0])
    assert np.abs(got // W - row).max() <= 1
    off = np.abs(got % W - col)
    assert np.minimum(off, W - off).max() <= 1
    assert np.mean((got // W == row) & (got % W == col)) > 0.999


@pytest.mark.parametrize("size", [(420, 300), (33, 17), (1, 1)])
@pytest.mark.parametrize("view", [(10, 0, 80), (200, 60, 110), (359, -85, 30), (90, 85, 30), (0, 0, 30)])
def test_smooth_views_blend_the_four_nearest_pixels(size, view):
    """Random colours (the hardest case: any error in the place shows): every channel within 3 of float64
    bilinear sampling, on average within 0.5 (8-bit weights, float32 places)."""
    pixels = np.random.default_rng(7).integers(0, 2 ** 32, size=(H, W), dtype=np.uint32)
    got = Reprojector(pixels, 30.0).render(*size, *view, smooth=True)
    assert got.shape == (size[1], size[0]) and got.dtype == np.uint32
    channels = got.view(np.uint8).reshape(size[1], size[0], 4).astype(float)
    error = np.abs(channels - bilinear(pixels, *places(*size, *view, 30.0)))
    assert error.max() <= 3.0 and error.mean() <= 0.5


def test_smooth_views_are_smooth_and_keep_flat_colour():
    """A two-colour panorama: blended pixels lie between the two colours; a one-colour one stays exact."""
    stripes = np.where(np.arange(W) % 2 == 0, 0xFF000000, 0xFFFFFFFF).astype(np.uint32)[np.newaxis, :].repeat(H, 0)
    zoomed = Reprojector(stripes, 0).render(200, 100, 0, 0, 3, smooth=True)  # fov clamped to 30: ~3 px per column
    grey = zoomed.view(np.uint8).reshape(100, 200, 4)[..., 0]
    assert len(np.unique(grey)) > 10 and (zoomed >> 24 == 0xFF).all()
    assert np.array_equal(np.unique(grey), np.unique(zoomed.view(np.uint8).reshape(100, 200, 4)[..., 2]))
    flat = np.full((4, 8), 0xFF336699, np.uint32)
    assert (Reprojector(flat, 0).render(50, 40, 123, 45, 70, smooth=True) == 0xFF336699).all()
    one_row = np.array([[0xFF000000, 0xFFFFFFFF]], np.uint32)
    assert Reprojector(one_row, 0).render(4, 4, 0, 0, 60, smooth=True).shape == (4, 4)  # nearest: no row to blend


def test_turning_reuses_the_table_and_a_new_pitch_makes_a_new_one():
    reprojector = Reprojector(numbered(), 0)
    reprojector.render(64, 48, 0, 10, 80)
    table = reprojector._lookup(64, 48, 10, 80)
    reprojector.render(64, 48, 123, 10, 80, smooth=True)
    assert reprojector._lookup(64, 48, 10, 80)[0] is table[0]
    reprojector.render(64, 48, 123, 11, 80)
    reprojector.render(64, 48, 123, 12, 80)
    assert reprojector._lookup(64, 48, 10, 80)[0] is not table[0]  # two tables are kept, the oldest goes


def test_tables_are_shared_by_pictures_of_one_size_and_alternating_views():
    tables = LookupTables()
    first, sharper = Reprojector(numbered(), 10, tables), Reprojector(numbered() + 1, 250, tables)
    first.render(64, 48, 0, 10, 80)
    first.render(32, 24, 0, 10, 80)  # moving (half size) and still: both kept
    made = [tables.get((W, H, 64, 48, 10, 80)), tables.get((W, H, 32, 24, 10, 80))]
    assert None not in made
    assert np.array_equal(sharper.render(64, 48, 250, 10, 80), first.render(64, 48, 10, 10, 80) + 1)
    assert tables.get((W, H, 64, 48, 10, 80)) is made[0]
    other = Reprojector(numbered(1024, 512), 0, tables)
    other.render(64, 48, 0, 10, 80)  # another picture size: its own table, the least recently used goes
    assert tables.get((1024, 512, 64, 48, 10, 80)) is not None and tables.get((W, H, 32, 24, 10, 80)) is None


def test_pixels_are_copied_as_they_are():
    colours = np.array([[0xFF102030, 0xFF405060], [0xFF708090, 0xFFA0B0C0]], dtype=np.uint32)
    view = Reprojector(np.repeat(np.repeat(colours, 4, axis=0), 8, axis=1), 0).render(5, 5, 0, 0, 60)
    assert set(np.unique(view)) <= set(colours.ravel())


def test_bad_input():
    for view in ((math.nan, 0, 60), (0, math.inf, 60), (0, 0, -math.inf)):
        with pytest.raises(ValueError):
            clamp_view(*view)
        with pytest.raises(ValueError):
            Reprojector(numbered(8, 4)).render(10, 10, *view)
    with pytest.raises(ValueError):
        Reprojector(np.zeros((0, 0), np.uint32))
    with pytest.raises(ValueError):
        Reprojector(np.zeros(8, np.uint32))
    with pytest.raises(ValueError):
        Reprojector(numbered(8, 4)).render(0, 10, 0, 0, 60)
