"""Deterministic synthetic Mapillary data around central Lisbon.

Everything is generated from a seeded ``random.Random`` so that two
``DemoDataset()`` instances are identical.
"""

import math
import random
import string
from dataclasses import dataclass
from typing import Optional, Union

from .tilemath import tile_bounds, tile_for

DEMO_CENTER = (-9.14, 38.71)
DEMO_ZOOM = 14
_CX, _CY = tile_for(*DEMO_CENTER, DEMO_ZOOM)
# The 3x3 block of z14 tiles around the tile that contains DEMO_CENTER.
_WEST, _, _, _NORTH = tile_bounds(DEMO_ZOOM, _CX - 1, _CY - 1)
_, _SOUTH, _EAST, _ = tile_bounds(DEMO_ZOOM, _CX + 1, _CY + 1)
DEMO_BBOX = (_WEST, _SOUTH, _EAST, _NORTH)
DEMO_TILES = [(DEMO_ZOOM, x, y) for x in range(_CX - 1, _CX + 2) for y in range(_CY - 1, _CY + 2)]

FIRST_IMAGE_ID = 178993950747668
FIRST_CAPTURED_AT = 1436622890000
_TIME_START = 1388534400000  # 2014-01-01
_TIME_END = 1767225600000  # 2026-01-01
_METRE_LAT = 1.0 / 111_320.0
_METRE_LON = _METRE_LAT / math.cos(math.radians(DEMO_CENTER[1]))

POINT_VALUES = (
    "object--junction-box",
    "object--street-light",
    "object--fire-hydrant",
    "object--bench",
    "object--manhole",
    "object--support--utility-pole",
    "object--trash-can",
)
SIGN_VALUES = (
    "regulatory--stop--g1",
    "regulatory--no-entry--g1",
    "regulatory--one-way-right--g1",
    "warning--pedestrians-crossing--g1",
    "information--parking--g1",
    "information--pedestrians-crossing--g1",
    "complementary--both-directions--g2",
)
_CAMERAS = (
    ("perspective", "Apple", "iPhone 8", 4032, 3024),
    ("perspective", "samsung", "SM-G973F", 4032, 3024),
    ("fisheye", "GoPro", "HERO7 Black", 4000, 3000),
)
_PANO_CAMERA = ("spherical", "GoPro", "GoPro Max", 5760, 2880)


@dataclass(frozen=True)
class Creator:
    id: int
    username: str


@dataclass(frozen=True)
class Organization:
    id: int
    slug: str
    name: str
    description: str


@dataclass(frozen=True)
class Image:
    id: int
    sequence_id: str
    lon: float
    lat: float
    captured_at: int
    compass_angle: float
    altitude: float
    is_pano: bool
    width: int
    height: int
    quality_score: float
    creator: Creator
    organization: Optional[Organization]
    camera_type: Optional[str]
    make: Optional[str]
    model: Optional[str]
    # SfM results; all None when the image was not reconstructed.
    computed_lonlat: Optional[tuple[float, float]]
    computed_compass_angle: Optional[float]
    computed_altitude: Optional[float]
    merge_cc: Optional[int]


@dataclass(frozen=True)
class Sequence:
    id: str
    image_ids: tuple[int, ...]
    creator: Creator
    organization: Optional[Organization]
    is_pano: bool


@dataclass(frozen=True)
class MapFeature:
    id: int
    layer: str  # "point" or "traffic_sign"
    value: str
    lonlat: Optional[tuple[float, float]]  # None: the API knows no location
    first_seen_at: int
    last_seen_at: int
    image_ids: tuple[int, ...]
    aligned_direction: Optional[float]


@dataclass(frozen=True)
class Detection:
    id: int
    image_id: int
    map_feature_id: int
    value: str
    created_at: int
    box: tuple[int, int, int, int]  # x0, y0, x1, y1 in a 4096 x 4096 image frame


