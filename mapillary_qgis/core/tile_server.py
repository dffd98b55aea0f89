"""A loopback tile server: QGIS's coverage layers get Mapillary tiles through it.

Why not add the token to QGIS's own tile requests with a request
preprocessor? Because `QgsNetworkAccessManager::createRequest` edits the
caller's request in place, so a preprocessor that changes the URL also
changes the URL of the entry queued in `QgsTileDownloadManager`, which then
never removes it: measured on QGIS 3.22, QGIS crashes at exit (it aborts the
stale entries' deleted replies) after any coverage layer was drawn.

So coverage layers point at `http://127.0.0.1:<port>/mapillary/<session>/<tileset>/{z}/{x}/{y}`,
served here from the same tile pipeline as everything else: the disk cache
first, then the `Client`, which puts the token in the query of its own
request to Mapillary. The token never appears in a QGIS request, layer
source, project or log. `<session>` is random per server, so no other local
program can use the user's token through this port without reading QGIS's
memory.
"""

from __future__ import annotations

import logging
import re
import secrets
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, Optional

from ..errors import InvalidTokenError, MapillaryError, NotFoundError, RateLimitError
from .tile_source import TileSource
from .tilesets import MAX_ZOOM, TILESETS

LOGGER = logging.getLogger(__name__)

PREFIX = "mapillary"
_PATH = re.compile(rf"^/{PREFIX}/([a-z0-9]+)/(\w+)/(\d+)/(\d+)/(\d+)$")
# Any loopback tile URL of ours, whatever port and session it was saved with.
SAVED_URL = re.compile(rf"http://127\.0\.0\.1:\d+/{PREFIX}/[a-z0-9]+/")


def _status_for(error: MapillaryError) -> int:
    if isinstance(error, InvalidTokenError):
        return 403
    if isinstance(error, RateLimitError):
        return 429
    if isinstance(error, NotFoundError):
        return 404
    return 502


class LocalTileServer:
    """Serves `/mapillary/<session>/<tileset>/<z>/<x>/<y>` on 127.0.0.1 from a `TileSource`.

    `last_error` keeps the latest failure so the plugin can tell the user
    once (a rejected token, a rate limit) instead of once per tile.
    """

    def __init__(self, source: TileSource, port: int = 0, on_error: Optional[Callable[[MapillaryError], None]] = None):
        self.source = source
        self.on_error = on_error  # told of each failed tile, from a server thread
        self.session = secrets.token_hex(8)
        self.last_error: Optional[MapillaryError] = None
        self.served = 0
        self._httpd = ThreadingHTTPServer(("127.0.0.1", port), _Handler)
        self._httpd.daemon_threads = True
        self._httpd.tile_server = self  # type: ignore[attr-defined]
        self._thread: Optional[threading.Thread] = None

    @property
    def base_url(self) -> str:
        """The prefix of every tile URL of this session (ends with a slash)."""
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/{PREFIX}/{self.session}/"

    def xyz_template(self, tileset: str) -> str:
        return f"{self.base_url}{tileset}/{{z}}/{{x}}/{{y}}"

    def rewrite(self, source: str) -> str:
        """A saved layer source pointed at this session's server (for projects saved earlier)."""
        return SAVED_URL.sub(self.base_url, source)

    def start(self) -> LocalTileServer:
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="mapillary-tiles", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread is not None:  # shutdown() waits for serve_forever(), which must be running
            self._httpd.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._httpd.server_close()

    def tile(self, session: str, tileset: str, z: int, x: int, y: int) -> tuple[int, bytes]:
        """(HTTP status, body) for one request."""
        if session != self.session or tileset not in TILESETS or z > MAX_ZOOM or not (0 <= x < 2**z and 0 <= y < 2**z):
            return 404, b""
        result = self.source.fetch(tileset, [(z, x, y)])
        error = result.failures.get((z, x, y))
        if error is not None:
            self.last_error = error
            if self.on_error is not None:
                self.on_error(error)
            return _status_for(error), b""
        self.served += 1
        return 200, result.data.get((z, x, y), b"")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802 (http.server API)
        server: LocalTileServer = self.server.tile_server  # type: ignore[attr-defined]
        match = _PATH.match(self.path.split("?", 1)[0])
        if match is None:
            status, body = 404, b""
        else:
            session, tileset, z, x, y = match.groups()
            try:
                status, body = server.tile(session, tileset, int(z), int(x), int(y))
            except Exception:  # a bug must not take the server down; QGIS just gets no tile
                LOGGER.exception("Serving a Mapillary tile failed")
                status, body = 500, b""
        self.send_response(status)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")  # the plugin's cache is the cache
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:  # noqa: A002 (http.server API)
        LOGGER.debug("tile server: " + format, *args)
