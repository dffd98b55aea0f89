"""Graph API calls against the fake Mapillary over real HTTP, detection outlines, time and position helpers."""

import base64
import json

import pytest

from mapillary_qgis.client import Client
from mapillary_qgis.core.graph import (
    IMAGE_FIELDS,
    MAP_FEATURE_FIELDS,
    Detection,
    decode_detection_geometry,
    detections,
    image_details,
    images_details,
    map_feature_details,
    parse_graph_time,
    position,
    sequence_image_ids,
)
from mapillary_qgis.errors import InvalidTokenError, MapillaryError, NotFoundError, RateLimitError
from tests.fake_mapillary.pbf import detection_geometry

FIXTURE_SEQUENCE = "7nfcwfvjdtphz7yj6zat6a"


def graph_requests(fake):
    return [r for r in fake.requests if r.host == "graph"]


# -- images ---------------------------------------------------------------------------------------


def test_image_details_one_request_with_header_and_every_field(fake, client):
    image = next(i for i in fake.dataset.images if i.organization and i.computed_lonlat and i.make)
    details = image_details(client, image.id)
    assert details["id"] == str(image.id)
    assert details["captured_at"] == image.captured_at
    assert details["creator"] == {"username": image.creator.username, "id": str(image.creator.id)}
    assert details["organization"] == {"id": str(image.organization.id)}
    assert details["sequence"] == image.sequence_id
    assert (details["make"], details["model"], details["width"]) == (image.make, image.model, image.width)
    assert position(details) == (image.lon, image.lat)
    assert position(details, computed=True) == image.computed_lonlat
    assert details["thumb_1024_url"].startswith("http") and details["thumb_256_url"].startswith("http")
    (request,) = fake.requests
    assert request.path == f"/{image.id}"
    assert request.query["fields"][0].split(",") == list(IMAGE_FIELDS)
    assert request.headers["authorization"] == f"OAuth {fake.token}"
    assert "access_token" not in request.query


def test_missing_fields_are_absent(fake, client):
    image = next(i for i in fake.dataset.images if i.make is None and i.computed_lonlat is None)
    details = image_details(client, str(image.id))
    assert not {"make", "model", "computed_geometry", "computed_compass_angle"} & set(details)
    assert position(details, computed=True) is None


def test_not_found_is_typed(fake, client, waits):
    with pytest.raises(NotFoundError) as caught:
        image_details(client, "123456789")
    assert (caught.value.status, caught.value.code, caught.value.subcode) == (400, 100, 33)
    assert waits == []  # never retried
    with pytest.raises(NotFoundError):
        map_feature_details(client, 42)


def test_ids_that_are_not_numbers_make_no_request(fake, client):
    for bad in ("me", "../images", "1/detections", "", "12 34"):
        with pytest.raises(NotFoundError):
            image_details(client, bad)
    with pytest.raises(NotFoundError):
        sequence_image_ids(client, " ")
    assert fake.requests == []


def test_invalid_token(fake):
    client = Client("MLY|1|00000000000000000000000000000000", graph_url=fake.graph_url, max_retries=0)
    with pytest.raises(InvalidTokenError):
        image_details(client, fake.dataset.images[0].id)
    assert fake.token not in str(fake.requests[-1].headers)  # only the client's own token went out


def test_rate_limit_is_retried_then_raised(fake, client, waits):
    fake.inject("rate_limit", host="graph", count=None)
    with pytest.raises(RateLimitError):
        sequence_image_ids(client, fake.dataset.sequences[0].id)
    assert len(waits) == client.max_retries


def test_rate_limit_once_then_success(fake, client, waits):
    fake.inject("rate_limit", host="graph", count=1, status=429)
    sequence = fake.dataset.sequences[1]
    assert sequence_image_ids(client, sequence.id) == [str(i) for i in sequence.image_ids]
    assert len(waits) == 1


def test_unreadable_answers_are_errors(fake, client):
    fake.inject("status", host="graph", status=200, body=b'{"data": 3}', content_type="application/json")
    with pytest.raises(MapillaryError):
        sequence_image_ids(client, fake.dataset.sequences[0].id)
    fake.inject("status", host="graph", status=200, body=b"[1, 2]", content_type="application/json")
    with pytest.raises(MapillaryError):
        image_details(client, fake.dataset.images[0].id)


