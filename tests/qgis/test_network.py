"""The Client honours QGIS's network settings: its proxy (an injected resolver) and the authorities it trusts."""

import socket
import ssl
from pathlib import Path

import pytest
import requests.certs
from qgis.core import QgsApplication, QgsAuthCertUtils, QgsNetworkAccessManager, QgsSettings
from qgis.gui import QgsGui
from qgis.PyQt.QtNetwork import QSslCertificate

from mapillary_qgis.client import Client
from mapillary_qgis.errors import NetworkError
from mapillary_qgis.qgis_glue.network import qgis_ca_bundle, qgis_proxy_resolver


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


# -- certificate authorities: what QGIS trusts, requests trusts too -------------------------------------------

@pytest.fixture
def https_server(tmp_path):
    tls = pytest.importorskip("tests.tls", reason="needs the cryptography package")
    with tls.HttpsServer(tmp_path) as server:
        yield server


@pytest.fixture
def qgis_trusts(qgis_app):
    """Add a certificate authority to QGIS's Certificate Manager, as a user would (removed afterwards)."""
    manager = QgsApplication.authManager()
    added = []

    def trust(pem_path):
        certificate = QSslCertificate.fromPath(str(pem_path))[0]
        assert manager.storeCertAuthority(certificate)
        added.append(certificate)
        manager.rebuildCaCertsCache()  # what the Certificate Manager does after a change
        manager.rebuildTrustedCaCertsCache()

    yield trust
    for certificate in added:
        manager.removeCertAuthority(certificate)
    manager.rebuildCaCertsCache()
    manager.rebuildTrustedCaCertsCache()


def bodies(pem: bytes) -> list:
    """Each certificate of a PEM text, without line breaks."""
    return [b"".join(part.split(b"-----", 1)[0].split()) for part in pem.split(b"-----BEGIN CERTIFICATE-----")[1:]]


def test_an_authority_added_in_qgis_is_trusted_by_the_client(https_server, qgis_trusts, tmp_path):
    bundle = tmp_path / "profile" / "ca-bundle.pem"
    Client.set_ca_bundle(qgis_ca_bundle(bundle))  # None when QGIS trusts nothing requests does not already
    client = Client("MLY|1|secret", graph_url=https_server.url, max_retries=0)
    with pytest.raises(NetworkError) as info:
        client.get(https_server.url + "/me")
    assert "Certificate Manager" in info.value.message
    qgis_trusts(https_server.ca)
    Client.set_ca_bundle(qgis_ca_bundle(bundle))
    client.close()
    assert client.get(https_server.url + "/me").json()["ok"] is True
    ours, theirs = bodies(bundle.read_bytes()), bodies(Path(requests.certs.where()).read_bytes())
    assert ours[:len(theirs)] == theirs  # requests' own list first, whole
    assert bodies(https_server.ca.read_bytes())[0] in ours[len(theirs):]  # then what QGIS adds, ours among it
    assert len(set(ours)) == len(ours)  # nothing twice


def test_a_bundle_openssl_cannot_read_is_not_used(https_server, qgis_trusts, tmp_path, monkeypatch):
    qgis_trusts(https_server.ca)

    def unreadable(**_kwargs):
        raise ssl.SSLError("no certificate or crl found")

    monkeypatch.setattr(ssl, "create_default_context", unreadable)
    bundle = tmp_path / "ca-bundle.pem"
    assert qgis_ca_bundle(bundle) is None and not bundle.exists() and not list(tmp_path.glob("*.tmp"))


def test_the_plugin_hands_qgis_authorities_to_every_client_and_takes_them_back(
        https_server, qgis_trusts, iface):
    import mapillary_qgis

    qgis_trusts(https_server.ca)
    plugin = mapillary_qgis.classFactory(iface)
    plugin.initProcessing()  # what qgis_process calls; initGui calls it too
    try:
        assert Client._ca_bundle and Path(Client._ca_bundle).is_file()
        assert Client._proxy_resolver is not None  # QGIS's proxy settings, for qgis_process too
        client = Client("MLY|1|secret", graph_url=https_server.url, max_retries=0)
        assert client.get(https_server.url + "/me").json()["ok"] is True
    finally:
        plugin.unload()
    assert Client._ca_bundle is None and Client._proxy_resolver is None


def test_a_profile_that_cannot_hold_the_bundle_is_no_reason_to_fail(https_server, qgis_trusts, tmp_path):
    qgis_trusts(https_server.ca)
    (tmp_path / "cache").write_text("a file where the folder should be")
    assert qgis_ca_bundle(tmp_path / "cache" / "mapillary_qgis" / "ca-bundle.pem") is None


def test_the_authorities_requests_is_told_of_in_the_environment_stay_trusted(https_server, tmp_path, monkeypatch):
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(https_server.ca))  # requests alone trusts this server
    client = Client("MLY|1|secret", graph_url=https_server.url, max_retries=0)
    assert client.get(https_server.url + "/me").json()["ok"] is True
    Client.set_ca_bundle(qgis_ca_bundle(tmp_path / "ca-bundle.pem"))  # QGIS's system authorities added to it
    client.close()
    assert client.get(https_server.url + "/me").json()["ok"] is True


def test_a_change_in_qgis_options_reaches_the_requests_at_once(https_server, qgis_trusts, iface):
    import mapillary_qgis

    manager = QgsApplication.authManager()
    certificate = QSslCertificate.fromPath(str(https_server.ca))[0]
    client = Client("MLY|1|secret", graph_url=https_server.url, max_retries=0)

    def trusted_by_qgis() -> bool:
        return bodies(https_server.ca.read_bytes())[0] in bodies(bytes(manager.trustedCaCertsPemText()))

    def trusted_by_plugin() -> bool:
        QgsGui.instance().optionsChanged.emit()  # the Options dialog closed with OK
        client.close()
        try:
            return client.get(https_server.url + "/me").ok
        except NetworkError:
            return False

    plugin = mapillary_qgis.classFactory(iface)
    plugin.initGui()
    try:
        assert not trusted_by_plugin()
        qgis_trusts(https_server.ca)  # added in Settings > Options > Authentication
        assert trusted_by_qgis() and trusted_by_plugin()
        assert manager.storeCertTrustPolicy(certificate, QgsAuthCertUtils.CertTrustPolicy.Untrusted)
        for rebuild in (manager.rebuildCertTrustCache, manager.rebuildCaCertsCache, manager.rebuildTrustedCaCertsCache):
            rebuild()
        assert trusted_by_plugin() == trusted_by_qgis()  # distrusted: whatever QGIS then trusts, the plugin too
        manager.removeCertTrustPolicy(certificate)
        manager.removeCertAuthority(certificate)
        for rebuild in (manager.rebuildCertTrustCache, manager.rebuildCaCertsCache, manager.rebuildTrustedCaCertsCache):
            rebuild()
        assert not trusted_by_qgis() and not trusted_by_plugin()  # removed
    finally:
        plugin.unload()
        manager.removeCertTrustPolicy(certificate)
        manager.rebuildCertTrustCache()
    QgsGui.instance().optionsChanged.emit()  # the plugin is gone: nothing listens any more
    assert Client._ca_bundle is None
