"""Adds the access token to QGIS's own requests for Mapillary vector tiles.

Coverage layers are `QgsVectorTileLayer`s whose URI holds no token, so a
saved project holds none either. QGIS fetches their tiles itself; this
preprocessor (measured to see vector-tile requests on QGIS 3.22) adds
`access_token` to each request for the tiles host at the last moment, and
keeps those responses out of QGIS's disk cache, whose index would otherwise
store the URL, token included. `uninstall()` in `unload()`.
"""

from __future__ import annotations

from urllib.parse import quote

from qgis.core import QgsNetworkAccessManager
from qgis.PyQt.QtCore import QUrl
from qgis.PyQt.QtNetwork import QNetworkRequest

from ..client import Client, same_base, tiles_base

TOKEN_PARAM = "access_token"


def add_token(request: QNetworkRequest) -> None:
    """Give a request for the tiles host the current token (never any other host)."""
    url = request.url()
    text = url.toString(QUrl.ComponentFormattingOption.FullyEncoded)
    if not same_base(text, tiles_base()):
        return
    token = Client.get_token()
    query = url.query(QUrl.ComponentFormattingOption.FullyEncoded)
    if not token or f"{TOKEN_PARAM}=" in query:
        return
    item = f"{TOKEN_PARAM}={quote(token, safe='')}"
    url.setQuery(f"{query}&{item}" if query else item, QUrl.ParsingMode.StrictMode)
    request.setUrl(url)
    request.setAttribute(QNetworkRequest.Attribute.CacheSaveControlAttribute, False)


class TokenRequestHook:
    """Installs `add_token` as a QgsNetworkAccessManager request preprocessor."""

    def __init__(self):
        self._id: str | None = None

    @property
    def installed(self) -> bool:
        return self._id is not None

    def install(self) -> None:
        if self._id is None:
            self._id = QgsNetworkAccessManager.setRequestPreprocessor(add_token)

    def uninstall(self) -> None:
        if self._id is not None:
            QgsNetworkAccessManager.removeRequestPreprocessor(self._id)
            self._id = None
