"""Routes of the Graph API host (``graph.mapillary.com``)."""

import base64
import re
from datetime import datetime, timezone
from typing import Any, Callable, Optional
from urllib.parse import urlencode

from . import responses
from .cdn import THUMB_FIELDS, ThumbnailSigner
from .responses import Response, json_response
from .store import Entity, EntityStore
from .tilemath import BBox, in_bbox

MAX_LIMIT = 2000
MAX_BBOX_AREA = 0.01  # square degrees; larger boxes are rejected, not clamped

Query = dict[str, list[str]]


class ParamError(ValueError):
    """A malformed or out-of-range query parameter (Graph error code 100)."""


class GraphApi:
    """Answers authenticated Graph requests from an ``EntityStore``."""

    def __init__(self, store: EntityStore, signer: ThumbnailSigner):
        self._store = store
        self._signer = signer

    def handle(
        self, method: str, path: str, query: Query, base_url: str, user: Optional[Entity], thumb_ttl: float,
        cdn_url: Optional[str] = None,
    ) -> Response:
        """``user`` is the owner of a user token, None for a client token; thumbnails live on ``cdn_url``."""
        segments = [segment for segment in path.split("/") if segment]
        if method != "GET":
            return responses.unsupported_method(method)
        if not segments:
            return responses.not_found("")
        select = _Selector(query, cdn_url or base_url, thumb_ttl, self._signer)
        try:
            if len(segments) == 2 and segments[1] == "detections":
                return self._detections(segments[0], select)
            if len(segments) > 1:
                return responses.not_found(segments[0])
            if segments[0] == "me":
                return self._me(user, select)
            if segments[0] == "images":
                return self._images(query, select, base_url)
            if segments[0] == "image_ids":
                return self._image_ids(query)
            if segments[0] == "map_features":
                return self._map_features(query, select)
            entity = self._store.entity(segments[0])
            if entity is None:
                return responses.not_found(segments[0])
            return json_response(select(entity))
        except ParamError as error:
            return responses.bad_parameter(str(error))

    def _me(self, user: Optional[Entity], select: "_Selector") -> Response:
        if user is None:
            return responses.error_response(
                400,
                "An active access token must be used to query information about the current user.",
                100,
                "OAuthException",
            )
        return json_response(select(user))

    def _detections(self, parent_id: str, select: "_Selector") -> Response:
        if parent_id not in self._store.images and parent_id not in self._store.map_features:
            return responses.not_found(parent_id)
        return json_response({"data": [select(d) for d in self._store.detections.get(parent_id, [])]})

    def _image_ids(self, query: Query) -> Response:
        sequence_id = _single(query, "sequence_id")
        if not sequence_id:
            raise ParamError("Missing required parameter: sequence_id")
        return json_response({"data": [{"id": i} for i in self._store.sequences.get(sequence_id, [])]})

    def _images(self, query: Query, select: "_Selector", base_url: str) -> Response:
        if "image_ids" in query:
            ids = [i for i in _csv(query, "image_ids") if i in self._store.images]
            return json_response({"data": [select(self._store.images[i]) for i in ids]})
        limit = _limit(query)
        matches = _image_filter(query)
        bbox = _bbox(query)
        if bbox is not None:
            found = [e for e in self._store.images.values() if _located_in(e, bbox) and matches(e)]
            return json_response({"data": [select(e) for e in found[:limit]]})
        if not _single(query, "creator_username"):
            raise ParamError("One of image_ids, bbox or creator_username is required")
        found = [e for e in self._store.images.values() if matches(e)]
        return json_response(_page(found, query, limit, select, f"{base_url}/images"))

    def _map_features(self, query: Query, select: "_Selector") -> Response:
        bbox = _bbox(query)
        if bbox is None:
            raise ParamError("Missing required parameter: bbox")
        limit = _limit(query)
        patterns = _csv(query, "object_values")
        found = [
            e
            for e in self._store.map_features.values()
            if _located_in(e, bbox) and (not patterns or any(_value_matches(e["object_value"], p) for p in patterns))
        ]
        return json_response({"data": [select(e) for e in found[:limit]]})


class _Selector:
    """Reduces an entity to ``id`` plus the requested fields that have values."""

    def __init__(self, query: Query, base_url: str, thumb_ttl: float, signer: ThumbnailSigner):
        self.fields = parse_fields(query)
        self._base_url = base_url
        self._thumb_ttl = thumb_ttl
        self._signer = signer

    def __call__(self, entity: Entity) -> Entity:
        out = {}
        for name in self.fields:
            if name in entity and name != "id":
                value = entity[name]
                if name in THUMB_FIELDS:
                    value = self._signer.mint(self._base_url, entity["id"], name, self._thumb_ttl)
                out[name] = value
        out["id"] = entity["id"]
        return out


