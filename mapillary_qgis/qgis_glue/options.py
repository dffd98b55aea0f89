"""The plugin's settings (Settings > Options > Mapillary): in QgsSettings under `mapillary_qgis/`.

Only limits and sizes live here, never the token (that is in the
authentication database, see token_store.py). `read()` always gives usable
values: a missing, mangled or out-of-range setting falls back to its
default or the nearest limit.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from qgis.core import QgsSettings

GROUP = "mapillary_qgis/options"


@dataclass(frozen=True)
class Option:
    key: str
    default: int
    low: int
    high: int


TILE_CACHE_MB = Option("tile_cache_mb", 500, 10, 100_000)
TILE_CACHE_DAYS = Option("tile_cache_days", 7, 1, 365)
THUMBNAIL_CACHE_MB = Option("thumbnail_cache_mb", 200, 10, 100_000)
REQUESTS_IN_FLIGHT = Option("requests_in_flight", 8, 1, 16)
IMAGE_SIZE = Option("image_size", 1024, 1024, 2048)  # the Image tab's picture: 1024 or 2048 px
IMAGE_SIZES = (1024, 2048)
OPTIONS = (TILE_CACHE_MB, TILE_CACHE_DAYS, THUMBNAIL_CACHE_MB, REQUESTS_IN_FLIGHT, IMAGE_SIZE)


@dataclass(frozen=True)
class Values:
    tile_cache_mb: int = TILE_CACHE_MB.default
    tile_cache_days: int = TILE_CACHE_DAYS.default
    thumbnail_cache_mb: int = THUMBNAIL_CACHE_MB.default
    requests_in_flight: int = REQUESTS_IN_FLIGHT.default
    image_size: int = IMAGE_SIZE.default

    @property
    def tile_cache_bytes(self) -> int:
        return self.tile_cache_mb * 1024 * 1024

    @property
    def tile_cache_age_s(self) -> float:
        return self.tile_cache_days * 24 * 3600.0

    @property
    def thumbnail_cache_bytes(self) -> int:
        return self.thumbnail_cache_mb * 1024 * 1024


def _clamp(option: Option, value) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return option.default
    if option is IMAGE_SIZE:
        return number if number in IMAGE_SIZES else option.default
    return min(option.high, max(option.low, number))


def read(settings: QgsSettings | None = None) -> Values:
    settings = settings or QgsSettings()
    by_key = {option.key: option for option in OPTIONS}
    return Values(**{f.name: _clamp(by_key[f.name], settings.value(f"{GROUP}/{f.name}", by_key[f.name].default))
                     for f in fields(Values)})


def write(values: Values, settings: QgsSettings | None = None) -> Values:
    """Store `values` (clamped as `read` would) and return what was stored."""
    settings = settings or QgsSettings()
    by_key = {option.key: option for option in OPTIONS}
    stored = Values(**{f.name: _clamp(by_key[f.name], getattr(values, f.name)) for f in fields(Values)})
    for f in fields(Values):
        settings.setValue(f"{GROUP}/{f.name}", getattr(stored, f.name))
    return stored
