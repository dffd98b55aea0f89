"""Typed Mapillary errors, and redaction of secrets in any text.

Every failure of the API client becomes one of these exceptions at a single
choke point (`error_from_response` here, network errors in `client.py`).
Their messages are plain sentences for a GIS analyst and never contain the
access token: each message goes through `redact()` when the error is made.
"""

from __future__ import annotations

import re
from urllib.parse import quote

REDACTED = "REDACTED"

# Mapillary tokens look like MLY|<digits>|<hex>; `requests` sends the bars as %7C.
_PATTERNS = (
    (re.compile(r"(access_token=)[^&\s'\"<>]+", re.IGNORECASE), r"\1" + REDACTED),
    # "OAuth <token>" as sent in headers; a long token-like word, so "OAuth 2.0" stays readable.
    (re.compile(r"\b((?:OAuth|Bearer)\s+)(?=[\w|%.-]{16,})[^\s'\",}]+", re.IGNORECASE), r"\1" + REDACTED),
    (re.compile(r"MLY(?:\||%7C)[^\s&'\",}<>]+", re.IGNORECASE), "MLY|" + REDACTED),
)


def redact(text: object, *secrets: str | None) -> str:
    """`text` as a string with tokens and the given secrets replaced."""
    result = str(text)
    for secret in secrets:
        if secret:
            result = result.replace(secret, REDACTED)
            result = result.replace(quote(secret, safe=""), REDACTED)
    for pattern, replacement in _PATTERNS:
        result = pattern.sub(replacement, result)
    return result


class MapillaryError(Exception):
    """Base of every error raised by the Mapillary client.

    Carries what the API said, when it said anything: the HTTP `status`, the
    Graph error `code` and `subcode`, its `api_message` and `fbtrace_id`.
    """

    retryable = False

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        code: int | None = None,
        subcode: int | None = None,
        api_message: str | None = None,
        fbtrace_id: str | None = None,
        retry_after: float | None = None,
    ):
        super().__init__(redact(message))
        self.status = status
        self.code = code
        self.subcode = subcode
        self.api_message = redact(api_message) if api_message else None
        self.fbtrace_id = fbtrace_id
        self.retry_after = retry_after

    @property
    def message(self) -> str:
        return self.args[0]


class InvalidTokenError(MapillaryError):
    """The access token is missing, invalid or expired (HTTP 401 or code 190)."""


class MissingTokenError(InvalidTokenError):
    """No access token is set at all."""


class RateLimitError(MapillaryError):
    """Mapillary's rate limit was reached (HTTP 429, or code 4 / `is_transient`)."""

    retryable = True


class NotFoundError(MapillaryError):
    """No such object (HTTP 404, or code 100 with subcode 33)."""


class ApiError(MapillaryError):
    """Any other error answered by the API."""

    @property
    def retryable(self) -> bool:  # type: ignore[override]
        return self.status is not None and self.status >= 500


class NetworkError(MapillaryError):
    """Mapillary could not be reached: timeout, DNS, refused or reset connection."""

    def __init__(self, message: str, *, retryable: bool = True, **kwargs):
        super().__init__(message, **kwargs)
        self.retryable = retryable


RATE_LIMIT_CODES = {4, 17, 32, 613}  # Graph-API "too many calls" codes


def parse_error_body(body: object) -> dict:
    """The `error` object of a Graph-style error body, or `{}`."""
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        return body["error"]
    return {}


def error_from_response(
    status: int,
    body: object,
    *,
    tiles: bool,
    retry_after: float | None = None,
) -> MapillaryError:
    """Turn an HTTP error answer into the matching typed error.

    `body` is the decoded JSON body (or None when it was not JSON); `tiles`
    says whether the request went to the vector-tile host, whose 403 means a
    missing or rejected token.
    """
    error = parse_error_body(body)
    code = error.get("code") if isinstance(error.get("code"), int) else None
    subcode = error.get("error_subcode") if isinstance(error.get("error_subcode"), int) else None
    details = {
        "status": status,
        "code": code,
        "subcode": subcode,
        "api_message": error.get("message") if isinstance(error.get("message"), str) else None,
        "fbtrace_id": error.get("fbtrace_id") if isinstance(error.get("fbtrace_id"), str) else None,
        "retry_after": retry_after,
    }
    if code == 190 or status == 401:
        return InvalidTokenError(
            "Mapillary rejected the access token: it is invalid or has expired. "
            "Set a new token in the Mapillary panel.",
            **details,
        )
    if status == 429 or code in RATE_LIMIT_CODES or (status == 403 and error.get("is_transient") is True):
        return RateLimitError(
            "Mapillary's request limit was reached. Wait a few minutes and try again.",
            **details,
        )
    if status == 404 or (code == 100 and subcode == 33):
        return NotFoundError(
            "Mapillary has no such object, or it is not public.",
            **details,
        )
    if tiles and status == 403:
        return InvalidTokenError(
            "Mapillary refused the vector-tile request: the access token is missing "
            "or not valid. Set a new token in the Mapillary panel.",
            **details,
        )
    if status >= 500:
        return ApiError(
            f"Mapillary's server had a problem (HTTP {status}). Try again later.",
            **details,
        )
    what = details["api_message"] or "no explanation given"
    suffix = f", code {code}" if code is not None else ""
    return ApiError(f"Mapillary refused the request (HTTP {status}{suffix}): {what}", **details)
