"""Mapillary usernames to creator ids through the Graph API, cached in memory."""

from __future__ import annotations

import re
import threading
from typing import Dict, Iterable, List, Optional, Tuple

from ..client import Client
from ..errors import ApiError

_ID_RE = re.compile(r"^[0-9]{1,20}$")


class CreatorDirectory:
    """Resolves creator usernames with one `GET /images?creator_username=` each; thread-safe.

    Answers are kept for the life of the directory, unknown names too;
    failed requests are not kept and raise the Client's `MapillaryError`s.
    """

    def __init__(self, client: Client):
        self._client = client
        self._lock = threading.Lock()
        self._known: Dict[str, Optional[int]] = {}

    def resolve(self, names_or_ids: Iterable[str]) -> Tuple[Dict[str, int], List[str]]:
        """`({entry: creator id}, [unknown usernames])`; digits are ids already, a leading "@" is dropped."""
        resolved: Dict[str, int] = {}
        unknown: List[str] = []
        for entry in dict.fromkeys(str(e).strip() for e in names_or_ids):
            if not entry:
                continue
            creator_id = int(entry) if _ID_RE.match(entry) else self.lookup(entry.lstrip("@"))
            if creator_id is None:
                unknown.append(entry)
            else:
                resolved[entry] = creator_id
        return resolved, unknown

    def lookup(self, username: str) -> Optional[int]:
        """The creator id of `username`, None when Mapillary has no image of that name."""
        with self._lock:
            if username in self._known:
                return self._known[username]
        body = self._client.get_json("/images", {"creator_username": username, "limit": 1, "fields": "creator"})
        data = body.get("data") if isinstance(body, dict) else None
        if not isinstance(data, list):
            raise ApiError("Mapillary sent an answer that could not be read (no data list).")
        creator = data[0].get("creator") if data and isinstance(data[0], dict) else None
        creator_id = str(creator.get("id", "")) if isinstance(creator, dict) else ""
        if data and not _ID_RE.match(creator_id):
            raise ApiError("Mapillary sent an image without a readable creator.")
        result = int(creator_id) if data else None
        with self._lock:
            self._known[username] = result
        return result
