"""The pictures behind the fake's thumbnail URLs: a gradient for flat images, a synthetic panorama for 360° ones.

A panorama is equirectangular (2:1) and coloured by *compass direction*, so a
test knows what a view must show whatever the image's compass angle: its
centre column looks along `compass_angle`, as Mapillary's do. Around the
horizon (within 20° of it) the colour says where it looks: red towards north,
green east, blue south, yellow west (each ±45°), with a dark line at 15°, 45°, 75°, ...;
above, sky blue and, higher than 45°, white (the top); below, grey ground and,
lower than -45°, black.
"""

import secrets
import threading
from collections import OrderedDict
from typing import Optional

import numpy as np
from osgeo import gdal

from .mvt import read_vsimem

DIRECTION_COLOURS = {0: (220, 30, 30), 90: (30, 190, 60), 180: (40, 70, 230), 270: (235, 210, 40)}
SKY, TOP, GROUND, BOTTOM = (120, 180, 235), (255, 255, 255), (110, 110, 110), (0, 0, 0)
PANORAMA_SIZES = {"thumb_256_url": 256, "thumb_1024_url": 1024, "thumb_2048_url": 2048, "thumb_original_url": 4096}
_CACHED = 48  # encoded panoramas kept (a 2048 one costs ~30 ms to make)


def panorama_rgb(width: int, heading: float) -> np.ndarray:
    """The (width / 2, width, 3) uint8 panorama whose centre column looks along compass `heading`."""
    height = width // 2
    bearing = (heading + ((np.arange(width) + 0.5) / width - 0.5) * 360.0) % 360.0
    lat = 90.0 - (np.arange(height) + 0.5) / height * 180.0
    quadrant = (((bearing + 45.0) % 360.0) // 90.0).astype(int) * 90
    band = np.array([DIRECTION_COLOURS[q] for q in quadrant], dtype=np.uint8)
    band[np.abs(bearing % 30.0 - 15.0) < 0.6] //= 3  # a dark line every 30°, halfway between the cardinals
    rgb = np.empty((height, width, 3), dtype=np.uint8)
    for rows, colour in ((lat > 45, TOP), ((lat > 20) & (lat <= 45), SKY), ((lat < -20) & (lat >= -45), GROUND),
                         (lat < -45, BOTTOM)):
        rgb[rows] = colour
    rgb[np.abs(lat) <= 20] = band
    return rgb


def jpeg(rgb: np.ndarray, quality: int = 85) -> bytes:
    """`rgb` ((h, w, 3) uint8) as JPEG bytes, written by GDAL."""
    height, width, _ = rgb.shape
    raster = gdal.GetDriverByName("MEM").Create("", width, height, 3, gdal.GDT_Byte)
    for band in range(3):
        raster.GetRasterBand(band + 1).WriteRaster(0, 0, width, height, np.ascontiguousarray(rgb[:, :, band]).tobytes())
    path = f"/vsimem/fake_mapillary_picture_{secrets.token_hex(4)}.jpg"
    gdal.GetDriverByName("JPEG").CreateCopy(path, raster, options=[f"QUALITY={quality}"])
    try:
        return read_vsimem(path)
    finally:
        gdal.Unlink(path)


def gradient_rgb(width: int, height: int) -> np.ndarray:
    x = np.arange(width) * 255 // max(width - 1, 1)
    row = np.stack([(x + band * 60) % 256 for band in range(3)], axis=-1).astype(np.uint8)
    return np.repeat(row[np.newaxis], height, axis=0)


class Pictures:
    """The bytes served for a thumbnail field of an image; `serve` overrides them for a test."""

    def __init__(self):
        self._lock = threading.Lock()
        self._flat: Optional[bytes] = None
        self._panoramas: OrderedDict[tuple, bytes] = OrderedDict()
        self._served: dict[str, dict[Optional[str], bytes]] = {}

    def serve(self, image_id, data: bytes, field: Optional[str] = None) -> None:
        """Serve `data` for `image_id`'s `field` (None: every field without one of its own)."""
        with self._lock:
            self._served.setdefault(str(image_id), {})[field] = bytes(data)

    def picture(self, image_id: str, field: str, entity: Optional[dict]) -> bytes:
        with self._lock:
            served = self._served.get(image_id, {})
            if field in served or None in served:
                return served.get(field, served.get(None))
        if entity is not None and entity.get("is_pano") is True and field in PANORAMA_SIZES:
            return self._panorama(image_id, PANORAMA_SIZES[field], float(entity.get("compass_angle") or 0.0))
        with self._lock:
            if self._flat is None:
                self._flat = jpeg(gradient_rgb(256, 192), quality=80)
            return self._flat

    def _panorama(self, image_id: str, width: int, heading: float) -> bytes:
        key = (image_id, width, heading)
        with self._lock:
            if key in self._panoramas:
                self._panoramas.move_to_end(key)
                return self._panoramas[key]
        data = jpeg(panorama_rgb(width, heading))
        with self._lock:
            self._panoramas[key] = data
            while len(self._panoramas) > _CACHED:
                self._panoramas.popitem(last=False)
        return data
