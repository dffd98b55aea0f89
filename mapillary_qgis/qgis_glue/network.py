"""QGIS's proxy settings, handed to the pure `Client` as a resolver.

The settings are read once, on the main thread (`qgis_proxy_resolver()` in
`initGui`), because `QgsNetworkAccessManager.instance()` in a worker thread
builds a new manager each time. The resolver then follows QGIS's rules:
"no proxy" URLs go direct, "excluded" URLs use the default proxy (as usual
for `requests`: the environment), and otherwise the configured proxy.
"""

from __future__ import annotations

from typing import Callable
from urllib.parse import quote

from qgis.core import QgsNetworkAccessManager
from qgis.PyQt.QtNetwork import QNetworkProxy

_SCHEMES = {
    QNetworkProxy.ProxyType.HttpProxy: "http",
    QNetworkProxy.ProxyType.HttpCachingProxy: "http",
    QNetworkProxy.ProxyType.Socks5Proxy: "socks5h",  # needs PySocks; requests says so if missing
}
DIRECT = {"http": None, "https": None}  # None overrides the environment in requests: no proxy


def _address(proxy: QNetworkProxy) -> str | None:
    scheme = _SCHEMES.get(proxy.type())
    if scheme is None or not proxy.hostName():
        return None
    credentials = ""
    if proxy.user():
        credentials = quote(proxy.user(), safe="") + ":" + quote(proxy.password(), safe="") + "@"
    return f"{scheme}://{credentials}{proxy.hostName()}:{proxy.port()}"


def qgis_proxy_resolver(manager: QgsNetworkAccessManager | None = None) -> Callable[[str], dict | None]:
    """A resolver `url -> requests proxies` from QGIS's current network settings (main thread)."""
    manager = manager or QgsNetworkAccessManager.instance()
    no_proxy = [prefix.strip() for prefix in manager.noProxyList() if prefix.strip()]
    excluded = [prefix.strip() for prefix in manager.excludeList() if prefix.strip()]
    address = None if manager.useSystemProxy() else _address(manager.fallbackProxy())

    def resolve(url: str) -> dict | None:
        if any(url.startswith(prefix) for prefix in no_proxy):
            return dict(DIRECT)
        if address is None or any(url.startswith(prefix) for prefix in excluded):
            return None  # the default: requests reads the proxy environment variables
        return {"http": address, "https": address}

    return resolve
