"""The Client honours QGIS's proxy settings, through the injected resolver."""

import socket

import pytest
from qgis.core import QgsNetworkAccessManager, QgsSettings

from mapillary_qgis.client import Client
from mapillary_qgis.errors import NetworkError
from mapillary_qgis.qgis_glue.network import qgis_proxies


def dead_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def qgis_proxy():
    port = dead_port()
    settings = QgsSettings()
    values = {
        "proxy/proxyEnabled": True,
        "proxy/proxyType": "HttpProxy",
        "proxy/proxyHost": "127.0.0.1",
        "proxy/proxyPort": str(port),
        "proxy/proxyUser": "ana",
        "proxy/proxyPassword": "p@ss",
        "proxy/proxyExcludedUrls": "http://excluded.example",
    }
    for key, value in values.items():
        settings.setValue(key, value)
    QgsNetworkAccessManager.instance().setupDefaultProxyAndCache()
    yield port
    for key in values:
        settings.remove(key)
    QgsNetworkAccessManager.instance().setupDefaultProxyAndCache()


def test_resolver_reads_the_qgis_proxy(qgis_proxy):
    address = f"http://ana:p%40ss@127.0.0.1:{qgis_proxy}"
    assert qgis_proxies("https://graph.mapillary.com/me") == {"http": address, "https": address}
    assert qgis_proxies("http://excluded.example/tiles") == {}


def test_no_proxy_configured_means_requests_decides(qgis_app):
    assert qgis_proxies("https://graph.mapillary.com/me") is None


def test_client_goes_through_the_qgis_proxy(qgis_proxy, fake):
    Client.set_proxy_resolver(qgis_proxies)
    client = Client(fake.token, graph_url=fake.graph_url, tiles_url=fake.tiles_url, max_retries=0)
    with pytest.raises(NetworkError):
        client.get(endpoint="me")
    assert fake.requests == []  # it went to the (dead) proxy, not straight to the server
