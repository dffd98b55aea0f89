"""Error mapping and redaction, including the real error bodies Mapillary sent."""

import json

import pytest

from mapillary_qgis.errors import (
    ApiError,
    InvalidTokenError,
    NotFoundError,
    RateLimitError,
    error_from_response,
    redact,
)

TOKEN = "MLY|5675152195860640|6b02c72e6e3c801e5603ab0495623282"


@pytest.mark.parametrize(
    "text",
    [
        f"https://tiles.mapillary.com/maps/vtp/mly1_public/2/14/1/2?access_token={TOKEN}",
        "https://tiles.mapillary.com/x?a=1&access_token=MLY%7C5675152195860640%7C6b02c72e6e3c801e5603ab0495623282&b=2",
        f"{{'Authorization': 'OAuth {TOKEN}'}}",
        f"Authorization: Bearer {TOKEN}",
        f"token is {TOKEN}.",
    ],
)
def test_redact_removes_every_form_of_a_token(text):
    cleaned = redact(text)
    assert "6b02c72e6e3c801e5603ab0495623282" not in cleaned
    assert "REDACTED" in cleaned


def test_redact_removes_named_secrets_that_look_like_nothing():
    user_token = "EAAGm0PX4ZCpsBAKZCZCZBZ"
    assert user_token not in redact(f"failed with {user_token} and {user_token}", user_token)


def test_redact_keeps_the_rest():
    url = "https://graph.mapillary.com/123?fields=id,captured_at"
    assert redact(url) == url


def test_messages_are_redacted_when_the_error_is_made():
    error = ApiError(f"boom at ?access_token={TOKEN}", api_message=f"OAuth {TOKEN}")
    assert TOKEN not in str(error) and TOKEN not in error.api_message


@pytest.mark.parametrize(
    "status,body,kind",
    [
        (401, {"error": {"code": 190, "message": "Invalid OAuth 2.0 Access Token"}}, InvalidTokenError),
        (500, {"error": {"code": 190}}, InvalidTokenError),  # JOSM's stub used 500 for code 190
        (403, {"error": {"code": 4, "is_transient": True}}, RateLimitError),
        (429, None, RateLimitError),
        (400, {"error": {"code": 100, "error_subcode": 33}}, NotFoundError),
        (404, None, NotFoundError),
        (400, {"error": {"code": 100, "message": "bbox too big"}}, ApiError),
        (502, None, ApiError),
    ],
)
def test_error_mapping(status, body, kind):
    error = error_from_response(status, body, tiles=False)
    assert type(error) is kind
    assert error.status == status


def test_tiles_403_without_a_body_means_the_token():
    assert isinstance(error_from_response(403, None, tiles=True), InvalidTokenError)
    assert type(error_from_response(403, None, tiles=False)) is ApiError


def test_only_server_errors_and_rate_limits_are_retryable():
    assert error_from_response(503, None, tiles=True).retryable
    assert error_from_response(429, None, tiles=True).retryable
    assert not error_from_response(400, None, tiles=True).retryable
    assert not error_from_response(401, None, tiles=True).retryable


@pytest.mark.parametrize(
    "name,status,kind,code",
    [
        ("invalid_oauth_token_code190.json", 401, InvalidTokenError, 190),
        ("application_request_limit_reached.json", 403, RateLimitError, 4),
        ("object_not_found_code100_subcode33.json", 400, NotFoundError, 100),
    ],
)
def test_real_error_bodies(fixtures_dir, name, status, kind, code):
    body = json.loads((fixtures_dir / "graph" / "errors" / name).read_text())
    error = error_from_response(status, body, tiles=False)
    assert type(error) is kind
    assert error.code == code and error.fbtrace_id == body["error"]["fbtrace_id"]
    assert error.api_message == body["error"]["message"]
