"""Mapillary's public vector tilesets: names, layers, zooms and URLs (without the token)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Tuple

from ..client import DEFAULT_TILES_URL

__all__ = [
    "DEFAULT_TILES_URL",
    "LAYER_ZOOMS",
    "MAX_ZOOM",
    "MLY1_COMPUTED_PUBLIC",
    "MLY1_PUBLIC",
    "MAP_FEATURE_POINT",
    "MAP_FEATURE_TRAFFIC_SIGN",
    "TILESETS",
    "Tileset",
    "tile_url",
    "xyz_template",
]

MAX_ZOOM = 14  # Mapillary serves no deeper tiles; clients overzoom

# The zooms at which each layer exists (inclusive).
LAYER_ZOOMS = {
    "overview": (0, 5),
    "sequence": (6, 14),
    "image": (14, 14),
    "point": (14, 14),
    "traffic_sign": (14, 14),
}


@dataclass(frozen=True)
class Tileset:
    """A tileset name and the MVT layers it carries."""

    name: str
    layers: Tuple[str, ...]
    max_zoom: int = MAX_ZOOM


MLY1_PUBLIC = Tileset("mly1_public", ("overview", "sequence", "image"))
MLY1_COMPUTED_PUBLIC = Tileset("mly1_computed_public", ("overview", "sequence", "image"))
MAP_FEATURE_POINT = Tileset("mly_map_feature_point", ("point",))
MAP_FEATURE_TRAFFIC_SIGN = Tileset("mly_map_feature_traffic_sign", ("traffic_sign",))

TILESETS = {t.name: t for t in (MLY1_PUBLIC, MLY1_COMPUTED_PUBLIC, MAP_FEATURE_POINT, MAP_FEATURE_TRAFFIC_SIGN)}


def tile_url(tiles_base: str, tileset: str, z: int, x: int, y: int) -> str:
    """The URL of one tile; the Client adds `access_token`."""
    return f"{tiles_base.rstrip('/')}/maps/vtp/{tileset}/2/{z}/{x}/{y}"


def xyz_template(tiles_base: str, tileset: str) -> str:
    """The XYZ template of a tileset for QGIS, with literal `{z}/{x}/{y}` and no token."""
    return f"{tiles_base.rstrip('/')}/maps/vtp/{tileset}/2/{{z}}/{{x}}/{{y}}"