def test_images_details_in_batches(fake, client):
    ids = [str(i.id) for i in fake.dataset.images[:7]]
    found = images_details(client, ids + ["123456789", ids[0]], ["id", "captured_at"], batch=3)
    assert [d["id"] for d in found] == ids  # the unknown id left out, the repeated one asked once
    assert all(set(d) == {"id", "captured_at"} for d in found)
    requests = graph_requests(fake)
    assert [r.path for r in requests] == ["/images"] * 3
    assert [r.query["image_ids"][0].split(",") for r in requests] == [ids[0:3], ids[3:6], [ids[6], "123456789"]]
    assert requests[0].query["fields"] == ["id,captured_at"]
    assert [d["id"] for d in images_details(client, ids[:2], "id,captured_at")] == ids[:2]
    assert fake.requests[-1].query["fields"] == ["id,captured_at"]
    assert images_details(client, [], ["id"]) == []
    with pytest.raises(ValueError):
        images_details(client, ids, ["id"], batch=0)


# -- sequences ------------------------------------------------------------------------------------


def test_sequence_image_ids_in_capture_order(fake, client):
    sequence = fake.dataset.sequences[2]
    assert sequence_image_ids(client, sequence.id) == [str(i) for i in sequence.image_ids]
    assert fake.requests[-1].query == {"sequence_id": [sequence.id]}
    assert sequence_image_ids(client, "unknownsequencekey0000") == []


def test_fixture_sequence_order(fake, client, fixtures_dir):
    expected = json.loads((fixtures_dir / "graph" / f"image_ids__{FIXTURE_SEQUENCE}.json").read_text())
    ids = sequence_image_ids(client, FIXTURE_SEQUENCE)
    assert ids == [item["id"] for item in expected["data"]]
    assert ids[0] == "148137757289079" and len(ids) == 8


def test_fixture_image_details(fake, client, fixtures_dir):
    details = image_details(client, "135511895288847")
    assert details["sequence"] == FIXTURE_SEQUENCE
    assert details["camera_type"] == "perspective" and details["captured_at"] == 1563721072184
    assert "creator" not in details and "organization" not in details  # not in the capture
    assert position(details) == (-108.57081597222, 39.068354972222)


# -- map features ---------------------------------------------------------------------------------


def test_map_feature_details(fake, client):
    sign = next(s for s in fake.dataset.traffic_signs if s.lonlat is not None)
    details = map_feature_details(client, sign.id)
    assert details["id"] == str(sign.id)
    assert details["object_value"] == sign.value and details["object_type"] == "trafficsign"
    assert parse_graph_time(details["first_seen_at"]) == sign.first_seen_at // 1000 * 1000
    assert parse_graph_time(details["last_seen_at"]) == sign.last_seen_at // 1000 * 1000
    assert [i["id"] for i in details["images"]["data"]] == [str(i) for i in sign.image_ids]
    assert details["aligned_direction"] == pytest.approx(sign.aligned_direction)
    assert fake.requests[-1].query["fields"][0].split(",") == list(MAP_FEATURE_FIELDS)
    located_nowhere = fake.dataset.traffic_signs[-1]
    assert position(map_feature_details(client, located_nowhere.id)) is None


def test_fixture_map_feature(fake, client, fixtures_dir):
    details = map_feature_details(client, "496980935069177")
    assert details["object_value"] == "complementary--both-directions--g2"
    assert parse_graph_time(details["first_seen_at"]) == 1503523946000
    assert len(details["images"]["data"]) == 3


# -- detections -----------------------------------------------------------------------------------


def box_ring(box, extent=4096):
    x0, y0, x1, y1 = (v / extent for v in box)
    return ((x0, y0), (x1, y0), (x1, y1), (x0, y1))


def test_detections_of_an_image_and_of_a_map_feature(fake, client):
    feature = fake.dataset.map_features[0]
    expected = fake.dataset.detections_of(feature.id)
    found = detections(client, feature.id)
    assert [d.id for d in found] == [str(d.id) for d in expected]
    for got, want in zip(found, expected):
        assert isinstance(got, Detection)
        assert got.value == feature.value and got.image_id == str(want.image_id)
        assert parse_graph_time(got.created_at) == want.created_at // 1000 * 1000
        assert got.rings == (box_ring(want.box),)
    image_id = expected[0].image_id
    in_image = detections(client, image_id)
    assert {d.id for d in in_image} == {str(d.id) for d in fake.dataset.detections_of(image_id)}
    assert fake.requests[-1].path == f"/{image_id}/detections"
    assert fake.requests[-1].headers["authorization"] == f"OAuth {fake.token}"
    with pytest.raises(NotFoundError):
        detections(client, "123456789")


