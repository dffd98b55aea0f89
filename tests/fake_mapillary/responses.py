"""HTTP responses and the Graph-style error bodies Mapillary sends."""

import json
import random
import string
from dataclasses import dataclass, field
from typing import Any, Optional

JSON_TYPE = "application/json; charset=UTF-8"
MVT_TYPE = "application/x-protobuf"
HTML_500 = b"<html><body><h1>500 Internal Server Error</h1></body></html>"


@dataclass
class Response:
    status: int
    body: bytes = b""
    content_type: str = JSON_TYPE
    headers: dict[str, str] = field(default_factory=dict)


def json_response(payload: Any, status: int = 200) -> Response:
    return Response(status, json.dumps(payload, separators=(",", ":")).encode())


def fbtrace_id() -> str:
    return "A" + "".join(random.choices(string.ascii_letters + string.digits + "_-", k=22))


def error_response(
    status: int,
    message: str,
    code: int,
    error_type: str = "MLYApiException",
    subcode: Optional[int] = None,
    **extra: Any,
) -> Response:
    """``{"error": {...}}`` in the Facebook Graph envelope."""
    error: dict[str, Any] = {"message": message, "type": error_type, "code": code}
    if subcode is not None:
        error["error_subcode"] = subcode
    error.update(extra)
    error["fbtrace_id"] = fbtrace_id()
    return json_response({"error": error}, status)


def missing_token() -> Response:
    return error_response(400, "An access token is required to request this resource.", 104, "OAuthException")


def invalid_token(status: int = 401) -> Response:
    return error_response(status, "Invalid OAuth 2.0 Access Token", 190, error_data={})


def unauthorized_application(client_id: str, status: int = 401) -> Response:
    message = f"Error validating access token: The user has not authorized application {client_id}."
    return error_response(status, message, 190, "OAuthException")


def not_found(object_id: str) -> Response:
    message = (
        f"Unsupported get request. Object with ID '{object_id}' does not exist, "
        "cannot be loaded due to missing permissions, or does not support this operation"
    )
    return error_response(400, message, 100, subcode=33)


def unsupported_method(method: str) -> Response:
    return error_response(400, f"Unsupported {method.lower()} request.", 100)


def bad_parameter(message: str) -> Response:
    return error_response(400, message, 100)


def rate_limited(status: int = 403) -> Response:
    return error_response(status, "Application request limit reached", 4, is_transient=True)


def blocked(status: int = 403) -> Response:
    error_data = {"sentry_block_data": fbtrace_id(), "help_center_id": 0, "is_silent": False}
    return error_response(
        status,
        "Veuillez vous connecter pour voir cette page.",
        368,
        "OAuthException",
        subcode=1348007,
        error_data=error_data,
        error_user_msg="",
    )


def server_error_json(code: int = 1) -> Response:
    return error_response(500, "An unknown error has occurred.", code, "OAuthException", is_transient=True)


def server_error_html() -> Response:
    return Response(500, HTML_500, "text/html; charset=utf-8")
