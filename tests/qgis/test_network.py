"""The Client honours QGIS's proxy settings, through the injected resolver."""

import socket

import pytest
from qgis.core import QgsNetworkAccessManager, QgsSettings

from mapillary_qgis.client import Client
from mapillary_qgis.errors import NetworkError
from mapillary_qgis.qgis_glue.network import qgis_proxy_resolver


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
        "proxy/noProxyUrls": "http://direct.example",
    }
    for key, value in values.items():
        settings.setValue(key, value)
    QgsNetworkAccessManager.instance().setupDefaultProxyAndCache()
    yield port
    for key in values:
        settings.remove(key)
    QgsNetworkAccessManager.instance().setupDefaultProxyAndCache()


def test_resolver_reads_the_qgis_proxy(qgis_proxy):
    resolve = qgis_proxy_resolver()
    address = f"http://ana:p%40ss@127.0.0.1:{qgis_proxy}"
    assert resolve("https://graph.mapillary.com/me") == {"http": address, "https": address}
    assert resolve("http://excluded.example/tiles") is None  # QGIS: "use the default proxy"
    assert resolve("http://direct.example/tiles") == {"http": None, "https": None}  # QGIS: "no proxy"


def test_no_proxy_configured_means_requests_decides(qgis_app):
    assert qgis_proxy_resolver()("https://graph.mapillary.com/me") is None


def test_the_resolver_works_in_worker_threads(qgis_proxy):
    import threading

    resolve, seen = qgis_proxy_resolver(), []
    worker = threading.Thread(target=lambda: seen.append(resolve("https://graph.mapillary.com/me")))
    worker.start()
    worker.join()
    assert seen[0]["https"].endswith(f"127.0.0.1:{qgis_proxy}")


def test_no_proxy_urls_bypass_the_proxy_environment(fake, monkeypatch):
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")  # a dead proxy in the environment
    Client.set_proxy_resolver(lambda url: {"http": None, "https": None})
    client = Client(fake.token, graph_url=fake.graph_url, tiles_url=fake.tiles_url, max_retries=0)
    assert client.get(f"{fake.tiles_url}/maps/vtp/mly1_public/2/14/0/0").status_code == 200
    assert len(fake.requests) == 1  # it went straight to the server, not to the dead proxy


def test_client_goes_through_the_qgis_proxy(qgis_proxy, fake):
    Client.set_proxy_resolver(qgis_proxy_resolver())
    client = Client(fake.token, graph_url=fake.graph_url, tiles_url=fake.tiles_url, max_retries=0)
    with pytest.raises(NetworkError):
        client.get(endpoint="me")
    assert fake.requests == []  # it went to the (dead) proxy, not straight to the server