def parse_fields(query: Query) -> list[str]:
    """Top-level names of ``fields=a,b{c,d},e.limit(2)``; nested selections are ignored."""
    raw = ",".join(query.get("fields", []))
    previous = None
    while previous != raw:
        previous, raw = raw, re.sub(r"\{[^{}]*\}|\([^()]*\)", "", raw)
    return [name.split(".")[0].strip() for name in raw.split(",") if name.strip()]


def _single(query: Query, name: str) -> Optional[str]:
    values = query.get(name)
    return values[-1] if values else None


def _csv(query: Query, name: str) -> list[str]:
    return [item.strip() for item in (_single(query, name) or "").split(",") if item.strip()]


def _limit(query: Query) -> int:
    raw = _single(query, "limit")
    if raw is None:
        return MAX_LIMIT
    try:
        limit = int(raw)
    except ValueError:
        raise ParamError(f"Invalid parameter limit: {raw!r}") from None
    if limit < 1:
        raise ParamError(f"Invalid parameter limit: {raw!r}")
    return min(limit, MAX_LIMIT)


def _bbox(query: Query) -> Optional[BBox]:
    raw = _single(query, "bbox")
    if raw is None:
        return None
    try:
        min_lon, min_lat, max_lon, max_lat = (float(part) for part in raw.split(","))
    except ValueError:
        raise ParamError(f"Invalid parameter bbox: {raw!r}, expected minLon,minLat,maxLon,maxLat") from None
    if not (-180 <= min_lon < max_lon <= 180 and -90 <= min_lat < max_lat <= 90):
        raise ParamError(f"Invalid parameter bbox: {raw!r}, expected minLon,minLat,maxLon,maxLat")
    if (max_lon - min_lon) * (max_lat - min_lat) >= MAX_BBOX_AREA:
        raise ParamError("Invalid parameter bbox: the bounding box must be smaller than 0.01 degrees square")
    return min_lon, min_lat, max_lon, max_lat


def _epoch_ms(query: Query, name: str) -> Optional[int]:
    raw = _single(query, name)
    if raw is None:
        return None
    # fromisoformat() before Python 3.11 rejects "Z" and "+0000" offsets.
    text = re.sub(r"(?:Z|([+-]\d\d):?(\d\d))$", lambda m: f"{m[1]}:{m[2]}" if m[1] else "+00:00", raw.strip())
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ParamError(f"Invalid parameter {name}: {raw!r} is not an ISO 8601 time") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return int(moment.timestamp() * 1000)


def _image_filter(query: Query) -> Callable[[Entity], bool]:
    """The ``/images`` search filters other than ``bbox``, as one predicate."""
    start = _epoch_ms(query, "start_captured_at")
    end = _epoch_ms(query, "end_captured_at")
    is_pano = _single(query, "is_pano")
    if is_pano is not None and is_pano.lower() not in ("true", "false"):
        raise ParamError(f"Invalid parameter is_pano: {is_pano!r}")
    organization_id = _single(query, "organization_id")
    sequences = set(_csv(query, "sequence_id"))
    username = _single(query, "creator_username")

    def matches(entity: Entity) -> bool:
        captured_at = entity.get("captured_at", 0)
        return (
            (start is None or captured_at >= start)
            and (end is None or captured_at <= end)
            and (is_pano is None or entity.get("is_pano", False) == (is_pano.lower() == "true"))
            and (organization_id is None or entity.get("organization", {}).get("id") == organization_id)
            and (not sequences or entity.get("sequence") in sequences)
            and (username is None or entity.get("creator", {}).get("username") == username)
        )

    return matches


def _located_in(entity: Entity, bbox: BBox) -> bool:
    geometry = entity.get("geometry")
    return geometry is not None and in_bbox(*geometry["coordinates"], bbox)


def _value_matches(value: str, pattern: str) -> bool:
    return value.startswith(pattern[:-1]) if pattern.endswith("*") else value == pattern


def _page(entities: list[Entity], query: Query, limit: int, select: _Selector, url: str) -> dict[str, Any]:
    """One page of a cursor-paged collection (Facebook Graph style)."""
    after = _single(query, "after")
    try:
        offset = int(base64.urlsafe_b64decode(after.encode()).decode()) if after else 0
    except ValueError:
        raise ParamError(f"Invalid cursor: {after!r}") from None
    result: dict[str, Any] = {"data": [select(e) for e in entities[offset : offset + limit]]}
    if offset + limit < len(entities):
        next_cursor = _cursor(offset + limit)
        params = [(key, value) for key, values in query.items() if key != "after" for value in values]
        result["paging"] = {
            "cursors": {"before": _cursor(offset), "after": next_cursor},
            "next": f"{url}?{urlencode(params + [('after', next_cursor)])}",
        }
    return result


def _cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(str(offset).encode()).decode()
