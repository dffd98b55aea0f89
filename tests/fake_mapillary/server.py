"""``FakeMapillary``: the Graph and tiles hosts of Mapillary API v4 on 127.0.0.1."""

import contextlib
import gzip
import json
import os
import re
import socket
import sys
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Optional, Union
from urllib.parse import parse_qs, urlsplit

from . import responses
from .cdn import CDN_PREFIX, EXPIRED_BODY, ThumbnailSigner, opaque_parts
from .dataset import DemoDataset
from .faults import CANNED_KINDS, Fault, FaultQueue, canned_response
from .graph import GraphApi
from .pictures import Pictures
from .responses import MVT_TYPE, Response
from .store import EntityStore
from .tiles import MAX_ZOOM, TILESETS, TileSource

DEMO_TOKEN = "MLY|4782210995171385|8f3a1c7e9b2d4f60a5e7c3b1d9f2e4a6"
AUTO = "auto"
_TILE_PATH = re.compile(r"/maps/vtp/([^/]+)/2/(\d+)/(\d+)/(\d+)/?")


def default_fixtures_dir() -> Path:
    """``$MAPILLARY_FIXTURES_DIR``, else ``../shared/fixtures/mapillary`` next to the repository."""
    override = os.environ.get("MAPILLARY_FIXTURES_DIR")
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[2].parent / "shared" / "fixtures" / "mapillary"


@dataclass(frozen=True)
class RecordedRequest:
    host: str  # "graph" or "tiles"
    method: str
    path: str
    query: dict[str, list[str]]  # URL-decoded
    headers: dict[str, str]  # lower-case names
    raw_path: str  # path and query as received