def test_fixture_detections_decode_inside_the_image(fixtures_dir):
    files = sorted((fixtures_dir / "graph").glob("*__detections.json"))
    assert files
    count = 0
    for path in files:
        for item in json.loads(path.read_text())["data"]:
            rings = decode_detection_geometry(item["geometry"])
            assert rings, (path.name, item["id"])
            for ring in rings:
                assert len(ring) >= 3
                assert all(0.0 <= u <= 1.0 and 0.0 <= v <= 1.0 for u, v in ring)
            count += 1
    assert count >= 20


def test_fixture_detection_exact_outline(fixtures_dir):
    """The second detection of 135511895288847: a version-1 layer with one four-corner ring (decoded by hand)."""
    data = json.loads((fixtures_dir / "graph" / "135511895288847__detections.json").read_text())["data"]
    (ring,) = decode_detection_geometry(data[1]["geometry"])
    assert ring == ((2440 / 4096, 856 / 4096), (2852 / 4096, 856 / 4096),
                    (2852 / 4096, 1050 / 4096), (2440 / 4096, 1050 / 4096))


def test_fixture_detections_through_the_fake(fake, client, fixtures_dir):
    found = detections(client, "135511895288847")
    assert [d.value for d in found] == ["object--junction-box", "information--general-directions--g1"]
    assert all(d.image_id == "135511895288847" and d.rings for d in found)
    assert found[0].created_at == "2021-05-22T15:20:45+0000"


def test_other_extent():
    geometry = base64.b64encode(detection_geometry((0, 0, 512, 256), extent=1024)).decode()
    assert decode_detection_geometry(geometry) == (((0.0, 0.0), (0.5, 0.0), (0.5, 0.25), (0.0, 0.25)),)


@pytest.mark.parametrize(
    "bad",
    [
        None, "", "not base64!", base64.b64encode(b"\xff\xff\xff").decode(),
        base64.b64encode(detection_geometry((10, 10, 20, 20))[:-7]).decode(),  # truncated
        base64.b64encode(detection_geometry((10, 10, 20, 20)).replace(b"mpy-or", b"other!")).decode(),
        base64.b64encode(detection_geometry((10, 10, 20, 20), extent=0)).decode(),
        base64.b64encode(b"\x1a\x03\x08\x80\x80").decode(),  # varint running past the end
    ],
)
def test_corrupt_geometry_gives_no_outline(bad):
    assert decode_detection_geometry(bad) == ()


# -- helpers --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "ms"),
    [
        ("2021-05-22T15:20:45+0000", 1621696845000),
        ("2021-05-22T15:20:45+00:00", 1621696845000),
        ("2021-05-22T15:20:45Z", 1621696845000),
        ("2021-05-22T17:20:45+0200", 1621696845000),
        ("2021-05-22T15:20:45.250+0000", 1621696845250),
        ("1969-12-31T23:59:59+0000", -1000),
    ],
)
def test_parse_graph_time(text, ms):
    assert parse_graph_time(text) == ms


@pytest.mark.parametrize("bad", [None, 1621696845000, "", "yesterday", "2021-05-22", "2021-05-22T15:20:45"])
def test_parse_graph_time_bad_input(bad):
    assert parse_graph_time(bad) is None


@pytest.mark.parametrize(
    "details",
    [
        {},
        {"geometry": None},
        {"geometry": {"type": "Point"}},
        {"geometry": {"coordinates": [1.0]}},
        {"geometry": {"coordinates": ["a", 2]}},
        {"geometry": {"coordinates": [float("nan"), 2]}},
        {"geometry": {"coordinates": [200, 2]}},
    ],
)
def test_position_absent_or_malformed(details):
    assert position(details) is None


def test_position_reads_ints_and_extra_coordinates():
    details = {"computed_geometry": {"type": "Point", "coordinates": [3, 51, 12.5]}}
    assert position(details, computed=True) == (3.0, 51.0)
