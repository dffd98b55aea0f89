"""Graph API requests for images, sequences, map features and detections; one call each, header auth.

Answers stay the Graph JSON: ids are strings, a field without a value is
absent. Detection outlines come as a base64 vector tile (layer `mpy-or`,
one polygon in image coordinates), decoded here without GDAL.
"""

from __future__ import annotations

import base64
import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Iterable, List, Optional, Sequence, Tuple

from ..client import Client
from ..errors import ApiError, NotFoundError

IMAGE_FIELDS = (
    "id", "captured_at", "compass_angle", "computed_compass_angle", "geometry", "computed_geometry",
    "creator", "make", "model", "camera_type", "camera_parameters", "is_pano", "sequence", "organization",
    "width", "height", "altitude", "quality_score", "thumb_256_url", "thumb_1024_url",
)
MAP_FEATURE_FIELDS = (
    "id", "object_value", "object_type", "first_seen_at", "last_seen_at", "geometry", "aligned_direction", "images",
)
DETECTION_FIELDS = ("id", "value", "image", "created_at", "geometry")
DETECTION_LAYER = "mpy-or"

Ring = Tuple[Tuple[float, float], ...]
_ID_RE = re.compile(r"^[0-9]{1,20}$")
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_TIME_FORMATS = ("%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%S.%f%z")


@dataclass(frozen=True)
class Detection:
    """An object detected in an image; `rings` outline it in 0..1 image coordinates (u right, v down)."""

    id: str
    value: str
    image_id: Optional[str]
    created_at: Optional[str]
    rings: Tuple[Ring, ...]


def entity_details(client: Client, entity_id, fields: Sequence[str]) -> dict:
    """`GET /{id}?fields=...`: the object's `id` (a string) and those of `fields` it has."""
    key = _entity_id(entity_id)
    body = client.get_json(f"/{key}", {"fields": _csv(fields)})
    if not isinstance(body, dict):
        raise ApiError("Mapillary sent an answer that could not be read (not an object).")
    if str(body.get("id", key)) != key:
        raise ApiError("Mapillary answered about another object than the one asked for.")
    body["id"] = key
    return body


def image_details(client: Client, image_id) -> dict:
    """The image's `IMAGE_FIELDS` (those it has)."""
    return entity_details(client, image_id, IMAGE_FIELDS)


def images_details(client: Client, ids: Iterable, fields: Sequence[str], batch: int = 50) -> List[dict]:
    """Several images from `GET /images?image_ids=...`, `batch` ids per call; unknown ids are left out."""
    if batch < 1:
        raise ValueError("batch must be at least 1")
    wanted = list(dict.fromkeys(_entity_id(i) for i in ids))
    result: List[dict] = []
    for start in range(0, len(wanted), batch):
        params = {"image_ids": ",".join(wanted[start : start + batch]), "fields": _csv(fields)}
        result.extend(item for item in _data(client.get_json("/images", params)) if isinstance(item, dict))
    return result


def sequence_image_ids(client: Client, sequence_id: str) -> List[str]:
    """The ids of a sequence's images in capture order (`GET /image_ids`)."""
    if not str(sequence_id or "").strip():
        raise NotFoundError("No sequence id was given.")
    body = client.get_json("/image_ids", {"sequence_id": str(sequence_id).strip()})
    return [str(item["id"]) for item in _data(body) if isinstance(item, dict) and "id" in item]


def map_feature_details(client: Client, feature_id) -> dict:
    """The map feature's `MAP_FEATURE_FIELDS` (those it has)."""
    return entity_details(client, feature_id, MAP_FEATURE_FIELDS)


def detections(client: Client, entity_id) -> List[Detection]:
    """The detections of an image, or those that make up a map feature (`GET /{id}/detections`)."""
    body = client.get_json(f"/{_entity_id(entity_id)}/detections", {"fields": _csv(DETECTION_FIELDS)})
    result = []
    for item in _data(body):
        if not isinstance(item, dict) or "id" not in item:
            continue
        image = item.get("image")
        image_id = image.get("id") if isinstance(image, dict) else None
        result.append(Detection(
            id=str(item["id"]),
            value=str(item.get("value", "")),
            image_id=str(image_id) if image_id is not None else None,
            created_at=item.get("created_at") if isinstance(item.get("created_at"), str) else None,
            rings=decode_detection_geometry(item.get("geometry", "")),
        ))
    return result


def parse_graph_time(text) -> Optional[int]:
    """Epoch milliseconds of a Graph time such as `2021-05-22T15:20:45+0000`; None when unreadable."""
    if not isinstance(text, str):
        return None
    for fmt in _TIME_FORMATS:
        try:
            moment = datetime.strptime(text.strip(), fmt)
        except ValueError:
            continue
        return (moment - _EPOCH) // timedelta(milliseconds=1)
    return None


