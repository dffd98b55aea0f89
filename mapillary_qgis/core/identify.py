"""What a click on the map means: the tiles to read, the nearest image, and how to present it.

Pure math and text; the records come from `TileSource.load` (exact ids).
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone, tzinfo
from typing import Iterable, List, Optional, Tuple, TypeVar, Union
from urllib.parse import quote
from zoneinfo import ZoneInfo

from .graph import position
from .tilemath import MAX_LAT, tile_for, tiles_for_bbox

EARTH_RADIUS_M = 6371008.8  # mean radius
UNKNOWN = "Unknown"
VIEWER_URL = "https://www.mapillary.com/app/?pKey="
_METRES_PER_DEGREE = math.pi * EARTH_RADIUS_M / 180.0
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)

R = TypeVar("R")  # a record with `id`, `lon` and `lat`: ImageRecord, MapFeatureRecord


def tiles_around(lon: float, lat: float, radius_m: float, z: int = 14) -> List[Tuple[int, int, int]]:
    """`(z, x, y)` of the tile holding the point first, then of the tiles `radius_m` around it reaches."""
    lat = max(-MAX_LAT, min(MAX_LAT, lat))
    dlat = max(0.0, radius_m) / _METRES_PER_DEGREE
    dlon = min(179.0, dlat / max(math.cos(math.radians(lat)), 1e-9))
    own = tile_for(lon, lat, z)
    box = (_wrap(lon - dlon), max(-90.0, lat - dlat), _wrap(lon + dlon), min(90.0, lat + dlat))
    return [(z, *own)] + [(z, x, y) for x, y in tiles_for_bbox(*box, z=z) if (x, y) != own]


def nearest_image(records: Iterable[R], lon: float, lat: float, max_distance_m: float) -> Optional[R]:
    """The record nearest the point within `max_distance_m` (equirectangular metres); ties go to the lowest id."""
    best: Optional[Tuple[float, int, R]] = None
    for record in records:
        distance = _planar_m(lon, lat, record.lon, record.lat)
        if distance <= max_distance_m and (best is None or (distance, record.id) < best[:2]):
            best = (distance, record.id, record)
    return best[2] if best is not None else None


def distance_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def offset_m(details: dict) -> Optional[float]:
    """Metres between an image's original and computed positions; None without both."""
    original, computed = position(details), position(details, computed=True)
    if original is None or computed is None:
        return None
    return distance_m(*original, *computed)


def capture_times(ms, tz: Union[tzinfo, str, None] = None) -> Tuple[str, str]:
    """`("2015-07-11 22:34:50 UTC", "2015-07-11 23:34:50 +01:00")`: UTC, and local time with its offset.

    Local is `tz` (a tzinfo or an IANA name) or else this machine's zone.
    A missing, zero (Mapillary's "no time") or impossible time gives "Unknown" twice.
    """
    if isinstance(ms, bool) or not isinstance(ms, (int, float)) or not ms > 0:
        return UNKNOWN, UNKNOWN
    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    try:
        moment = _EPOCH + timedelta(milliseconds=ms)
        local = moment.astimezone(zone)
    except (OverflowError, ValueError, OSError):
        return UNKNOWN, UNKNOWN
    minutes = round(local.utcoffset().total_seconds() / 60)
    offset = f"{'-' if minutes < 0 else '+'}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    return f"{moment:%Y-%m-%d %H:%M:%S} UTC", f"{local:%Y-%m-%d %H:%M:%S} {offset}"


def viewer_url(image_id) -> str:
    """The image in Mapillary's web viewer."""
    return VIEWER_URL + quote(str(image_id), safe="")


def _wrap(lon: float) -> float:
    return lon if -180.0 <= lon <= 180.0 else (lon + 180.0) % 360.0 - 180.0


def _planar_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    dlon = (lon2 - lon1 + 180.0) % 360.0 - 180.0
    x = math.radians(dlon) * math.cos(math.radians((lat1 + lat2) / 2))
    return EARTH_RADIUS_M * math.hypot(x, math.radians(lat2 - lat1))
