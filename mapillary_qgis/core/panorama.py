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
view, the pixel of the panorama it shows (nearest neighbour). The table
depends on the view's size, pitch and field of view; turning left or right
only shifts its columns, so a drag along the horizon costs one addition, a
modulo and a gather per pixel.
"""

from __future__ import annotations

import math
from typing import Optional, Tuple

import numpy as np

FOV_MIN, FOV_MAX, FOV_DEFAULT = 30.0, 110.0, 80.0
PITCH_LIMIT = 85.0
_PANORAMA_TYPES = ("spherical", "equirectangular")
_FLAT_TYPES = ("perspective", "fisheye", "brown", "fisheye_opencv", "radial")
_ASPECT = (1.9, 2.1)  # an equirectangular picture is 2:1; anything else is shown flat


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
    """`yaw` in [0, 360), `pitch` within ±PITCH_LIMIT, `fov` within FOV_MIN..FOV_MAX."""
    return (float(yaw) % 360.0, min(max(float(pitch), -PITCH_LIMIT), PITCH_LIMIT),
            min(max(float(fov), FOV_MIN), FOV_MAX))


def vertical_fov(fov: float, width: int, height: int) -> float:
    """The vertical field of view of a `width` x `height` view whose horizontal one is `fov`."""
    return math.degrees(2.0 * math.atan(math.tan(math.radians(fov) / 2.0) * height / max(width, 1)))


class Reprojector:
    """Views of one panorama, `pixels` an (H, W) array of 32-bit pixels (any packing: they are copied as they are)."""

    def __init__(self, pixels: np.ndarray, heading_deg: float = 0.0):
        if pixels.ndim != 2 or pixels.size == 0:
            raise ValueError("a panorama is a non-empty 2-D array of pixels")
        self.height, self.width = pixels.shape
        self.heading = float(heading_deg) % 360.0
        self._flat = np.ascontiguousarray(pixels).reshape(-1)
        self._table: Optional[tuple] = None  # (key, row offsets, column of yaw = heading)

    def render(self, width: int, height: int, yaw: float, pitch: float, fov: float) -> np.ndarray:
        """The (height, width) view looking at compass `yaw`, `pitch` up, `fov` wide (clamped as `clamp_view`)."""
        if width <= 0 or height <= 0:
            raise ValueError("a view needs a positive size")
        yaw, pitch, fov = clamp_view(yaw, pitch, fov)
        rows, columns = self._lookup(width, height, round(pitch, 3), round(fov, 3))
        shift = ((yaw - self.heading) / 360.0 % 1.0) * self.width
        index = np.add(columns, np.float32(shift)).astype(np.int32)
        np.remainder(index, self.width, out=index)
        index += rows
        return self._flat.take(index)

    def _lookup(self, width: int, height: int, pitch: float, fov: float) -> tuple:
        """Per view pixel: the panorama row's offset (row * W) and the column (float) when yaw is the heading."""
        key = (width, height, pitch, fov)
        if self._table is not None and self._table[0] == key:
            return self._table[1], self._table[2]
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
        right_rows = ((np.float32(0.5) - lat * np.float32(1.0 / math.pi)) * np.float32(self.height)).astype(np.int32)
        np.clip(right_rows, 0, self.height - 1, out=right_rows)
        right_rows *= self.width
        mirrored = width - x.shape[1]
        columns = np.empty((height, width), dtype=np.float32)
        rows = np.empty((height, width), dtype=np.int32)
        columns[:, mirrored:] = right
        rows[:, mirrored:] = right_rows
        if mirrored:
            columns[:, :mirrored] = np.float32(self.width) - right[:, :-mirrored - 1:-1]
            rows[:, :mirrored] = right_rows[:, :-mirrored - 1:-1]
        self._table = (key, rows, columns)
        return rows, columns
