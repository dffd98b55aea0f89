"""The Mapillary API v4 client.

It keeps the API of mapillary-python-sdk's `mapillary.models.client.Client`
(`Client(access_token=...)`, `get(url, params)`, static `get_token()` /
`set_token()`) without its defects (see docs: a shared mutable `params`
default that makes old tokens stick, the OAuth header left on the session,
no timeouts, tokens in logs and exception messages).

The endpoint decides where the token goes:

* Graph API (`graph_url`): header `Authorization: OAuth <token>`, never in the URL.
* Vector tiles (`tiles_url`): query parameter `access_token`, no header; the
  tiles host ignores the header (it answers 403).
* Anything else (signed thumbnail URLs on Meta's CDN): no token at all.

This module imports nothing from QGIS. Inside QGIS the plugin injects a
proxy resolver (`Client.set_proxy_resolver`) and the certificate authorities
QGIS trusts (`Client.set_ca_bundle`); outside QGIS `requests` honours the
usual proxy environment variables and its own certificate authorities.
"""

from __future__ import annotations

import email.utils
import logging
import os
import random
import ssl
import threading
import time
from typing import Callable, Mapping
from urllib.parse import urljoin, urlsplit

import requests

from .__about__ import USER_AGENT
from .errors import (
    MapillaryError,
    MissingTokenError,
    NetworkError,
    error_from_response,
    redact,
)

LOGGER = logging.getLogger(__name__)

DEFAULT_GRAPH_URL = "https://graph.mapillary.com"
DEFAULT_TILES_URL = "https://tiles.mapillary.com"
GRAPH_URL_ENV = "MAPILLARY_GRAPH_URL"
TILES_URL_ENV = "MAPILLARY_TILES_URL"

GRAPH, TILES, OTHER = "graph", "tiles", "other"

ProxyResolver = Callable[[str], "Mapping[str, str] | None"]


