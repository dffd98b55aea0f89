"""QGIS's proxy settings, handed to the pure `Client` as a resolver."""

from __future__ import annotations

from urllib.parse import quote

from qgis.core import QgsNetworkAccessManager
from qgis.PyQt.QtNetwork import QNetworkProxy

_SCHEMES = {
    QNetworkProxy.ProxyType.HttpProxy: "http",
    QNetworkProxy.ProxyType.HttpCachingProxy: "http",
    QNetworkProxy.ProxyType.Socks5Proxy: "socks5h",  # needs PySocks; requests says so if missing
}


def qgis_proxies(url: str) -> dict | None:
    """`requests` proxies for `url` from QGIS's network settings, or None for "as usual".

    None lets `requests` fall back to the proxy environment variables, which
    is what QGIS's "default proxy" setting means too.
    """
    manager = QgsNetworkAccessManager.instance()
    if any(url.startswith(prefix) for prefix in manager.excludeList() if prefix):
        return {}
    proxy = manager.fallbackProxy()
    scheme = _SCHEMES.get(proxy.type())
    if scheme is None or not proxy.hostName():
        return None
    credentials = ""
    if proxy.user():
        credentials = quote(proxy.user(), safe="") + ":" + quote(proxy.password(), safe="") + "@"
    address = f"{scheme}://{credentials}{proxy.hostName()}:{proxy.port()}"
    return {"http": address, "https": address}
