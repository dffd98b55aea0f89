"""Fuzz: broken Graph API answers give a valid result or a `MapillaryError`, never another exception.

Real answers of the fake (an image, a map feature, detections, error bodies)
are mutated (wrong types, fields missing or null, nested garbage, huge
numbers) or replaced by any JSON value, by bytes that are not JSON, or by
JSON nested deeper than Python's recursion limit. They go through the pure
parsers (`core/graph.py`, `core/identify.py`, `core/labels.py`,
`errors.py`) and, served by the fake over HTTP, through the `Client` and the
Graph requests. Hypothesis runs a fixed number of examples, derandomized.
"""

import base64
import json
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mapillary_qgis.client import Client
from mapillary_qgis.core import graph
from mapillary_qgis.core.identify import capture_times, offset_m
from mapillary_qgis.core.labels import camera_label, feature_label
from mapillary_qgis.errors import ApiError, MapillaryError, error_from_response, parse_error_body
from tests.fake_mapillary import FakeMapillary, responses
from tests.graph_json import deep, dumps, json_values, mutated, points, real_answers

FUZZ = settings(max_examples=150, derandomize=True, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
JSON_TYPE = "application/json; charset=UTF-8"
ERROR_STATUSES = (400, 401, 403, 404, 429, 500, 502, 503)


REAL = real_answers()
ERROR_BODIES = [responses.rate_limited(), responses.invalid_token(), responses.not_found("1"),
                responses.blocked(), responses.server_error_json(), responses.unauthorized_application("1")]


def any_answer(name):
    """A real answer of that kind, mutated, or any JSON value at all."""
    return st.one_of(mutated(REAL[name]), json_values)


# -- the pure parsers ----------------------------------------------------------------------


@FUZZ
@given(details=st.one_of(any_answer("image"), any_answer("feature")))
def test_details_parsers_answer_plainly(details):
    if not isinstance(details, dict):
        return  # the Graph requests turn a non-object into an ApiError (below)
    for computed in (False, True):
        where = graph.position(details, computed)
        assert where is None or (
            math.isfinite(where[0]) and -180 <= where[0] <= 180 and math.isfinite(where[1]) and -90 <= where[1] <= 90)
    offset = offset_m(details)
    assert offset is None or (math.isfinite(offset) and offset >= 0)
    utc, local = capture_times(details.get("captured_at"))
    assert isinstance(utc, str) and isinstance(local, str)
    for key in ("first_seen_at", "last_seen_at"):
        ms = graph.parse_graph_time(details.get(key))
        assert ms is None or isinstance(ms, int)
    assert isinstance(camera_label(details), str)
    assert isinstance(feature_label(details.get("object_value", "")), str)


@FUZZ
@given(geometry=points, computed_geometry=points)
def test_positions_are_on_earth_or_none(geometry, computed_geometry):
    details = {"geometry": geometry, "computed_geometry": computed_geometry}
    for computed in (False, True):
        where = graph.position(details, computed)
        assert where is None or (-180 <= where[0] <= 180 and -90 <= where[1] <= 90)
    offset = offset_m(details)
    assert offset is None or (math.isfinite(offset) and offset >= 0)


@FUZZ
@given(geometry=st.one_of(json_values, st.binary(max_size=64).map(lambda b: base64.b64encode(b).decode())))
def test_detection_outlines_are_rings_or_nothing(geometry):
    rings = graph.decode_detection_geometry(geometry)
    assert isinstance(rings, tuple)
    assert all(len(ring) >= 3 and all(len(point) == 2 for point in ring) for ring in rings)


@FUZZ
@given(status=st.sampled_from(ERROR_STATUSES), body=st.one_of(
    st.sampled_from(ERROR_BODIES).flatmap(lambda r: mutated(json.loads(r.body))), json_values),
    tiles=st.booleans(), retry_after=st.one_of(st.none(), st.floats(0, 1e9)))
def test_error_bodies_give_a_mapillary_error(status, body, tiles, retry_after):
    assert isinstance(parse_error_body(body), dict)
    error = error_from_response(status, body, tiles=tiles, retry_after=retry_after)
    assert isinstance(error, MapillaryError) and isinstance(error.message, str) and error.message
    assert "MLY|x|y" not in error.message and "MLY|x|y" not in (error.api_message or "")
    assert error.status == status


# -- through the Client, over HTTP ---------------------------------------------------------


@pytest.fixture(scope="module")
def served():
    """The fake, and a client on it that does not retry (one answer, one request)."""
    with FakeMapillary(fixtures_dir=None) as fake:
        yield fake, Client(fake.token, graph_url=fake.graph_url, tiles_url=fake.tiles_url, max_retries=0,
                           timeout=(2, 5))


def answer(fake, body: bytes, status=200, content_type=JSON_TYPE):
    """The fake's next Graph answer, whatever the request."""
    fake.clear_faults()
    fake.inject("status", host="graph", status=status, body=body, content_type=content_type)


def valid_or_mapillary_error(call):
    try:
        return call()
    except MapillaryError as exc:
        assert isinstance(exc.message, str) and exc.message
        return None


@FUZZ
@given(body=any_answer("image"))
def test_image_and_feature_details(served, body):
    fake, client = served
    for request in (graph.image_details, graph.map_feature_details):
        answer(fake, dumps(body))
        details = valid_or_mapillary_error(lambda request=request: request(client, "1234"))
        assert details is None or (isinstance(details, dict) and details["id"] == "1234")


def test_an_answer_about_another_object_is_an_error(served):
    fake, client = served
    for other in (b'{"id": "999"}', b'{"id": "garbage/../x"}', b'{"id": null}'):
        answer(fake, other)
        with pytest.raises(ApiError, match="another object"):
            graph.image_details(client, "1234")
    answer(fake, b'{"captured_at": 1}')  # no id: the one asked for
    assert graph.image_details(client, "1234")["id"] == "1234"


@FUZZ
@given(body=any_answer("images"))
def test_images_details(served, body):
    fake, client = served
    answer(fake, dumps(body))
    found = valid_or_mapillary_error(lambda: graph.images_details(client, ["1", "2", "3"], ["id", "geometry"]))
    assert found is None or all(isinstance(item, dict) for item in found)


@FUZZ
@given(body=any_answer("image_ids"))
def test_sequence_image_ids(served, body):
    fake, client = served
    answer(fake, dumps(body))
    ids = valid_or_mapillary_error(lambda: graph.sequence_image_ids(client, "abc"))
    assert ids is None or all(isinstance(i, str) for i in ids)


@FUZZ
@given(body=any_answer("detections"))
def test_detections(served, body):
    fake, client = served
    answer(fake, dumps(body))
    found = valid_or_mapillary_error(lambda: graph.detections(client, "1234"))
    assert found is None or all(isinstance(d, graph.Detection) and isinstance(d.id, str) for d in found)


@FUZZ
@given(body=st.one_of(st.binary(max_size=200), st.sampled_from(
    [b"", b"<html>500</html>", b"<?xml version='1.0'?><error/>", b"null", b"[1,", b'{"data":', deep(500)])))
def test_bodies_that_are_not_json_objects(served, body):
    fake, client = served
    answer(fake, body)
    details = valid_or_mapillary_error(lambda: graph.image_details(client, "1234"))
    assert details is None or isinstance(details["id"], str)


@pytest.mark.parametrize("kind", ["list", "object"])
def test_json_nested_past_the_recursion_limit_is_a_mapillary_error(served, kind):
    """Python up to 3.13 cannot parse it (a MapillaryError, never RecursionError); 3.14 can."""
    fake, client = served
    answer(fake, deep(50_000, kind))
    try:
        value = client.get_json("/1234")
    except MapillaryError as exc:
        assert "could not be read" in exc.message
    else:
        assert isinstance(value, (list, dict))
    answer(fake, deep(50_000, kind))
    valid_or_mapillary_error(lambda: graph.image_details(client, "1234"))


@FUZZ
@given(status=st.sampled_from(ERROR_STATUSES), body=st.one_of(
    st.sampled_from(ERROR_BODIES).flatmap(lambda r: mutated(json.loads(r.body))).map(dumps),
    json_values.map(dumps), st.binary(max_size=100), st.just(deep(50_000))))
def test_error_answers_raise_a_mapillary_error(served, status, body):
    fake, client = served
    answer(fake, body, status=status)
    with pytest.raises(MapillaryError) as info:
        client.get_json("/1234", {"fields": "id"})
    assert info.value.status == status
