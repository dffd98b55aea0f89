"""Web-Mercator (XYZ) tile arithmetic in WGS84 longitude/latitude."""

import math

BBox = tuple[float, float, float, float]


def lonlat_to_tile(lon: float, lat: float, z: int) -> tuple[float, float]:
    """Fractional tile coordinates of a point at zoom ``z``."""
    n = 2**z
    x = (lon + 180.0) / 360.0 * n
    y = (1.0 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2.0 * n
    return x, y


def tile_for(lon: float, lat: float, z: int) -> tuple[int, int]:
    """The tile ``(x, y)`` containing a point at zoom ``z``."""
    x, y = lonlat_to_tile(lon, lat, z)
    return int(x), int(y)


def tile_to_lonlat(x: float, y: float, z: int) -> tuple[float, float]:
    """Longitude/latitude of fractional tile coordinates (tile corners for integers)."""
    n = 2**z
    lon = x / n * 360.0 - 180.0
    lat = math.degrees(math.atan(math.sinh(math.pi * (1.0 - 2.0 * y / n))))
    return lon, lat


def tile_bounds(z: int, x: int, y: int, margin: float = 0.0) -> BBox:
    """``(min_lon, min_lat, max_lon, max_lat)`` of a tile, grown by ``margin`` tile widths."""
    min_lon, max_lat = tile_to_lonlat(x - margin, y - margin, z)
    max_lon, min_lat = tile_to_lonlat(x + 1 + margin, y + 1 + margin, z)
    return min_lon, min_lat, max_lon, max_lat


def in_bbox(lon: float, lat: float, bbox: BBox) -> bool:
    return bbox[0] <= lon <= bbox[2] and bbox[1] <= lat <= bbox[3]


def bboxes_intersect(a: BBox, b: BBox) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]
