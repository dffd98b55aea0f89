"""Web-Mercator XYZ tile arithmetic (EPSG:3857 tiles, y growing southwards). Pure math."""

from __future__ import annotations

import math
from itertools import repeat
from operator import truediv
from typing import Iterable, List, Tuple

EARTH_RADIUS = 6378137.0
HALF_WORLD = math.pi * EARTH_RADIUS  # 20037508.342789244: the Mercator x of longitude 180
MAX_LAT = math.degrees(math.atan(math.sinh(math.pi)))  # 85.0511287798...: the edge of the tile pyramid
_EPS = 1e-9  # in tile units (about 2 micrometres at z14): absorbs rounding on tile edges

Tile = Tuple[int, int]


def lonlat_to_mercator(lon: float, lat: float) -> tuple[float, float]:
    """EPSG:4326 to EPSG:3857, latitude clamped to the tile pyramid."""
    lat = max(-MAX_LAT, min(MAX_LAT, lat))
    return math.radians(lon) * EARTH_RADIUS, math.asinh(math.tan(math.radians(lat))) * EARTH_RADIUS


def mercator_to_lonlat(mx: float, my: float) -> tuple[float, float]:
    """EPSG:3857 to EPSG:4326."""
    return math.degrees(mx / EARTH_RADIUS), mercator_y_to_lat(my)


def mercator_y_to_lat(my: float) -> float:
    """The latitude of an EPSG:3857 y."""
    return math.degrees(math.atan(math.sinh(my / EARTH_RADIUS)))


def mercator_ys_to_lats(ys: Iterable[float]) -> List[float]:
    """`mercator_y_to_lat` of each y: the same operations, so the same bits, without a Python call per y."""
    return list(map(math.degrees, map(math.atan, map(math.sinh, map(truediv, ys, repeat(EARTH_RADIUS))))))


def lonlat_to_tile_fraction(lon: float, lat: float, z: int) -> tuple[float, float]:
    """Fractional tile coordinates of a point at zoom `z` (longitude and latitude clamped)."""
    n = 2**z
    lon = max(-180.0, min(180.0, lon))
    lat = max(-MAX_LAT, min(MAX_LAT, lat))
    x = (lon + 180.0) / 360.0 * n
    y = (1.0 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2.0 * n
    return x, y


def tile_for(lon: float, lat: float, z: int) -> Tile:
    """The tile `(x, y)` that holds a point at zoom `z`; points on the world's edge get the edge tile."""
    fx, fy = lonlat_to_tile_fraction(lon, lat, z)
    last = 2**z - 1
    return min(last, int(fx)), min(last, int(fy))


def tile_to_lonlat(fx: float, fy: float, z: int) -> tuple[float, float]:
    """Longitude/latitude of fractional tile coordinates (a tile's north-west corner for integers)."""
    n = 2**z
    return fx / n * 360.0 - 180.0, math.degrees(math.atan(math.sinh(math.pi * (1.0 - 2.0 * fy / n))))


def tile_bounds_lonlat(z: int, x: int, y: int) -> tuple[float, float, float, float]:
    """`(west, south, east, north)` of a tile in degrees."""
    west, north = tile_to_lonlat(x, y, z)
    east, south = tile_to_lonlat(x + 1, y + 1, z)
    return west, south, east, north


def tile_bounds_mercator(z: int, x: int, y: int) -> tuple[float, float, float, float]:
    """`(min_x, min_y, max_x, max_y)` of a tile in EPSG:3857 metres."""
    size = 2.0 * HALF_WORLD / 2**z
    min_x = -HALF_WORLD + x * size
    max_y = HALF_WORLD - y * size
    return min_x, max_y - size, min_x + size, max_y


def tile_range(west: float, south: float, east: float, north: float, z: int = 14) -> tuple[int, int, int, int]:
    """`(x_min, y_min, x_max, y_max)`, inclusive, of the tiles that cover a bounding box.

    Coordinates are clamped to the pyramid. An edge lying exactly on a tile
    border does not pull in the tile beyond it. When `west > east` the box
    crosses the antimeridian and `x_min > x_max`.
    """
    fx0, fy0 = lonlat_to_tile_fraction(west, north, z)
    fx1, fy1 = lonlat_to_tile_fraction(east, south, z)
    last = 2**z - 1
    x0 = min(last, math.floor(fx0 + _EPS))
    y0 = min(last, math.floor(fy0 + _EPS))
    x1 = min(last, max(0, math.ceil(fx1 - _EPS) - 1))
    y1 = min(last, max(y0, math.ceil(fy1 - _EPS) - 1))
    if west <= east:
        x1 = max(x0, x1)
    return x0, y0, x1, y1


def tile_count(west: float, south: float, east: float, north: float, z: int = 14) -> int:
    """How many tiles `tiles_for_bbox` returns, without listing them."""
    x0, y0, x1, y1 = tile_range(west, south, east, north, z)
    columns = x1 - x0 + 1 if x0 <= x1 else (2**z - x0) + (x1 + 1)
    return columns * (y1 - y0 + 1)


def tiles_for_bbox(west: float, south: float, east: float, north: float, z: int = 14) -> List[Tile]:
    """The `(x, y)` tiles at zoom `z` covering a lon/lat box, row by row from the north-west."""
    x0, y0, x1, y1 = tile_range(west, south, east, north, z)
    columns = list(range(x0, x1 + 1)) if x0 <= x1 else list(range(x0, 2**z)) + list(range(0, x1 + 1))
    return [(x, y) for y in range(y0, y1 + 1) for x in columns]
