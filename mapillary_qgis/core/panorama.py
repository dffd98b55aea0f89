"""Perspective views of 360° panoramas: which images are panoramas, the view's limits, and the reprojection.

Pure numpy, no Qt. A Mapillary panorama is an equirectangular picture, twice
as wide as high: a column is a compass direction, a row a height angle. Its
centre column looks along the image's compass angle (`heading`), so the
column of compass direction `d` is at `(0.5 + (d - heading) / 360) * width`;
the top row looks straight up.

A view is the picture a pinhole camera standing at the panorama's centre
would take: `yaw` (compass degrees, 0 = north, clockwise), `pitch` (degrees
up) and `fov` (the horizontal field of view in degrees). `Reprojector`
turns one panorama into views with lookup tables: for each pixel of the
view, the place in the panorama it shows. The table depends on the view's
size, pitch and field of view; turning left or right only shifts its
columns, so a drag along the horizon costs one addition, a modulo and a
gather per pixel (the nearest pixel). A still view is drawn `smooth`:
bilinear, the four neighbours blended in 8-bit fixed point on the packed
pixels, two channels at a time (about five times the nearest's cost).
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from typing import Optional, Tuple

import numpy as np

FOV_MIN, FOV_MAX, FOV_DEFAULT = 30.0, 110.0, 80.0
PITCH_LIMIT = 85.0
_PANORAMA_TYPES = ("spherical", "equirectangular")
_FLAT_TYPES = ("perspective", "fisheye", "brown", "fisheye_opencv", "radial")
_ASPECT = (1.9, 2.1)  # an equirectangular picture is 2:1; anything else is shown flat
_LANES = np.uint32(0x00FF00FF)  # two 8-bit channels of a packed pixel, each with 8 bits of room above it
_HALVES = np.uint32(0x00800080)  # a half in each lane, to round a blend instead of truncating it


def is_panorama(details: dict) -> bool:
    """Whether Graph `details` describe a 360° panorama.

    `camera_type` decides where it names a known camera (spherical and
    equirectangular are panoramas; perspective and fisheye are not); where it
    is missing or unknown, `is_pano` does.
    """
    camera_type = details.get("camera_type")
    if isinstance(camera_type, str):
        kind = camera_type.lower()
        if kind in _PANORAMA_TYPES:
            return True
        if kind in _FLAT_TYPES:
            return False
    return details.get("is_pano") is True


def heading(details: dict) -> Optional[float]:
    """The compass direction of the panorama's centre column: `compass_angle`, else the computed one."""
    for key in ("compass_angle", "computed_compass_angle"):
        value = details.get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
            return float(value) % 360.0
    return None


def looks_equirectangular(width: int, height: int) -> bool:
    """Whether a picture of this size can be a full panorama (2:1, give or take 5 %)."""
    return height > 0 and _ASPECT[0] <= width / height <= _ASPECT[1]


def clamp_view(yaw: float, pitch: float, fov: float) -> Tuple[float, float, float]:
    """`yaw` in [0, 360), `pitch` within ±PITCH_LIMIT, `fov` within FOV_MIN..FOV_MAX; ValueError for a value
    that is not a finite number."""
    if not all(math.isfinite(float(value)) for value in (yaw, pitch, fov)):
        raise ValueError("a view is three finite numbers")
    return (float(yaw) % 360.0, min(max(float(pitch), -PITCH_LIMIT), PITCH_LIMIT),
            min(max(float(fov), FOV_MIN), FOV_MAX))


def vertical_fov(fov: float, width: int, height: int) -> float:
    """The vertical field of view of a `width` x `height` view whose horizontal one is `fov`."""
    return math.degrees(2.0 * math.atan(math.tan(math.radians(fov) / 2.0) * height / max(width, 1)))


class LookupTables:
    """The last few lookup tables, shared by the panoramas one view shows one after the other (a table
    depends on the panorama's size and the view, not on the picture): a sharper picture, the next image
    of a sequence or a view that alternates between two sizes (moving, still) reuse theirs."""

    def __init__(self, keep: int = 2):
        self._keep = keep
        self._tables: OrderedDict = OrderedDict()
        self._lock = threading.Lock()  # a smooth frame may be drawn in another thread; tables are read-only

    def get(self, key: tuple) -> Optional[tuple]:
        with self._lock:
            table = self._tables.get(key)
            if table is not None:
                self._tables.move_to_end(key)
            return table

    def put(self, key: tuple, table: tuple) -> None:
        with self._lock:
            self._tables[key] = table
            self._tables.move_to_end(key)
            while len(self._tables) > self._keep:
                self._tables.popitem(last=False)


