"""Which images see a place: distance, the direction they look, ranking. Pure numpy, no QGIS.

A place P is seen by an image when the image lies within `max_distance`
metres of it and, with `looking_at`, P lies inside the image's horizontal
field of view around its compass angle: |bearing(image -> P) - compass| is at
most half the field of view. Panoramas (`is_pano`) see every direction. A
perspective image without a compass angle cannot be said to look at P: with
`looking_at` it is left out. The field of view is the camera's where it is
known (`fov_of(image_id)`, from Graph `camera_parameters`), else
DEFAULT_FOV_DEG, a typical phone or action camera held in landscape.

Score (lower is better): distance / max_distance + bearing_offset / 90,
so a picture 10 m away looking straight at P beats one 5 m away seeing it
at the edge of its view; panoramas count as looking straight at it.

Distances are local equirectangular metres around P (under 0.1 % off within
a few hundred metres), bearings clockwise from north.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Dict, Iterable, List, Optional, Sequence, Tuple

import numpy as np

EARTH_RADIUS_M = 6_371_008.8
DEFAULT_MAX_DISTANCE_M = 30.0
DEFAULT_FOV_DEG = 60.0
_DEG = math.pi / 180.0


def fov_from_camera(camera_type: Optional[str], camera_parameters, width=None, height=None) -> Optional[float]:
    """The horizontal field of view in degrees from Graph's camera fields; None when they do not say.

    `camera_parameters` of a perspective camera is [focal, k1, k2], the focal
    length as a share of the picture's larger side (a pinhole: half the width
    is focal * tan of half the view). A fisheye (OpenSfM's model, distortion
    left out) maps angles straight to distances: half the width is focal *
    half the view in radians; it may see more than 180°, counted as 180.
    """
    if camera_type in ("spherical", "equirectangular"):
        return 360.0
    if camera_type not in (None, "perspective", "brown", "fisheye"):
        return None
    if not isinstance(camera_parameters, (list, tuple)) or not camera_parameters:
        return None
    try:
        focal = float(camera_parameters[0])
    except (TypeError, ValueError, OverflowError):
        return None
    if not math.isfinite(focal) or focal <= 0:
        return None
    share = 1.0
    sizes = [value if isinstance(value, (int, float)) and not isinstance(value, bool) else None
             for value in (width, height)]
    width, height = sizes
    if width and height and height > width:  # portrait: the larger side is the height
        share = float(width) / float(height)
    if camera_type == "fisheye":
        fov = min(math.degrees(share / focal), 180.0)
    else:
        fov = 2.0 * math.degrees(math.atan(share / (2.0 * focal)))
    return fov if 1.0 <= fov <= 180.0 else None


@dataclass(frozen=True)
class Columns:
    """Image records as arrays (see `columns`)."""

    id: np.ndarray  # int64
    lon: np.ndarray
    lat: np.ndarray
    captured_at: np.ndarray  # int64 ms
    compass: np.ndarray  # float, NaN when unknown
    is_pano: np.ndarray  # bool
    sequence_id: List[Optional[str]]


def columns(records: Sequence) -> Columns:
    """ImageRecords (id, lon, lat, captured_at, compass_angle, sequence_id, is_pano, ...) to arrays."""
    count = len(records)
    compass = np.fromiter((np.nan if r.compass_angle is None else r.compass_angle for r in records), float, count)
    return Columns(
        id=np.fromiter((r.id for r in records), np.int64, count),
        lon=np.fromiter((r.lon for r in records), float, count),
        lat=np.fromiter((r.lat for r in records), float, count),
        captured_at=np.fromiter((r.captured_at or 0 for r in records), np.int64, count),
        compass=compass,
        is_pano=np.fromiter((bool(r.is_pano) for r in records), bool, count),
        sequence_id=[r.sequence_id for r in records],
    )


def offsets(lon0: float, lat0: float, lon: np.ndarray, lat: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
    """(east, north) metres of each point from (lon0, lat0)."""
    dlon = (lon - lon0 + 180.0) % 360.0 - 180.0
    east = dlon * _DEG * EARTH_RADIUS_M * math.cos(lat0 * _DEG)
    north = (lat - lat0) * _DEG * EARTH_RADIUS_M
    return east, north


def angle_between(a: np.ndarray, b) -> np.ndarray:
    """The smallest angle between compass directions, 0-180 degrees."""
    return np.abs((np.asarray(a) - b + 180.0) % 360.0 - 180.0)


def seen_from(images: Columns, lon: float, lat: float, max_distance: float = DEFAULT_MAX_DISTANCE_M,
              looking_at: bool = True, fov_of: Optional[Callable[[int], Optional[float]]] = None,
              candidates: Optional[np.ndarray] = None) -> List[dict]:
    """The images that see (lon, lat), best first (see the module's rule and score)."""
    index = np.arange(len(images.id)) if candidates is None else np.asarray(candidates, dtype=np.int64)
    if index.size == 0:
        return []
    east, north = offsets(lon, lat, images.lon[index], images.lat[index])
    distance = np.hypot(east, north)
    near = distance <= max_distance
    index, east, north, distance = index[near], east[near], north[near], distance[near]
    bearing = np.degrees(np.arctan2(-east, -north)) % 360.0  # from the image towards P
    compass = images.compass[index]
    offset = np.where(np.isnan(compass), np.nan, angle_between(bearing, np.nan_to_num(compass)))
    pano = images.is_pano[index]
    fov = np.full(index.size, DEFAULT_FOV_DEG)
    if fov_of is not None:
        for i, image in enumerate(images.id[index].tolist()):
            known = fov_of(image)
            if known:
                fov[i] = known
    if looking_at:
        sees = pano | (~np.isnan(offset) & (offset <= fov / 2.0))
    else:
        sees = np.ones(index.size, bool)
    facing = np.where(pano | np.isnan(offset), 0.0, np.nan_to_num(offset)) / 90.0
    score = distance / max(max_distance, 1e-9) + facing
    chosen = np.flatnonzero(sees)
    order = chosen[np.lexsort((images.id[index[chosen]], score[chosen]))]
    found = []
    for i in order.tolist():
        k = int(index[i])
        found.append({
            "id": int(images.id[k]),
            "distance_m": round(float(distance[i]), 2),
            "bearing_offset": None if math.isnan(offset[i]) else round(float(offset[i]), 1),
            "captured_at": int(images.captured_at[k]),
            "is_pano": bool(pano[i]),
            "sequence_id": images.sequence_id[k],
            "compass_angle": None if math.isnan(compass[i]) else float(compass[i]),
            "lon": float(images.lon[k]),
            "lat": float(images.lat[k]),
            "score": round(float(score[i]), 4),
        })
    return found


class Grid:
    """Images binned in square cells of about `cell_m` metres, to find those near many places fast."""

    def __init__(self, images: Columns, cell_m: float):
        self.images = images
        lat0 = float(np.median(images.lat)) if len(images.lat) else 0.0
        self._cell_lat = cell_m / (_DEG * EARTH_RADIUS_M)
        self._cell_lon = self._cell_lat / max(math.cos(lat0 * _DEG), 1e-6)
        keys = self._keys(images.lon, images.lat)
        order = np.lexsort((keys[1], keys[0]))
        self._order = order
        cells: Dict[Tuple[int, int], Tuple[int, int]] = {}
        if order.size:
            kx, ky = keys[0][order], keys[1][order]
            change = np.flatnonzero((np.diff(kx) != 0) | (np.diff(ky) != 0)) + 1
            starts = np.concatenate(([0], change))
            ends = np.concatenate((change, [order.size]))
            for start, end in zip(starts.tolist(), ends.tolist()):
                cells[(int(kx[start]), int(ky[start]))] = (start, end)
        self._cells = cells

    def _keys(self, lon, lat):
        return (np.floor(np.asarray(lon) / self._cell_lon).astype(np.int64),
                np.floor(np.asarray(lat) / self._cell_lat).astype(np.int64))

    def near(self, lon: float, lat: float) -> np.ndarray:
        """Indices of the images in the 3 x 3 cells around the point (a superset of those within a cell)."""
        kx, ky = (int(k) for k in self._keys(lon, lat))
        parts = []
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                span = self._cells.get((kx + dx, ky + dy))
                if span is not None:
                    parts.append(self._order[span[0]:span[1]])
        return np.concatenate(parts) if parts else np.empty(0, np.int64)


def by_date(found: Iterable[dict], tz=None) -> List[Tuple[str, List[dict]]]:
    """`found` grouped by capture day (UTC unless `tz`), newest day first; best first within a day."""
    from datetime import datetime, timezone

    groups: Dict[str, List[dict]] = {}
    for item in found:
        moment = datetime.fromtimestamp(item["captured_at"] / 1000, tz=timezone.utc)
        day = (moment.astimezone(tz) if tz else moment).date().isoformat()
        groups.setdefault(day, []).append(item)
    return sorted(groups.items(), key=lambda entry: entry[0], reverse=True)


@dataclass(frozen=True)
class Coverage:
    covered_share: float  # 0-1 of the line's length within the distance of an image
    image_count: int  # images within the distance of the line
    oldest: Optional[int]  # their earliest capture, UTC ms (None without images)
    newest: Optional[int]


COVERAGE_STEP_M = 1.0  # the line is measured in pieces of at most this length


def line_coverage(parts: Sequence[Sequence[Tuple[float, float]]], images: Columns, max_distance: float,
                  step_m: float = COVERAGE_STEP_M) -> Coverage:
    """How much of a line (parts of (lon, lat) vertices) lies within `max_distance` metres of an image.

    In local metres around the line's first vertex. Each piece of at most
    `step_m` counts as covered when its middle is within the distance of an
    image; images count when they are within the distance of the line itself.
    """
    vertices = [np.asarray(part, dtype=float) for part in parts if len(part) >= 2]
    if not vertices:
        return Coverage(0.0, 0, None, None)
    lon0, lat0 = float(vertices[0][0, 0]), float(vertices[0][0, 1])
    everything = np.concatenate(vertices)
    margin_lat = max_distance / (_DEG * EARTH_RADIUS_M)
    margin_lon = margin_lat / max(math.cos(lat0 * _DEG), 1e-6)
    box = ((images.lon >= everything[:, 0].min() - margin_lon) & (images.lon <= everything[:, 0].max() + margin_lon)
           & (images.lat >= everything[:, 1].min() - margin_lat) & (images.lat <= everything[:, 1].max() + margin_lat))
    near = np.flatnonzero(box)
    ix, iy = offsets(lon0, lat0, images.lon[near], images.lat[near])
    within = np.zeros(near.size, bool)
    total = covered = 0.0
    for part in vertices:
        x, y = offsets(lon0, lat0, part[:, 0], part[:, 1])
        for x1, y1, x2, y2 in zip(x[:-1], y[:-1], x[1:], y[1:]):
            length = math.hypot(x2 - x1, y2 - y1)
            if length == 0:
                continue
            total += length
            if near.size == 0:
                continue
            within |= _segment_distance(ix, iy, x1, y1, x2, y2) <= max_distance
            pieces = max(1, math.ceil(length / step_m))
            t = (np.arange(pieces) + 0.5) / pieces
            mx, my = x1 + t * (x2 - x1), y1 + t * (y2 - y1)
            closest = np.full(pieces, np.inf)
            for start in range(0, near.size, 2048):  # pieces x images, a block of images at a time
                dx = mx[:, None] - ix[None, start:start + 2048]
                dy = my[:, None] - iy[None, start:start + 2048]
                closest = np.minimum(closest, np.hypot(dx, dy).min(axis=1))
            covered += length / pieces * int(np.count_nonzero(closest <= max_distance))
    seen = near[within]
    times = images.captured_at[seen]
    times = times[times > 0]
    return Coverage(covered / total if total else 0.0, int(seen.size),
                    int(times.min()) if times.size else None, int(times.max()) if times.size else None)


def _segment_distance(px: np.ndarray, py: np.ndarray, x1: float, y1: float, x2: float, y2: float) -> np.ndarray:
    dx, dy = x2 - x1, y2 - y1
    t = np.clip(((px - x1) * dx + (py - y1) * dy) / (dx * dx + dy * dy), 0.0, 1.0)
    return np.hypot(px - (x1 + t * dx), py - (y1 + t * dy))


def same_view(images: Columns, lon: float, lat: float, compass: Optional[float], sequence_id: Optional[str],
              max_distance: float = 15.0, max_turn: float = 45.0) -> List[dict]:
    """The images of other sequences that see what an image at (lon, lat) looking along `compass` sees:
    within `max_distance` metres of it, looking the same way (within `max_turn` degrees; panoramas look
    every way, and an image without a compass angle is matched by distance alone). Oldest first."""
    if len(images.id) == 0:
        return []
    east, north = offsets(lon, lat, images.lon, images.lat)
    distance = np.hypot(east, north)
    other = np.array([s != sequence_id for s in images.sequence_id], bool)
    near = (distance <= max_distance) & other
    if compass is not None and math.isfinite(compass):
        turn = angle_between(np.nan_to_num(images.compass, nan=compass + 180.0), compass)
        near &= images.is_pano | (turn <= max_turn)
    chosen = np.flatnonzero(near)
    chosen = chosen[np.lexsort((images.id[chosen], images.captured_at[chosen]))]
    return [{"id": int(images.id[k]), "distance_m": round(float(distance[k]), 2),
             "captured_at": int(images.captured_at[k]), "is_pano": bool(images.is_pano[k]),
             "sequence_id": images.sequence_id[k],
             "compass_angle": None if math.isnan(images.compass[k]) else float(images.compass[k]),
             "lon": float(images.lon[k]), "lat": float(images.lat[k])} for k in chosen.tolist()]


def older_newer(others: Sequence[dict], captured_at: int) -> Tuple[Optional[dict], Optional[dict]]:
    """The nearest in time before and after `captured_at` among `others` (each None when there is none)."""
    older = [o for o in others if o["captured_at"] < captured_at]
    newer = [o for o in others if o["captured_at"] > captured_at]
    return (max(older, key=lambda o: o["captured_at"]) if older else None,
            min(newer, key=lambda o: o["captured_at"]) if newer else None)