class DemoDataset:
    """About 30 sequences, 1000 images, 80 map features and 60 traffic signs in Lisbon.

    `areas` (bounding boxes in degrees) asks for one sequence inside each instead, of
    `sequence_length` (min, max) images: a wide area with data in every tile, for soak tests.
    """

    def __init__(self, seed: int = 1755, areas: Optional[list[tuple[float, float, float, float]]] = None,
                 sequence_length: tuple[int, int] = (10, 60), revisits: int = 0):
        self._rng = random.Random(seed)
        self._areas = list(areas) if areas is not None else [DEMO_BBOX] * 30
        self._sequence_length = sequence_length
        self._used_ids: set[int] = set()
        self.creators = [
            Creator(self._new_id(), name) for name in ("lisboa_walker", "tram28_rider", "olisipo_mapper", "alfama360")
        ]
        self.organizations = [
            Organization(
                self._new_id(), "lisbon-street-survey", "Lisbon Street Survey", "Municipal street-level survey."
            ),
            Organization(
                self._new_id(), "tejo-mapping-coop", "Tejo Mapping Co-op", "Volunteer mappers along the river."
            ),
        ]
        self.sequences: list[Sequence] = []
        self.images: list[Image] = []
        self._make_sequences(len(self._areas))
        for index in range(revisits):  # the same streets driven again, years later ("same place, other dates")
            self._revisit(self.sequences[index], index)
        self._images_by_id = {image.id: image for image in self.images}
        self._sequences_by_id = {sequence.id: sequence for sequence in self.sequences}
        self.map_features: list[MapFeature] = []
        self.traffic_signs: list[MapFeature] = []
        self.detections: list[Detection] = []
        self._make_map_features(80, "point", POINT_VALUES, self.map_features)
        self._make_map_features(60, "traffic_sign", SIGN_VALUES, self.traffic_signs)
        self._features_by_id = {f.id: f for f in self.map_features + self.traffic_signs}
        self._creators_by_id = {creator.id: creator for creator in self.creators}
        self._organizations_by_id = {org.id: org for org in self.organizations}
        self._detections_by_parent: dict[int, list[Detection]] = {}
        for detection in self.detections:
            self._detections_by_parent.setdefault(detection.image_id, []).append(detection)
            self._detections_by_parent.setdefault(detection.map_feature_id, []).append(detection)

    def image(self, image_id: Union[int, str]) -> Optional[Image]:
        return self._images_by_id.get(int(image_id))

    def sequence(self, sequence_id: str) -> Optional[Sequence]:
        return self._sequences_by_id.get(sequence_id)

    def map_feature(self, feature_id: Union[int, str]) -> Optional[MapFeature]:
        """A map feature of either layer (``point`` or ``traffic_sign``)."""
        return self._features_by_id.get(int(feature_id))

    def creator(self, creator_id: Union[int, str]) -> Optional[Creator]:
        return self._creators_by_id.get(int(creator_id))

    def organization(self, organization_id: Union[int, str]) -> Optional[Organization]:
        return self._organizations_by_id.get(int(organization_id))

    def detections_of(self, entity_id: Union[int, str]) -> list[Detection]:
        """Detections in an image, or detections that make up a map feature."""
        return list(self._detections_by_parent.get(int(entity_id), ()))

    def _new_id(self) -> int:
        while True:
            new = self._rng.randrange(10**14, 10**16)
            if new not in self._used_ids:
                self._used_ids.add(new)
                return new

    def _sequence_key(self) -> str:
        return "".join(self._rng.choice(string.ascii_lowercase + string.digits) for _ in range(22))

    def _make_sequences(self, count: int) -> None:
        rng = self._rng
        image_id = FIRST_IMAGE_ID
        zero_time_slots = {(4, 3), (17, 0)}  # real tiles carry a few images with captured_at 0
        for index in range(count):
            is_pano = index % 8 == 3
            creator = self.creators[index % len(self.creators)]
            organization = self.organizations[index // 4 % 2] if index % 4 == 2 else None
            camera = _PANO_CAMERA if is_pano else rng.choice(_CAMERAS)
            start = FIRST_CAPTURED_AT if index == 0 else rng.randrange(_TIME_START, _TIME_END)
            key = self._sequence_key()
            ids = []
            line = self._street_line(rng.randint(*self._sequence_length), self._areas[index])
            for step, (lon, lat, heading) in enumerate(line):
                while image_id in self._used_ids:
                    image_id += 1
                self._used_ids.add(image_id)
                captured_at = 0 if (index, step) in zero_time_slots else start + step * rng.randint(1000, 3000)
                self.images.append(
                    self._make_image(
                        image_id, key, lon, lat, heading, captured_at, is_pano, camera, creator, organization
                    )
                )
                ids.append(image_id)
                image_id += rng.randint(10**9, 2 * 10**12)
            self.sequences.append(Sequence(key, tuple(ids), creator, organization, is_pano))

    def _revisit(self, earlier: Sequence, index: int) -> None:
        """A new sequence along `earlier`'s images, a metre or two off, looking the same way, later."""
        rng = self._rng
        creator = self.creators[(index + 1) % len(self.creators)]
        by_id = {image.id: image for image in self.images}
        start = max(by_id[i].captured_at for i in earlier.image_ids) + rng.randrange(1, 4) * 365 * 86_400_000
        key = self._sequence_key()
        ids = []
        image_id = max(self._used_ids) + rng.randint(10**9, 10**10)
        for step, old_id in enumerate(earlier.image_ids):
            old = by_id[old_id]
            self._used_ids.add(image_id)
            self.images.append(self._make_image(
                image_id, key, old.lon + rng.gauss(0, 1.5) * _METRE_LON, old.lat + rng.gauss(0, 1.5) * _METRE_LAT,
                old.compass_angle, start + step * 2000, earlier.is_pano,
                _PANO_CAMERA if earlier.is_pano else rng.choice(_CAMERAS), creator, None))
            ids.append(image_id)
            image_id += rng.randint(10**9, 10**10)
        self.sequences.append(Sequence(key, tuple(ids), creator, None, earlier.is_pano))

    def _street_line(self, length: int, area: tuple) -> list[tuple[float, float, float]]:
        """Points along a straight-ish or curving street, with the heading at each point."""
        rng = self._rng
        min_lon, min_lat, max_lon, max_lat = area
        margin_lon, margin_lat = (max_lon - min_lon) * 0.05, (max_lat - min_lat) * 0.05
        lon = rng.uniform(min_lon + margin_lon, max_lon - margin_lon)
        lat = rng.uniform(min_lat + margin_lat, max_lat - margin_lat)
        heading = rng.uniform(0.0, 360.0)
        curvature = rng.choice((0.0, 0.5, 2.0, 4.0))
        points = []
        for _ in range(length):
            points.append((lon, lat, heading))
            step = rng.uniform(4.0, 9.0)
            for _ in range(2):  # turn back at the edge of the demo area
                next_lon = lon + step * math.sin(math.radians(heading)) * _METRE_LON
                next_lat = lat + step * math.cos(math.radians(heading)) * _METRE_LAT
                if min_lon < next_lon < max_lon and min_lat < next_lat < max_lat:
                    break
                heading = (heading + 180.0) % 360.0
            lon, lat = next_lon, next_lat
            heading = (heading + rng.gauss(0.0, curvature)) % 360.0
        return points

    def _make_image(
        self, image_id, sequence_id, lon, lat, heading, captured_at, is_pano, camera, creator, organization
    ) -> Image:
        rng = self._rng
        camera_type, make, model, width, height = camera
        compass = (heading + rng.gauss(0.0, 3.0)) % 360.0
        reconstructed = rng.random() > 0.03
        altitude = rng.uniform(20.0, 100.0)
        has_make = rng.random() > 0.08
        return Image(
            id=image_id,
            sequence_id=sequence_id,
            lon=lon,
            lat=lat,
            captured_at=captured_at,
            compass_angle=compass,
            altitude=altitude,
            is_pano=is_pano,
            width=width,
            height=height,
            quality_score=rng.uniform(0.3, 1.0),
            creator=creator,
            organization=organization,
            camera_type=camera_type if rng.random() > 0.04 else None,
            make=make if has_make else None,
            model=model if has_make else None,
            computed_lonlat=(lon + rng.gauss(0, 1e-5), lat + rng.gauss(0, 1e-5)) if reconstructed else None,
            computed_compass_angle=(compass + rng.gauss(0.0, 2.0)) % 360.0 if reconstructed else None,
            computed_altitude=altitude + rng.gauss(0.0, 5.0) if reconstructed else None,
            merge_cc=rng.randrange(2**60, 2**63) if reconstructed else None,
        )

    def _make_map_features(self, count: int, layer: str, values: tuple[str, ...], into: list[MapFeature]) -> None:
        rng = self._rng
        dated = [image for image in self.images if image.captured_at > 0]
        for index in range(count):
            anchor = rng.choice(dated)
            sequence = self._sequences_by_id[anchor.sequence_id]
            position = sequence.image_ids.index(anchor.id)
            nearby = [i for i in sequence.image_ids[max(0, position - 3) : position + 4] if self._image_time(i) > 0]
            observers = sorted(rng.sample(nearby, min(len(nearby), rng.randint(1, 4))), key=self._image_time)
            times = [self._image_time(i) for i in observers]
            side = rng.choice((-90.0, 90.0))
            offset = rng.uniform(3.0, 15.0)
            bearing = math.radians(anchor.compass_angle + side)
            lonlat = (
                anchor.lon + offset * math.sin(bearing) * _METRE_LON,
                anchor.lat + offset * math.cos(bearing) * _METRE_LAT,
            )
            is_sign = layer == "traffic_sign"
            feature = MapFeature(
                id=self._new_id(),
                layer=layer,
                value=rng.choice(values),
                # One sign without a location, as the real API sometimes returns.
                lonlat=None if is_sign and index == count - 1 else lonlat,
                first_seen_at=min(times),
                last_seen_at=max(times),
                image_ids=tuple(observers),
                aligned_direction=(anchor.compass_angle + 180.0 + rng.gauss(0.0, 10.0)) % 360.0 if is_sign else None,
            )
            into.append(feature)
            for image_id, seen_at in zip(observers, times):
                x0, y0 = rng.randrange(200, 3600), rng.randrange(800, 3000)
                box = (x0, y0, x0 + rng.randrange(40, 400), y0 + rng.randrange(40, 400))
                created_at = seen_at + rng.randrange(86_400_000, 200 * 86_400_000)
                self.detections.append(Detection(self._new_id(), image_id, feature.id, feature.value, created_at, box))

    def _image_time(self, image_id: int) -> int:
        return self._images_by_id[image_id].captured_at
