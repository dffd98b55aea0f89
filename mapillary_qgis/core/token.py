"""Access tokens: cleaning what a user pastes, and telling whether one works."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from ..client import Client
from ..errors import InvalidTokenError, MapillaryError, NetworkError, RateLimitError

TOKEN_RE = re.compile(r"^MLY\|\d+\|[0-9a-fA-F]+$")
_QUOTES = "\"'`\u201c\u201d\u2018\u2019"


class TokenFormatError(ValueError):
    """What the user pasted is not a Mapillary token."""


def clean_token(text: str) -> str:
    """The token in `text`, without surrounding whitespace and quotes.

    Raises `TokenFormatError` with a message for the user when the result
    does not have the shape of a Mapillary token (`MLY|<digits>|<hex>`). The
    message never repeats what was pasted: it may be a secret.
    """
    token = (text or "").strip()
    while len(token) >= 2 and token[0] in _QUOTES and token[-1] in _QUOTES:
        token = token[1:-1].strip()
    if not token:
        raise TokenFormatError("Paste your Mapillary access token first.")
    if not TOKEN_RE.match(token):
        raise TokenFormatError(
            "This is not a Mapillary access token. A token looks like MLY|1234567890|0a1b2c…: "
            "copy the “Client Token” of your app at mapillary.com/dashboard/developers."
        )
    return token


class TokenState(Enum):
    """What the dock's status line says about the token."""

    NONE = "none"
    SAVED = "saved"  # stored, not tested in this session
    VALID = "valid"
    INVALID = "invalid"
    RATE_LIMITED = "rate_limited"
    NETWORK_ERROR = "network_error"
    LOCKED = "locked"  # in the auth database, which is locked by its master password


@dataclass(frozen=True)
class TokenCheck:
    state: TokenState
    message: str
    username: str | None = None


def check_token(client: Client) -> TokenCheck:
    """One cheap request that tells whether the client's token works.

    The request is `GET /me?fields=id,username` on the Graph API, with the
    token in the `Authorization` header. It is the smallest authenticated
    request there is (no image, no tile), the Graph API rejects a bad token
    with 401 / code 190 before anything else, and for a user token it names
    the owner. A client (app) token has no "me": the API answers with an
    error that is not about the token (code 100), which proves the token was
    accepted.
    """
    try:
        me = client.get_json(endpoint="me", params={"fields": "id,username"})
    except InvalidTokenError as exc:
        return TokenCheck(TokenState.INVALID, exc.message)
    except RateLimitError:
        return TokenCheck(
            TokenState.RATE_LIMITED,
            "Mapillary's request limit is reached right now, so the token could not be "
            "tested. Try again in a few minutes.",
        )
    except NetworkError as exc:
        return TokenCheck(TokenState.NETWORK_ERROR, exc.message)
    except MapillaryError as exc:
        if exc.code == 100 and exc.status == 400:
            return TokenCheck(TokenState.VALID, "The token is valid (an app token).")
        return TokenCheck(TokenState.NETWORK_ERROR, exc.message)
    username = me.get("username") if isinstance(me, dict) else None
    if username:
        return TokenCheck(TokenState.VALID, f"The token is valid: it belongs to {username}.", username)
    return TokenCheck(TokenState.VALID, "The token is valid.")
