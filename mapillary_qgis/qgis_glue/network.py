"""QGIS's network settings for the pure `Client`: its proxy (as a resolver) and the authorities it trusts.

The settings are read once, on the main thread (`qgis_proxy_resolver()` in
`initGui`), because `QgsNetworkAccessManager.instance()` in a worker thread
builds a new manager each time. The resolver then follows QGIS's rules:
"no proxy" URLs go direct, "excluded" URLs use the default proxy (as usual
for `requests`: the environment), and otherwise the configured proxy.
"""

from __future__ import annotations

import logging
import os
import ssl
from pathlib import Path
from typing import Callable
from urllib.parse import quote

import requests.certs
from qgis.core import QgsApplication, QgsNetworkAccessManager
from qgis.PyQt.QtNetwork import QNetworkProxy

LOGGER = logging.getLogger(__name__)

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


def qgis_ca_bundle(path: Path) -> str | None:
    """Write the certificate authorities QGIS trusts into the PEM file `path`; its name, or None.

    QGIS trusts the system's authorities and those added in its Certificate
    Manager (a company's, where the network inspects HTTPS); `requests` alone
    knows only its own list (`requests_ca_file`). The file holds that list plus
    QGIS's, so nothing that worked stops working. None (keep `requests`' own)
    when QGIS has nothing to add, or the file cannot be written or read back.
    Main thread; the plugin calls it again when QGIS's options change.
    """
    manager = QgsApplication.authManager()
    if manager is None or manager.isDisabled():
        return None
    pem = bytes(manager.trustedCaCertsPemText())  # QGIS's cache, which its Certificate Manager keeps current
    if b"BEGIN CERTIFICATE" not in pem:
        return None
    try:
        ours = Path(requests_ca_file()).read_bytes()
    except OSError:
        ours = b""
    known = {_body(block) for block in _blocks(ours)}
    added = [block for block in _blocks(pem) if _body(block) not in known]  # mostly the same system roots
    if not added:
        return None
    temp = path.with_name(path.name + ".tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temp.write_bytes(ours.rstrip(b"\n") + b"\n" + b"\n".join(added) + b"\n")
        ssl.create_default_context(cafile=str(temp))  # OpenSSL must read it, or every request would fail
        os.replace(temp, path)
    except (OSError, ValueError, ssl.SSLError) as exc:
        LOGGER.warning("Could not use QGIS's certificate authorities (%s); using those of requests.", exc)
        try:
            temp.unlink(missing_ok=True)
        except OSError:  # a read-only profile, or a file where the folder should be
            pass
        return None
    return str(path)


def requests_ca_file() -> str:
    """The authorities `requests` trusts by itself: `REQUESTS_CA_BUNDLE` or `CURL_CA_BUNDLE` when it names a
    file (as `requests` reads them), else its own list."""
    for name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"):
        value = os.environ.get(name)
        if value:
            return value if os.path.isfile(value) else requests.certs.where()
    return requests.certs.where()


_BEGIN, _END = b"-----BEGIN CERTIFICATE-----", b"-----END CERTIFICATE-----"


def _blocks(pem: bytes) -> list:
    """The certificates of a PEM text, each from BEGIN to END."""
    blocks = []
    for part in pem.split(_END)[:-1]:
        start = part.find(_BEGIN)
        if start >= 0:
            blocks.append(part[start:] + _END)
    return blocks


def _body(block: bytes) -> bytes:
    return b"".join(block.split())
