"""Which layers and properties each Mapillary tileset carries at each zoom."""

import threading
from typing import Optional

from . import mvt
from .dataset import DemoDataset, Image, MapFeature, Organization, Sequence
from .tilemath import BBox, bboxes_intersect, in_bbox, tile_bounds

COVERAGE_TILESETS = ("mly1_public", "mly1_computed_public")
FEATURE_TILESETS = {"mly_map_feature_point": "point", "mly_map_feature_traffic_sign": "traffic_sign"}
TILESETS = COVERAGE_TILESETS + tuple(FEATURE_TILESETS)
MAX_ZOOM = 14
OVERVIEW_MAX_ZOOM = 5
OVERVIEW_EVERY = 10  # the overview layer keeps one image in ten


class TileSource:
    """Encodes (and caches) the demo dataset's tiles."""

    def __init__(self, dataset: DemoDataset):
        self._dataset = dataset
        self._cache: dict[tuple[str, int, int, int], bytes] = {}
        self._lock = threading.Lock()

    def tile(self, tileset: str, z: int, x: int, y: int) -> bytes:
        """MVT bytes of one tile; ``KeyError`` for an unknown tileset."""
        if tileset not in TILESETS:
            raise KeyError(tileset)
        key = (tileset, z, x, y)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        with self._lock:
            if key not in self._cache:
                self._cache[key] = mvt.encode_tile(self.layers(tileset, z, x, y), z, x, y)
            return self._cache[key]

    def layers(self, tileset: str, z: int, x: int, y: int) -> dict[str, list[mvt.Feature]]:
        """The features of each layer of a tile, before encoding."""
        if z > MAX_ZOOM:
            return {}
        area = tile_bounds(z, x, y, margin=mvt.BUFFER / mvt.EXTENT)
        if tileset in FEATURE_TILESETS:
            if z < MAX_ZOOM:
                return {}
            layer = FEATURE_TILESETS[tileset]
            features = self._dataset.map_features if layer == "point" else self._dataset.traffic_signs
            return {layer: [_map_feature(f) for f in features if f.lonlat and in_bbox(*f.lonlat, area)]}
        computed = tileset == "mly1_computed_public"
        if z <= OVERVIEW_MAX_ZOOM:
            return {"overview": self._overview(area, computed)}
        layers = {"sequence": self._sequences(area, computed)}
        if z == MAX_ZOOM:
            layers["image"] = [
                _image_point(image, computed)
                for image in self._dataset.images
                if in_bbox(*_position(image, computed), area)
            ]
        return layers

    def _overview(self, area: BBox, computed: bool) -> list[mvt.Feature]:
        features = []
        for sequence in self._dataset.sequences:
            for image_id in sequence.image_ids[::OVERVIEW_EVERY]:
                image = self._dataset.image(image_id)
                position = _position(image, computed)
                if in_bbox(*position, area):
                    properties = {
                        "id": image.id,
                        "captured_at": image.captured_at,
                        "sequence_id": image.sequence_id,
                        "is_pano": image.is_pano,
                        "creator_id": image.creator.id,
                    }
                    features.append((position, properties))
        return features

    def _sequences(self, area: BBox, computed: bool) -> list[mvt.Feature]:
        features = []
        for sequence in self._dataset.sequences:
            images = [self._dataset.image(i) for i in sequence.image_ids]
            line = [_position(image, computed) for image in images]
            lons, lats = [p[0] for p in line], [p[1] for p in line]
            if bboxes_intersect((min(lons), min(lats), max(lons), max(lats)), area):
                features.append((line, _sequence_properties(sequence, images[0])))
        return features


def _position(image: Image, computed: bool) -> tuple[float, float]:
    if computed and image.computed_lonlat is not None:
        return image.computed_lonlat
    return image.lon, image.lat


def _image_point(image: Image, computed: bool) -> mvt.Feature:
    compass = image.compass_angle
    if computed and image.computed_compass_angle is not None:
        compass = image.computed_compass_angle
    properties = {
        "id": image.id,
        "captured_at": image.captured_at,
        "compass_angle": compass,
        "sequence_id": image.sequence_id,
        "organization_id": _organization_id(image.organization),
        "is_pano": image.is_pano,
        "creator_id": image.creator.id,
    }
    return _position(image, computed), properties


def _sequence_properties(sequence: Sequence, first: Image) -> dict:
    return {
        "id": sequence.id,
        "image_id": first.id,
        "captured_at": first.captured_at,
        "organization_id": _organization_id(sequence.organization),
        "is_pano": sequence.is_pano,
        "creator_id": sequence.creator.id,
    }


def _map_feature(feature: MapFeature) -> mvt.Feature:
    properties = {
        "id": feature.id,
        "value": feature.value,
        "first_seen_at": feature.first_seen_at,
        "last_seen_at": feature.last_seen_at,
    }
    return feature.lonlat, properties


def _organization_id(organization: Optional[Organization]) -> Optional[int]:
    return organization.id if organization is not None else None