class FakeMapillary:
    """Two local HTTP servers that behave like graph.mapillary.com and tiles.mapillary.com."""

    def __init__(
        self,
        dataset: Optional[DemoDataset] = None,
        fixtures_dir: Union[str, Path, None] = AUTO,
        gzip_tiles: bool = False,
        graph_port: int = 0,
        tiles_port: int = 0,
    ):
        self.dataset = dataset if dataset is not None else DemoDataset()
        if fixtures_dir == AUTO:
            fixtures_dir = default_fixtures_dir()
        self.fixtures_dir = Path(fixtures_dir) if fixtures_dir and Path(fixtures_dir).is_dir() else None
        self.gzip_tiles = gzip_tiles
        self.thumb_ttl = 3600.0
        self.usage_quota = 1000  # graph calls that make x-app-usage call_count reach 100 (%)
        self.token = DEMO_TOKEN
        store = EntityStore()
        store.add_dataset(self.dataset)
        if self.fixtures_dir is not None and (self.fixtures_dir / "graph").is_dir():
            store.add_fixtures(self.fixtures_dir / "graph")
        self.store = store
        self.pictures = Pictures()  # what each thumbnail URL serves: `pictures.serve(...)` changes it
        self._signer = ThumbnailSigner()
        self._graph = GraphApi(store, self._signer)
        self._tiles = TileSource(self.dataset)
        self._tile_overrides: dict[str, bytes] = {}
        self._tiles_at: dict[tuple[str, int, int], bytes] = {}  # (tileset, x, y) at z14
        self._faults = FaultQueue()
        self._tokens: dict[str, Optional[dict[str, str]]] = {DEMO_TOKEN: None}
        self._revoked: set[str] = set()
        self._requests: list[RecordedRequest] = []
        self._graph_calls = 0
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._ports = {"graph": graph_port, "tiles": tiles_port}
        self._servers: dict[str, _Server] = {}
        self._threads: list[threading.Thread] = []

    @property
    def graph_url(self) -> str:
        return self._url("graph")

    @property
    def tiles_url(self) -> str:
        return self._url("tiles")

    @property
    def cdn_url(self) -> str:
        """Thumbnails: served by the graph server, but under another host name, as Meta's CDN is
        another host: a client must send it no token."""
        return self._url("graph").replace("127.0.0.1", "localhost")

    @property
    def requests(self) -> list[RecordedRequest]:
        """A snapshot of the requests received so far, oldest first."""
        with self._lock:
            return list(self._requests)

    def start(self) -> "FakeMapillary":
        if self._servers:
            raise RuntimeError("FakeMapillary is already started")
        self._stopping.clear()
        for host, port in self._ports.items():
            server = _Server(("127.0.0.1", port), self, host)
            thread = threading.Thread(
                target=server.serve_forever, kwargs={"poll_interval": 0.05}, name=f"fake-mapillary-{host}", daemon=True
            )
            thread.start()
            self._servers[host] = server
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        """Stop both servers, dropping open (even hanging) connections."""
        self._stopping.set()
        for server in self._servers.values():
            server.shutdown()
            server.close_connections()
            server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        self._servers.clear()
        self._threads.clear()

    def __enter__(self) -> "FakeMapillary":
        return self.start()

    def __exit__(self, *exc_info: Any) -> None:
        self.stop()

    def add_token(self, token: str, user: Optional[dict[str, str]] = None) -> None:
        """Accept ``token``; with ``user`` ({"id", "username"}) it is a user token."""
        with self._lock:
            self._tokens[token] = dict(user) if user is not None else None
            self._revoked.discard(token)

    def revoke_token(self, token: str) -> None:
        with self._lock:
            self._revoked.add(token)

    def clear_requests(self) -> None:
        with self._lock:
            self._requests.clear()

    def inject(
        self,
        kind: str,
        host: Optional[str] = None,
        count: Optional[int] = 1,
        path_contains: Optional[str] = None,
        **options: Any,
    ) -> Fault:
        """Make the next ``count`` matching requests (None: all) fail with ``kind``."""
        return self._faults.add(Fault(kind, host, count, path_contains, options))

    def clear_faults(self) -> None:
        self._faults.clear()

    def serve_tile_bytes(self, tileset: str, data: bytes) -> None:
        """Serve ``data`` at every z14 address of ``tileset`` (e.g. a real captured tile)."""
        if tileset not in TILESETS:
            raise ValueError(f"unknown tileset {tileset!r}")
        self._tile_overrides[tileset] = bytes(data)

    def serve_tiles_at(self, tileset: str, tiles: "dict[tuple[int, int], bytes]") -> None:
        """Serve each ``tiles[(x, y)]`` at z14 x/y of ``tileset`` (added to those served so far);
        the other addresses keep what they served before."""
        if tileset not in TILESETS:
            raise ValueError(f"unknown tileset {tileset!r}")
        with self._lock:
            self._tiles_at.update({(tileset, x, y): bytes(data) for (x, y), data in tiles.items()})

    def _url(self, host: str) -> str:
        if host not in self._servers:
            raise RuntimeError("FakeMapillary is not started")
        return f"http://127.0.0.1:{self._servers[host].server_address[1]}"

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self._requests.append(request)

    def _check_token(self, token: Optional[str]) -> Optional[Response]:
        """None when ``token`` is valid, else the Graph error for it."""
        with self._lock:
            if not token:
                return responses.missing_token()
            if token in self._revoked:
                return responses.unauthorized_application(_client_id(token))
            if token not in self._tokens:
                return responses.invalid_token()
        return None

    def _respond(self, host: str, method: str, path: str, query: dict[str, list[str]], headers: Any) -> Response:
        if host == "tiles":
            return self._tile_response(path, query, headers)
        if path.startswith(CDN_PREFIX):
            parts = opaque_parts(path)
            if parts is not None and self._signer.is_valid(path, query):
                image_id, field = parts
                return Response(200, self.pictures.picture(image_id, field, self.store.images.get(image_id)),
                                "image/jpeg")
            return Response(403, EXPIRED_BODY, "text/plain")
        token = _graph_token(headers.get("Authorization", ""), query)
        error = self._check_token(token)
        if error is not None:
            return error
        return self._graph.handle(method, path, query, self.graph_url, self._tokens.get(token), self.thumb_ttl,
                                  cdn_url=self.cdn_url)

    def _tile_response(self, path: str, query: dict[str, list[str]], headers: Any) -> Response:
        tokens = query.get("access_token")  # tiles ignore the Authorization header
        error = self._check_token(tokens[-1] if tokens else None)
        if error is not None:
            return responses.invalid_token(status=403)
        match = _TILE_PATH.fullmatch(path)
        if match is None:
            return Response(404, b"Not Found", "text/plain")
        tileset, (z, x, y) = match.group(1), map(int, match.groups()[1:])
        if tileset not in TILESETS or x >= 2**z or y >= 2**z:
            return Response(404, b"Not Found", "text/plain")
        with self._lock:
            at = self._tiles_at.get((tileset, x, y)) if z == MAX_ZOOM else None
        if at is not None:
            body = at
        elif tileset in self._tile_overrides and z == MAX_ZOOM:
            body = self._tile_overrides[tileset]
        else:
            body = self._tiles.tile(tileset, z, x, y)
        if self.gzip_tiles and "gzip" in headers.get("Accept-Encoding", ""):
            return Response(200, gzip.compress(body), MVT_TYPE, {"Content-Encoding": "gzip"})
        return Response(200, body, MVT_TYPE)

    def _app_usage(self) -> str:
        with self._lock:
            self._graph_calls += 1
            percent = min(100, self._graph_calls * 100 // self.usage_quota)
        return json.dumps({"call_count": percent, "total_time": 0, "total_cputime": 0}, separators=(",", ":"))


def _graph_token(authorization: str, query: dict[str, list[str]]) -> Optional[str]:
    """``Authorization: OAuth|Bearer <token>`` first, then ``?access_token=``."""
    scheme, _, value = authorization.strip().partition(" ")
    if scheme.lower() in ("oauth", "bearer") and value.strip():
        return value.strip()
    tokens = query.get("access_token")
    return tokens[-1] if tokens else None


def _client_id(token: str) -> str:
    parts = token.split("|")
    return parts[1] if len(parts) == 3 else "0"


class _Server(ThreadingHTTPServer):
    """One host of the fake; tracks its connections so ``stop()`` can drop them."""

    daemon_threads = True
    block_on_close = False

    def __init__(self, address: tuple[str, int], fake: FakeMapillary, host: str):
        super().__init__(address, _Handler)
        self.fake = fake
        self.host = host
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()

    def process_request(self, request, client_address):
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request):
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request, client_address) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            return  # the client hung up first (it timed out): nothing to report
        super().handle_error(request, client_address)

    def close_connections(self) -> None:
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):  # already closed by the client
                connection.shutdown(socket.SHUT_RDWR)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes: with Nagle's algorithm on, each keep-alive answer
    # waits for the client's delayed ACK (40 ms on Linux), as a real server's would not.
    disable_nagle_algorithm = True
    server: _Server

    def do_GET(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self._handle()

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output quiet."""

    def _handle(self) -> None:
        fake, host = self.server.fake, self.server.host
        split = urlsplit(self.path)
        query = parse_qs(split.query, keep_blank_values=True)
        headers = {name.lower(): value for name, value in self.headers.items()}
        fake._record(RecordedRequest(host, self.command, split.path, query, headers, self.path))
        fault = fake._faults.take(host, self.path)
        if fault is not None and fault.kind in ("slow", "hang"):
            stopped = fake._stopping.wait(fault.delay)
            if fault.kind == "hang" or stopped:
                self.close_connection = True  # hang up without an answer
                return
        if fault is not None and fault.kind in CANNED_KINDS:
            response = canned_response(fault, host, split.path, _client_id(fake.token))
        else:
            response = fake._respond(host, self.command, split.path, query, self.headers)
        if host == "graph" and not split.path.startswith(CDN_PREFIX):
            response.headers["x-app-usage"] = fake._app_usage()
        self._send(response, truncated=fault is not None and fault.kind == "truncated")

    def _send(self, response: Response, truncated: bool) -> None:
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if truncated:
            self.wfile.write(response.body[: len(response.body) // 2])
            self.close_connection = True
        else:
            self.wfile.write(response.body)
