"""Plain records decoded from Mapillary tiles, and de-duplication across tiles.

Ids are exact Python ints (image and map-feature ids exceed 2**31), times are
epoch milliseconds. A property a feature lacks is None, never 0. Points are
named tuples: a dense tile holds over 10,000 of them, and a tuple is made
about seven times faster than a frozen dataclass.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from operator import attrgetter
from typing import Callable, Hashable, Iterable, List, NamedTuple, Optional, Tuple, TypeVar

LonLat = Tuple[float, float]
Part = Tuple[LonLat, ...]

T = TypeVar("T")


class ImageRecord(NamedTuple):
    """An image point (`image` layer; `overview` too, with fewer properties)."""

    id: int
    lon: float
    lat: float
    captured_at: int  # ms; 0 when Mapillary has no capture time
    compass_angle: Optional[float] = None
    sequence_id: Optional[str] = None
    is_pano: Optional[bool] = None
    creator_id: Optional[int] = None
    organization_id: Optional[int] = None


@dataclass(frozen=True)
class SequenceRecord:
    """A sequence line: its parts (each a tuple of `(lon, lat)`) clipped to the tiles they came from."""

    id: str
    parts: Tuple[Part, ...]
    image_id: Optional[int] = None
    captured_at: Optional[int] = None
    is_pano: Optional[bool] = None
    creator_id: Optional[int] = None
    organization_id: Optional[int] = None


class MapFeatureRecord(NamedTuple):
    """A map feature point (`point` or `traffic_sign` layer)."""

    id: int
    lon: float
    lat: float
    value: str
    first_seen_at: Optional[int] = None
    last_seen_at: Optional[int] = None
    layer: str = "point"


def merge_unique(iterables: Iterable[Iterable[T]], key: Callable[[T], Hashable] = attrgetter("id")) -> List[T]:
    """All items of `iterables` in order, keeping the first one of each `key`."""
    items = [item for group in iterables for item in group]
    keys = list(map(key, items))
    # key -> index of its first occurrence: walking backwards, earlier indexes overwrite later ones
    first = dict(zip(reversed(keys), range(len(keys) - 1, -1, -1)))
    if len(first) == len(items):
        return items  # nothing repeated (the usual case: each point belongs to one tile)
    return [items[i] for i in sorted(first.values())]


def merge_sequences(iterables: Iterable[Iterable[SequenceRecord]]) -> List[SequenceRecord]:
    """One record per sequence id: the properties of its first occurrence and the parts of all."""
    first: dict = {}
    parts: dict = {}
    for records in iterables:
        for record in records:
            first.setdefault(record.id, record)
            parts.setdefault(record.id, []).extend(record.parts)
    return [
        record if len(parts[sid]) == len(record.parts) else replace(record, parts=tuple(parts[sid]))
        for sid, record in first.items()
    ]
