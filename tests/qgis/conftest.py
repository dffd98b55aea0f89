"""QGIS test fixtures: a known master password, a recording iface, the fake's URLs."""

import pytest
from qgis.core import QgsApplication, QgsSettings
from qgis.PyQt.QtCore import QCoreApplication

from mapillary_qgis.client import Client
from mapillary_qgis.qgis_glue.token_store import AUTHCFG_KEY

from .iface import RecordingIface

MASTER_PASSWORD = "test-master-password"


@pytest.fixture(scope="session", autouse=True)
def unlocked_auth_db(qgis_app):
    """The session's fresh auth database, with a known master password set."""
    manager = QgsApplication.authManager()
    assert not manager.isDisabled(), manager.disabledMessage()
    assert manager.setMasterPassword(MASTER_PASSWORD, True)
    return manager


@pytest.fixture(autouse=True)
def clean_token_state():
    """No test sees another's token, settings or API hosts."""
    yield
    manager = QgsApplication.authManager()
    config_id = QgsSettings().value(AUTHCFG_KEY, "", type=str)
    if config_id:
        manager.removeAuthenticationConfig(config_id)
    QgsSettings().remove(AUTHCFG_KEY)
    Client.set_token(None)
    Client.set_proxy_resolver(None)
    Client.set_ca_bundle(None)


@pytest.fixture
def iface(qgis_canvas):
    recording = RecordingIface(qgis_canvas)
    yield recording
    recording.mainWindow().deleteLater()
    QCoreApplication.processEvents()


@pytest.fixture
def fake_env(fake, monkeypatch):
    """Point every Client at the fake Mapillary."""
    monkeypatch.setenv("MAPILLARY_GRAPH_URL", fake.graph_url)
    monkeypatch.setenv("MAPILLARY_TILES_URL", fake.tiles_url)
    return fake


@pytest.fixture
def provider(qgis_processing):
    """The Mapillary Processing provider, registered for one test."""
    from mapillary_qgis.processing.provider import MapillaryProvider

    registered = MapillaryProvider()
    assert QgsApplication.processingRegistry().addProvider(registered)
    yield registered
    QgsApplication.processingRegistry().removeProvider(registered)


@pytest.fixture
def env(fake_env, monkeypatch, provider):
    """The fake's token in MAPILLARY_ACCESS_TOKEN, and an empty tile cache (faults must reach the fake)."""
    import shutil

    from mapillary_qgis.processing.common import tile_cache_dir

    monkeypatch.setenv("MAPILLARY_ACCESS_TOKEN", fake_env.token)
    shutil.rmtree(tile_cache_dir(), ignore_errors=True)
    return fake_env


def start_tile_server(fake):
    """The plugin's loopback tile server, reading tiles from the fake."""
    from mapillary_qgis.core.tile_server import LocalTileServer
    from mapillary_qgis.core.tile_source import TileSource

    client = Client(graph_url=fake.graph_url, tiles_url=fake.tiles_url, max_retries=0)
    return LocalTileServer(TileSource(client)).start()


@pytest.fixture
def server(fake_env):
    """A running loopback tile server on the fake, with the fake's token set."""
    Client.set_token(fake_env.token)
    running = start_tile_server(fake_env)
    yield running
    running.stop()


@pytest.fixture
def service(fake_env, tmp_path):
    """An ImageService on the fake, with its own thumbnail cache."""
    from mapillary_qgis.core.thumbnails import ThumbnailCache
    from mapillary_qgis.core.tile_source import TileSource
    from mapillary_qgis.qgis_glue.images import ImageService

    client = Client(fake_env.token, graph_url=fake_env.graph_url, tiles_url=fake_env.tiles_url, max_retries=0)
    return ImageService(client, TileSource(client), ThumbnailCache(tmp_path / "thumbs"))


@pytest.fixture
def panel(qtbot, service):
    """The Image tab on its own, shown, with a controller on `service`."""
    from mapillary_qgis.gui.image_panel import ImagePanel
    from mapillary_qgis.qgis_glue.image_controller import ImageController

    controller = ImageController(service)
    widget = ImagePanel(controller, on_set_token=lambda: None, on_zoom=lambda details: None)
    widget.resize(400, 600)
    qtbot.addWidget(widget)
    widget.show()
    yield widget
    controller.shutdown()
