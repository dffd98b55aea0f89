"""Graph API entities as the API returns them (every field present), keyed by string id.

Built from the synthetic ``DemoDataset`` and, when available, from the real
captured responses in the shared fixtures folder.
"""

import base64
import json
import time
from decimal import Decimal
from pathlib import Path
from typing import Any, Optional

from .cdn import THUMB_FIELDS
from .dataset import DemoDataset, Detection, Image, MapFeature
from .pbf import detection_geometry

Entity = dict[str, Any]
# Value of thumb_*_url in stored entities: the Graph layer mints a fresh URL per response.
THUMB_PLACEHOLDER = "minted-per-response"


def iso_time(epoch_ms: int) -> str:
    """Timestamps as the Graph API writes them: ``2017-08-23T21:32:26+0000``."""
    return time.strftime("%Y-%m-%dT%H:%M:%S+0000", time.gmtime(epoch_ms / 1000))


def point(lon: float, lat: float) -> Entity:
    return {"type": "Point", "coordinates": [lon, lat]}


class EntityStore:
    """Images, map features, users and organisations, plus detections and sequences."""

    def __init__(self):
        self.images: dict[str, Entity] = {}
        self.map_features: dict[str, Entity] = {}
        self.users: dict[str, Entity] = {}
        self.organizations: dict[str, Entity] = {}
        self.detections: dict[str, list[Entity]] = {}
        self.sequences: dict[str, list[str]] = {}

    def entity(self, entity_id: str) -> Optional[Entity]:
        """Any node reachable as ``GET /{id}``."""
        for table in (self.images, self.map_features, self.users, self.organizations):
            if entity_id in table:
                return table[entity_id]
        return None

    def add_dataset(self, dataset: DemoDataset) -> None:
        for creator in dataset.creators:
            self.users[str(creator.id)] = {"username": creator.username, "id": str(creator.id)}
        for org in dataset.organizations:
            self.organizations[str(org.id)] = {
                "slug": org.slug,
                "name": org.name,
                "description": org.description,
                "id": str(org.id),
            }
        for image in dataset.images:
            self.images[str(image.id)] = _image(image, dataset.detections_of(image.id))
        for feature in dataset.map_features + dataset.traffic_signs:
            self.map_features[str(feature.id)] = _map_feature(feature, dataset)
        for detection in dataset.detections:
            entity = _detection(detection, dataset.image(detection.image_id))
            self.detections.setdefault(str(detection.image_id), []).append(entity)
            self.detections.setdefault(str(detection.map_feature_id), []).append(entity)
        for sequence in dataset.sequences:
            self.sequences[sequence.id] = [str(i) for i in sequence.image_ids]

    def add_fixtures(self, graph_dir: Path) -> None:
        """Load the captured Graph responses of ``fixtures/mapillary/graph``."""
        for path in sorted(graph_dir.glob("*.json")):
            payload = json.loads(path.read_text(encoding="utf-8"))
            if path.stem.startswith("image_ids__"):
                self.sequences[path.stem[len("image_ids__") :]] = [item["id"] for item in payload["data"]]
            elif path.stem.endswith("__detections"):
                self.detections[path.stem[: -len("__detections")]] = payload["data"]
            else:
                for entity in payload.get("data", [payload]):
                    self._add_fixture_entity(entity)

    def _add_fixture_entity(self, entity: Entity) -> None:
        entity = dict(entity)
        if isinstance(entity.get("merge_cc"), float):
            # The capture went through jq, which printed this int64 as a float.
            entity["merge_cc"] = int(Decimal(repr(entity["merge_cc"])))
        for field in THUMB_FIELDS:
            if field in entity:
                entity[field] = THUMB_PLACEHOLDER  # captured URLs are fillers or long expired
        if "username" in entity:
            self.users[entity["id"]] = entity
        elif "object_type" in entity:
            self.map_features[entity["id"]] = entity
        else:
            self.images[entity["id"]] = entity
            creator = entity.get("creator")
            if creator:
                self.users.setdefault(creator["id"], dict(creator))


def _image(image: Image, detections: list[Detection]) -> Entity:
    focal = 0.5 if image.camera_type == "fisheye" else 0.85
    entity: Entity = {
        "altitude": image.altitude,
        "camera_parameters": [] if image.is_pano else [focal, -6.6e-05, -3.8e-05],
        "camera_type": image.camera_type,
        "captured_at": image.captured_at,
        "compass_angle": image.compass_angle,
        "creator": {"username": image.creator.username, "id": str(image.creator.id)},
        "exif_orientation": 1,
        "geometry": point(image.lon, image.lat),
        "height": image.height,
        "width": image.width,
        "is_pano": image.is_pano,
        "make": image.make,
        "model": image.model,
        "quality_score": image.quality_score,
        "sequence": image.sequence_id,
        "organization": {"id": str(image.organization.id)} if image.organization else None,
        "detections": {"data": [{"id": str(d.id)} for d in detections]},
    }
    if image.computed_lonlat is not None:
        entity.update(
            atomic_scale=1,
            computed_altitude=image.computed_altitude,
            computed_compass_angle=image.computed_compass_angle,
            computed_geometry=point(*image.computed_lonlat),
            computed_rotation=[1.57, 0.0, 0.0],
            merge_cc=image.merge_cc,
        )
    entity.update({field: THUMB_PLACEHOLDER for field in THUMB_FIELDS})
    entity["id"] = str(image.id)
    return {key: value for key, value in entity.items() if value is not None}


def _map_feature(feature: MapFeature, dataset: DemoDataset) -> Entity:
    observers = [dataset.image(i) for i in feature.image_ids]
    entity: Entity = {
        "first_seen_at": iso_time(feature.first_seen_at),
        "last_seen_at": iso_time(feature.last_seen_at),
        "object_value": feature.value,
        "object_type": "trafficsign" if feature.layer == "traffic_sign" else "mvd_fast",
        "geometry": point(*feature.lonlat) if feature.lonlat else None,
        "aligned_direction": feature.aligned_direction,
        "images": {"data": [{"geometry": point(i.lon, i.lat), "id": str(i.id)} for i in observers]},
        "id": str(feature.id),
    }
    return {key: value for key, value in entity.items() if value is not None}


def _detection(detection: Detection, image: Image) -> Entity:
    return {
        "created_at": iso_time(detection.created_at),
        "geometry": base64.b64encode(detection_geometry(detection.box)).decode(),
        "image": {"geometry": point(image.lon, image.lat), "id": str(image.id)},
        "value": detection.value,
        "id": str(detection.id),
    }