class _RedactingFilter(logging.Filter):
    """Takes tokens out of log records; urllib3 logs every URL it requests at DEBUG."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


_REDACTING_FILTER = _RedactingFilter()
for _name in ("urllib3.connectionpool", "urllib3.connection", "urllib3.util.retry", "requests"):
    _logger = logging.getLogger(_name)
    if not any(type(f).__name__ == "_RedactingFilter" for f in _logger.filters):  # once, even on plugin reload
        _logger.addFilter(_REDACTING_FILTER)


def graph_base() -> str:
    """The Graph API base URL: `MAPILLARY_GRAPH_URL`, else the real host."""
    return (os.environ.get(GRAPH_URL_ENV) or DEFAULT_GRAPH_URL).rstrip("/")


def tiles_base() -> str:
    """The vector-tile base URL: `MAPILLARY_TILES_URL`, else the real host."""
    return (os.environ.get(TILES_URL_ENV) or DEFAULT_TILES_URL).rstrip("/")


def same_base(url: str, base: str) -> bool:
    """Whether `url` lies under `base` (same scheme, host, port and path prefix)."""
    u, b = urlsplit(url), urlsplit(base)
    if (u.scheme.lower(), u.netloc.lower()) != (b.scheme.lower(), b.netloc.lower()):
        return False
    prefix = b.path.rstrip("/")
    return u.path == prefix or u.path.startswith(prefix + "/")


def _parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait from a `Retry-After` header (seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


class Client:
    """A thread-safe client for Mapillary API v4.

    `access_token` overrides the process-wide default set with
    `Client.set_token()`. Every request has a timeout; connection errors,
    server errors (5xx) and rate limits are retried a bounded number of times
    with exponential backoff and jitter, honouring `Retry-After`.
    """

    _default_token: str | None = None
    _proxy_resolver: ProxyResolver | None = None
    _ca_bundle: str | None = None
    _retry_listener: Callable[[MapillaryError, float], None] | None = None
    _class_lock = threading.Lock()

    def __init__(
        self,
        access_token: str | None = None,
        *,
        graph_url: str | None = None,
        tiles_url: str | None = None,
        timeout: tuple[float, float] = (10.0, 60.0),
        max_retries: int = 3,
        backoff: float = 1.0,
        max_wait: float = 60.0,
    ):
        self._token = access_token.strip() if access_token else None
        self.graph_url = (graph_url or graph_base()).rstrip("/")
        self.tiles_url = (tiles_url or tiles_base()).rstrip("/")
        self.timeout = timeout
        self.max_retries = max_retries
        self.backoff = backoff
        self.max_wait = max_wait
        self._sleep = time.sleep  # replaced by tests to observe the waits
        self._local = threading.local()
        self._sessions: list[requests.Session] = []  # one per thread, closed by close()
        self._sessions_lock = threading.Lock()

    # -- the process-wide default token -------------------------------------

    @staticmethod
    def set_token(token: str | None) -> None:
        """Set (or clear, with None) the token used by clients given none."""
        with Client._class_lock:
            Client._default_token = token.strip() if token else None

    @staticmethod
    def get_token() -> str | None:
        """The process-wide default token, or None."""
        with Client._class_lock:
            return Client._default_token

    @staticmethod
    def set_proxy_resolver(resolver: ProxyResolver | None) -> None:
        """Install a function `url -> requests proxies dict` (the QGIS glue)."""
        with Client._class_lock:
            Client._proxy_resolver = resolver

    @staticmethod
    def set_ca_bundle(path: str | None) -> None:
        """Verify HTTPS servers against the certificate authorities in this PEM file (None: `requests`'
        own), for instance those QGIS trusts, which may include a company's."""
        with Client._class_lock:
            Client._ca_bundle = path

    @staticmethod
    def set_retry_listener(listener: Callable[[MapillaryError, float], None] | None) -> None:
        """Install a function `(error, seconds)` told before each wait for a retry (any thread)."""
        with Client._class_lock:
            Client._retry_listener = listener

    @property
    def token(self) -> str | None:
        """The token this client sends: its own, else the default."""
        return self._token or Client.get_token()

    # -- requests -------------------------------------------------------------

    def get(
        self,
        url: str | None = None,
        params: Mapping | None = None,
        *,
        endpoint: str | None = None,
        entity: bool = True,
        timeout: tuple[float, float] | float | None = None,
    ) -> requests.Response:
        """GET a Mapillary URL and return the successful response.

        `url` is absolute, or a path resolved against the Graph API base. The
        SDK's form `get(endpoint='path', entity=True|False, params=...)`
        resolves `endpoint` against the Graph (`entity=True`) or the tiles
        base. A list under `params['fields']` is joined with commas. `params`
        is never modified. Raises a `MapillaryError` subclass on failure.
        """
        target = self._resolve(url, endpoint, entity)
        kind = self._kind(target)
        query = self._query(params)
        # A token given in params wins over the client's, but still goes where its host wants it.
        token = query.pop("access_token", None) or self.token
        headers = {"User-Agent": USER_AGENT}
        secrets = (token,) if token else ()
        if kind != OTHER:
            if not token:
                raise MissingTokenError(
                    "No Mapillary access token is set. Paste your token in the Mapillary panel."
                )
            if kind == GRAPH:
                headers["Authorization"] = f"OAuth {token}"
            else:
                query["access_token"] = token
        response = self._send(target, query, headers, kind, timeout or self.timeout, secrets)
        self._scrub(response, secrets)
        return response

    def get_json(self, url: str | None = None, params: Mapping | None = None, **kwargs) -> dict:
        """`get()` and decode the JSON body; a non-JSON body is an error."""
        response = self.get(url, params, **kwargs)
        try:
            return response.json()
        except (ValueError, RecursionError):  # RecursionError: JSON nested deeper than Python's stack
            raise MapillaryError(
                "Mapillary sent an answer that could not be read (not JSON).",
                status=response.status_code,
            ) from None

    def _resolve(self, url: str | None, endpoint: str | None, entity: bool) -> str:
        if url is None and endpoint is None:
            raise ValueError("get() needs a url or an endpoint")
        path = url if url is not None else endpoint
        if urlsplit(path).scheme:
            return path
        base = self.graph_url if (url is not None or entity) else self.tiles_url
        return urljoin(base + "/", path.lstrip("/"))

    def _kind(self, url: str) -> str:
        in_tiles, in_graph = same_base(url, self.tiles_url), same_base(url, self.graph_url)
        if in_tiles and in_graph:  # one host serving both: tile paths tell
            return TILES if "/maps/vtp/" in urlsplit(url).path else GRAPH
        return TILES if in_tiles else GRAPH if in_graph else OTHER

    @staticmethod
    def _query(params: Mapping | None) -> dict:
        query = dict(params or {})
        fields = query.get("fields")
        if isinstance(fields, (list, tuple, set)):
            query["fields"] = ",".join(str(f) for f in fields)
        return query

    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            self._local.session = session
            with self._sessions_lock:
                self._sessions.append(session)
        return session

    def close(self) -> None:
        """Close the connections of every thread's session (a closed client reconnects if used again)."""
        with self._sessions_lock:
            sessions, self._sessions = self._sessions, []
        for session in sessions:
            session.close()
        self._local = threading.local()

    def _proxies(self, url: str) -> dict | None:
        resolver = Client._proxy_resolver
        if resolver is None:
            return None
        try:
            return dict(resolver(url) or {})
        except Exception:  # a broken resolver must not break requests
            LOGGER.warning("Could not read the QGIS proxy settings; using none.", exc_info=True)
            return None

    def _send(self, url, query, headers, kind, timeout, secrets) -> requests.Response:
        where = redact(url, *secrets)
        for attempt in range(self.max_retries + 1):
            error = self._attempt(url, query, headers, kind, timeout, secrets)
            if isinstance(error, requests.Response):
                return error
            if not error.retryable or attempt == self.max_retries:
                raise error
            delay = self._delay(attempt, error.retry_after)
            if delay is None:
                raise error
            LOGGER.info(
                "Mapillary request to %s failed (%s); retry %d of %d in %.1f s",
                where, error.message, attempt + 1, self.max_retries, delay,
            )
            listener = Client._retry_listener
            if listener is not None:
                try:
                    listener(error, delay)
                except Exception:  # a listener must not break requests
                    LOGGER.debug("retry listener failed", exc_info=True)
            self._sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover

    def _attempt(self, url, query, headers, kind, timeout, secrets):
        """One request: the response when it succeeded, else the error to raise."""
        where = redact(url, *secrets)
        LOGGER.debug("GET %s", where)
        try:
            response = self._session().get(
                url, params=query, headers=headers, timeout=timeout,
                proxies=self._proxies(url), allow_redirects=kind == OTHER, verify=_verify(Client._ca_bundle),
            )
        except requests.exceptions.ReadTimeout:
            return NetworkError(
                f"Mapillary did not answer in time ({where}). Check your connection and try again.",
                retryable=False,
            )
        except (requests.exceptions.ConnectionError, requests.exceptions.ChunkedEncodingError) as exc:
            if _untrusted_certificate(exc):  # not a passing failure: no retry, and say what would help
                return NetworkError(
                    f"The secure connection to Mapillary could not be verified ({where}): its certificate is not "
                    "signed by an authority this computer trusts. If your network inspects HTTPS traffic, add its "
                    "certificate authority in QGIS (Settings > Options > Authentication > Certificate Manager).",
                    retryable=False,
                )
            return NetworkError(
                f"Could not reach Mapillary ({where}): {_network_reason(exc)}. "
                "Check your internet connection or proxy settings."
            )
        except requests.exceptions.RequestException as exc:
            return NetworkError(
                f"The request to Mapillary failed ({where}): {type(exc).__name__}.",
                retryable=False,
            )
        LOGGER.debug("HTTP %s from %s", response.status_code, where)
        if _truncated(response):
            return NetworkError(f"The answer from Mapillary was cut off ({where}). The connection was interrupted.")
        if response.ok:
            return response
        try:
            body = response.json()
        except (ValueError, RecursionError):
            body = None
        return error_from_response(
            response.status_code,
            body,
            tiles=kind == TILES,
            retry_after=_parse_retry_after(response.headers.get("Retry-After")),
        )

    def _delay(self, attempt: int, retry_after: float | None) -> float | None:
        """Seconds to wait before retry `attempt + 1`, or None to give up."""
        if retry_after is not None:
            return retry_after if retry_after <= self.max_wait else None
        ceiling = min(self.max_wait, self.backoff * (2 ** attempt))
        return random.uniform(ceiling / 2, ceiling)

    @staticmethod
    def _scrub(response: requests.Response, secrets) -> None:
        """Take the token out of what the caller may print: URLs and headers."""
        response.url = redact(response.url, *secrets)
        request = response.request
        if request is not None:
            request.url = redact(request.url, *secrets)
            request.headers.pop("Authorization", None)


