"""Injected failures: which requests they hit and the canned responses they send."""

import random
import threading
from dataclasses import dataclass, field
from typing import Any, Optional

from . import responses
from .responses import JSON_TYPE, MVT_TYPE, Response

# Kinds whose behaviour is a canned response (the others act on the connection).
CANNED_KINDS = frozenset(
    {
        "invalid_token",
        "rate_limit",
        "not_found",
        "blocked",
        "server_error_html",
        "server_error_json",
        "garbage",
        "empty",
        "status",
    }
)
FAULT_KINDS = CANNED_KINDS | {"slow", "hang", "truncated"}
DEFAULT_DELAYS = {"slow": 1.0, "hang": 30.0}


@dataclass
class Fault:
    """A failure applied to the next ``remaining`` matching requests (None: forever)."""

    kind: str
    host: Optional[str] = None
    remaining: Optional[int] = 1
    path_contains: Optional[str] = None
    options: dict[str, Any] = field(default_factory=dict)
    hits: int = 0

    @property
    def delay(self) -> float:
        return float(self.options.get("delay", DEFAULT_DELAYS.get(self.kind, 0.0)))

    def matches(self, host: str, raw_path: str) -> bool:
        return (self.host is None or self.host == host) and (
            self.path_contains is None or self.path_contains in raw_path
        )


class FaultQueue:
    """Thread-safe list of pending faults; the first match wins."""

    def __init__(self):
        self._faults: list[Fault] = []
        self._lock = threading.Lock()

    def add(self, fault: Fault) -> Fault:
        if fault.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {fault.kind!r}; expected one of {sorted(FAULT_KINDS)}")
        if fault.host not in (None, "graph", "tiles"):
            raise ValueError(f"host must be 'graph', 'tiles' or None, not {fault.host!r}")
        with self._lock:
            self._faults.append(fault)
        return fault

    def take(self, host: str, raw_path: str) -> Optional[Fault]:
        """The fault for this request, if any, counting it as used."""
        with self._lock:
            for fault in self._faults:
                if fault.matches(host, raw_path):
                    fault.hits += 1
                    if fault.remaining is not None:
                        fault.remaining -= 1
                        if fault.remaining <= 0:
                            self._faults.remove(fault)
                    return fault
        return None

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()


def canned_response(fault: Fault, host: str, path: str, client_id: str) -> Response:
    """The response of a fault in ``CANNED_KINDS``."""
    options = fault.options
    if fault.kind == "invalid_token":
        return responses.unauthorized_application(client_id)
    if fault.kind == "rate_limit":
        response = responses.rate_limited(int(options.get("status", 403)))
        if "retry_after" in options:
            response.headers["Retry-After"] = str(options["retry_after"])
        return response
    if fault.kind == "not_found":
        return responses.not_found(path.strip("/").split("/")[0])
    if fault.kind == "blocked":
        return responses.blocked(int(options.get("status", 403)))
    if fault.kind == "server_error_html":
        return responses.server_error_html()
    if fault.kind == "server_error_json":
        return responses.server_error_json(int(options.get("code", 1)))
    content_type = MVT_TYPE if host == "tiles" else JSON_TYPE
    if fault.kind == "garbage":
        # 0xff never starts a valid MVT field key, nor a JSON document.
        return Response(200, b"\xff" + random.randbytes(int(options.get("size", 511))), content_type)
    if fault.kind == "empty":
        return Response(200, b"", content_type)
    return Response(
        int(options.get("status", 500)), bytes(options.get("body", b"")), options.get("content_type", "text/plain")
    )
