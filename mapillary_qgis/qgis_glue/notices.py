"""What the network side has to tell the user, carried to the GUI thread.

The tile server and the Client's retries run in worker threads; they call
`tile_failed()` / `retrying()` there, and the Qt signal `notice(level, text)`
arrives queued on the main thread, where the dock shows it. A rejected token
or a rate limit is said once, not once per tile.
"""

from __future__ import annotations

import threading
import time
from typing import Callable

from qgis.PyQt.QtCore import QCoreApplication, QObject, pyqtSignal

from ..core.mvt_decode import TileDecodeError
from ..errors import InvalidTokenError, MapillaryError, MissingTokenError, RateLimitError

QUIET_S = 30.0  # the same kind of notice at most once in this many seconds


class Notices(QObject):
    notice = pyqtSignal(str, str)  # level ("info" | "warning" | "error"), text for the user

    def __init__(self, locked: Callable[[], bool] = lambda: False, parent: QObject | None = None):
        super().__init__(parent)
        self._locked = locked  # whether the token is locked in the auth database
        self._lock = threading.Lock()
        self._said: dict[str, float] = {}

    @staticmethod
    def tr(text: str) -> str:
        return QCoreApplication.translate("Notices", text)

    def _once(self, kind: str, level: str, text: str) -> None:
        now = time.monotonic()
        with self._lock:
            if now - self._said.get(kind, -QUIET_S) < QUIET_S:
                return
            self._said[kind] = now
        self.notice.emit(level, text)

    def reset(self, *args) -> None:
        """After the token changed, say everything again."""
        with self._lock:
            self._said.clear()

    def tile_failed(self, error: MapillaryError) -> None:
        if isinstance(error, MissingTokenError) and self._locked():
            self._once("token", "error", self.tr(
                "Your Mapillary token is locked in the QGIS authentication database; unlock it to see Mapillary data."))
        elif isinstance(error, InvalidTokenError):
            self._once("token", "error", error.message)
        elif isinstance(error, RateLimitError):
            self._once("rate", "warning", self.tr("Mapillary rate-limited the tile requests; some tiles are missing."))
        elif isinstance(error, TileDecodeError):
            self._once("garbage", "warning", self.tr("Some Mapillary tiles could not be read and were skipped."))
        else:
            self._once("other", "warning", error.message)

    def retrying(self, error: MapillaryError, seconds: float) -> None:
        if isinstance(error, RateLimitError):
            self._once("retry", "warning", self.tr("Mapillary rate-limited the requests, retrying in {} s.")
                       .format(max(1, round(seconds))))