def position(details: dict, computed: bool = False) -> Optional[Tuple[float, float]]:
    """`(lon, lat)` of `geometry` (or `computed_geometry`), None when absent or malformed."""
    geometry = details.get("computed_geometry" if computed else "geometry")
    coordinates = geometry.get("coordinates") if isinstance(geometry, dict) else None
    if not isinstance(coordinates, (list, tuple)) or len(coordinates) < 2:
        return None
    try:
        lon, lat = float(coordinates[0]), float(coordinates[1])
    except (TypeError, ValueError, OverflowError):  # OverflowError: an integer beyond any float
        return None
    if not (math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90):
        return None
    return lon, lat


def decode_detection_geometry(b64: str) -> Tuple[Ring, ...]:
    """The polygon rings of a detection's base64 MVT, divided by its extent (0..1 across the image).

    Rings are open (the first vertex is not repeated). Unreadable input gives `()`.
    """
    try:
        tile = base64.b64decode(b64, validate=True)
        for number, value in _fields(tile):
            if number == 3 and isinstance(value, bytes):
                rings = _layer_rings(value)
                if rings is not None:
                    return rings
    except (ValueError, IndexError, TypeError):  # binascii.Error and UnicodeDecodeError are ValueErrors
        pass  # corrupt: no outline
    return ()


# -- helpers ------------------------------------------------------------------


def _entity_id(value) -> str:
    text = str(value).strip()
    if not _ID_RE.match(text):
        raise NotFoundError(f"Not a Mapillary id: {text[:40]!r}.")
    return text


def _csv(fields: Sequence[str]) -> str:
    return fields if isinstance(fields, str) else ",".join(fields)


def _data(body) -> list:
    data = body.get("data") if isinstance(body, dict) else None
    if not isinstance(data, list):
        raise ApiError("Mapillary sent an answer that could not be read (no data list).")
    return data


def _varint(buf: bytes, pos: int) -> Tuple[int, int]:
    value = shift = 0
    while True:
        if shift > 63:
            raise ValueError("varint too long")
        byte = buf[pos]  # IndexError when truncated
        pos += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, pos


def _fields(buf: bytes) -> Iterable[Tuple[int, object]]:
    """`(field number, value)` of a protobuf message: an int for varints, else the raw bytes."""
    pos = 0
    while pos < len(buf):
        key, pos = _varint(buf, pos)
        wire = key & 7
        if wire == 0:
            value, pos = _varint(buf, pos)
            yield key >> 3, value
            continue
        if wire == 2:
            length, pos = _varint(buf, pos)
        elif wire in (1, 5):
            length = 8 if wire == 1 else 4
        else:
            raise ValueError(f"unsupported wire type {wire}")
        if pos + length > len(buf):
            raise ValueError("truncated field")
        yield key >> 3, buf[pos : pos + length]
        pos += length


def _packed(buf: bytes) -> List[int]:
    values, pos = [], 0
    while pos < len(buf):
        value, pos = _varint(buf, pos)
        values.append(value)
    return values


def _layer_rings(layer: bytes) -> Optional[Tuple[Ring, ...]]:
    """Rings of the POLYGON features of a `mpy-or` layer; None for another layer."""
    name, extent, features = None, 4096, []
    for number, value in _fields(layer):
        if number == 1 and isinstance(value, bytes):
            name = value.decode("utf-8")
        elif number == 2 and isinstance(value, bytes):
            features.append(value)
        elif number == 5 and isinstance(value, int):
            extent = value
    if name != DETECTION_LAYER:
        return None
    if extent <= 0:
        raise ValueError("bad extent")
    rings: List[Ring] = []
    for feature in features:
        parts = dict(_fields(feature))
        if parts.get(3) == 3 and isinstance(parts.get(4), bytes):  # type POLYGON, geometry
            rings.extend(_rings(_packed(parts[4]), extent))
    return tuple(rings)


def _rings(commands: List[int], extent: int) -> List[Ring]:
    """MoveTo / LineTo / ClosePath with zigzag deltas, to rings of at least three vertices."""
    rings, ring, x, y, i = [], [], 0, 0, 0
    while i < len(commands):
        command, count = commands[i] & 7, commands[i] >> 3
        i += 1
        if command == 7:
            if len(ring) >= 3:
                rings.append(tuple(ring))
            ring = []
            continue
        if command not in (1, 2) or i + 2 * count > len(commands):
            raise ValueError("bad geometry command")
        if command == 1:
            ring = []
        for _ in range(count):
            x += _unzigzag(commands[i])
            y += _unzigzag(commands[i + 1])
            i += 2
            ring.append((x / extent, y / extent))
    return rings


def _unzigzag(value: int) -> int:
    return (value >> 1) ^ -(value & 1)