def _truncated(response: requests.Response) -> bool:
    """Whether fewer bytes arrived than `Content-Length` announced.

    urllib3 before 2.0 (Debian 12's, which QGIS uses there) accepts a short
    body silently; a cut-off tile would then reach the decoder as garbage.
    """
    expected = response.headers.get("Content-Length", "")
    received = getattr(response.raw, "tell", None)
    if not expected.isdigit() or received is None:
        return False
    try:
        return received() < int(expected)
    except (OSError, ValueError):
        return False


def _verify(bundle: str | None):
    """`requests`' `verify`: the bundle while it exists (someone may empty the profile's cache), else its own."""
    return bundle if bundle and os.path.isfile(bundle) else True


def _untrusted_certificate(exc: BaseException) -> bool:
    """Whether a connection failed because the server's certificate could not be verified (not, say, because
    the connection dropped during the handshake): an `ssl.SSLCertVerificationError` somewhere in its causes."""
    pending, seen = [exc], set()
    while pending:
        error = pending.pop()
        if id(error) in seen:
            continue
        seen.add(id(error))
        if isinstance(error, ssl.SSLCertVerificationError):
            return True
        # requests wraps urllib3's MaxRetryError (in args), which holds the SSLError (reason), and so on.
        pending += [e for e in (error.__cause__, error.__context__, getattr(error, "reason", None), *error.args)
                    if isinstance(e, BaseException)]
    return False


def _network_reason(exc: Exception) -> str:
    """A short, token-free reason for a connection failure."""
    text = str(exc).lower()
    if "timed out" in text or isinstance(exc, requests.exceptions.ConnectTimeout):
        return "the connection timed out"
    if "name or service not known" in text or "nodename nor servname" in text or "getaddrinfo" in text:
        return "the server name could not be resolved"
    if "refused" in text:
        return "the connection was refused"
    if "reset" in text or "aborted" in text or "broken" in text:
        return "the connection was interrupted"
    return "the connection failed"