class Reprojector:
    """Views of one panorama, `pixels` an (H, W) array of 32-bit pixels (any packing: they are copied as they are).
    `tables` may be shared between reprojectors (one of its own by default)."""

    def __init__(self, pixels: np.ndarray, heading_deg: float = 0.0, tables: Optional[LookupTables] = None):
        if pixels.ndim != 2 or pixels.size == 0:
            raise ValueError("a panorama is a non-empty 2-D array of pixels")
        self.height, self.width = pixels.shape
        self.heading = float(heading_deg) % 360.0
        self._flat = np.ascontiguousarray(pixels).reshape(-1)
        self.tables = tables if tables is not None else LookupTables()

    def render(self, width: int, height: int, yaw: float, pitch: float, fov: float,
               smooth: bool = False) -> np.ndarray:
        """The (height, width) view looking at compass `yaw`, `pitch` up, `fov` wide (clamped as `clamp_view`):
        each pixel the nearest of the panorama's, or with `smooth` its four nearest blended (bilinear)."""
        if width <= 0 or height <= 0:
            raise ValueError("a view needs a positive size")
        yaw, pitch, fov = clamp_view(yaw, pitch, fov)
        rows, columns, top, down = self._lookup(width, height, round(pitch, 3), round(fov, 3))
        shift = ((yaw - self.heading) / 360.0 % 1.0) * self.width
        if smooth and self.height > 1:
            return self._blend(columns, shift, top, down)
        index = np.add(columns, np.float32(shift)).astype(np.int32)
        np.remainder(index, self.width, out=index)
        index += rows
        return self._flat.take(index)

    def _blend(self, columns: np.ndarray, shift: float, top: np.ndarray, down: np.ndarray) -> np.ndarray:
        """Bilinear: per view pixel the two columns either side of its place and the two rows above and below."""
        # Pixel centres are at .5: the place's offset from the centre on its left, in 256ths of a pixel.
        fixed = np.add(columns, np.float32(shift - 0.5))
        fixed *= np.float32(256.0)
        fixed = fixed.astype(np.int32)
        right = (fixed & 255).view(np.uint32)
        fixed >>= 8  # an arithmetic shift: floor, also left of column 0
        left = np.remainder(fixed, self.width, out=fixed)
        other = left + 1
        other[other == self.width] = 0  # the panorama wraps around
        flat = self._flat
        upper = _mix(flat.take(top + left), flat.take(top + other), right)
        lower = top + self.width
        return _mix(upper, _mix(flat.take(lower + left), flat.take(lower + other), right), down)

    def _lookup(self, width: int, height: int, pitch: float, fov: float) -> tuple:
        """Per view pixel, where it looks in the panorama when yaw is the heading: the nearest row's offset
        (row * W), the column (float), and for blending the offset of the row above the place and the
        place's distance below it (0..256)."""
        key = (self.width, self.height, width, height, pitch, fov)
        found = self.tables.get(key)
        if found is not None:
            return found
        focal = np.float32((width / 2.0) / math.tan(math.radians(fov) / 2.0))
        # The view is symmetric about its centre column: the right half (x >= 0) is computed, the left mirrored.
        xs = np.arange(width, dtype=np.float32) + np.float32(0.5 - width / 2.0)
        x = xs[xs >= 0][np.newaxis, :]
        y = (np.float32(height / 2.0) - np.arange(height, dtype=np.float32) - np.float32(0.5))[:, np.newaxis]
        up, ahead = np.float32(math.sin(math.radians(pitch))), np.float32(math.cos(math.radians(pitch)))
        # The camera tilted up by `pitch`: a row's rays share their upward and forward parts.
        ray_up = y * ahead + focal * up
        ray_ahead = focal * ahead - y * up
        x2 = x * x
        lat = np.arcsin(np.clip(ray_up / np.sqrt(x2 + (y * y + focal * focal)), -1.0, 1.0))  # radians up
        # Half the angle right of the view's direction, 0..pi/2: atan2(x, a) = 2 atan(x / (hypot(x, a) + a)),
        # a third of atan2's time; straight behind (x = 0, a < 0) is 0 / 0, i.e. half of pi.
        across = np.sqrt(x2 + ray_ahead * ray_ahead)
        with np.errstate(divide="ignore", invalid="ignore"):
            half = np.arctan(x / (across + ray_ahead))
        half = np.nan_to_num(half, nan=np.float32(math.pi / 2.0))
        right = half * np.float32(self.width / math.pi) + np.float32(self.width / 2.0)
        place = (np.float32(0.5) - lat * np.float32(1.0 / math.pi)) * np.float32(self.height)  # rows from the top
        right_rows = place.astype(np.int32)
        np.clip(right_rows, 0, self.height - 1, out=right_rows)
        right_rows *= self.width
        # Blending: the row centre above the place (never the last row, whose pair would fall off the picture).
        place -= np.float32(0.5)
        np.clip(place, 0, max(self.height - 1, 0), out=place)
        right_top = np.minimum(place.astype(np.int32), max(self.height - 2, 0))
        right_down = ((place - right_top) * np.float32(256.0) + np.float32(0.5)).astype(np.uint32)
        right_top *= self.width
        mirrored = width - x.shape[1]
        table = []
        for half_table, dtype in ((right_rows, np.int32), (right, np.float32), (right_top, np.int32),
                                  (right_down, np.uint32)):
            full = np.empty((height, width), dtype=dtype)
            full[:, mirrored:] = half_table
            if mirrored:
                full[:, :mirrored] = half_table[:, :-mirrored - 1:-1]
            table.append(full)
        if mirrored:  # a column mirrored about the centre is the same distance the other way round
            table[1][:, :mirrored] = np.float32(self.width) - table[1][:, :mirrored]
        self.tables.put(key, tuple(table))
        return tuple(table)


def _mix(a: np.ndarray, b: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """Packed 32-bit pixels `a` and `b` blended channel by channel, `weight` (0..256) of `b`; overwrites `b`."""
    keep = np.uint32(256) - weight
    low = (a & _LANES) * keep
    low += (b & _LANES) * weight
    low += _HALVES
    low >>= 8
    low &= _LANES
    high = ((a >> 8) & _LANES) * keep
    np.right_shift(b, 8, out=b)
    b &= _LANES
    b *= weight
    high += b
    high += _HALVES
    high &= ~_LANES
    high |= low
    return high
