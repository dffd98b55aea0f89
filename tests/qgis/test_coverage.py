"""Coverage layers: rendered from the fake, token added at request time, never saved."""

import pytest
from qgis.core import QgsProject, QgsRectangle

from mapillary_qgis.client import Client
from mapillary_qgis.core.tile_server import LocalTileServer
from mapillary_qgis.core.tile_source import TileSource
from mapillary_qgis.core.tilemath import tile_bounds_mercator
from mapillary_qgis.errors import InvalidTokenError
from mapillary_qgis.qgis_glue import compat
from mapillary_qgis.qgis_glue.coverage import (
    ATTRIBUTION,
    COVERAGE,
    GROUP_NAME,
    add_to_project,
    coverage_layer,
    repoint,
)
from tests.fake_mapillary.dataset import DEMO_CENTER
from tests.fake_mapillary.tilemath import tile_for

from .conftest import start_tile_server
from .rendering import drawn_pixels, render

CX, CY = tile_for(*DEMO_CENTER, 14)


def demo_tile_extent(zoom_out: int = 0):
    west, south, east, north = tile_bounds_mercator(14, CX, CY)
    pad = (east - west) * zoom_out
    return QgsRectangle(west - pad, south - pad, east + pad, north + pad)


def tile_requests(fake):
    return [r for r in fake.requests if r.host == "tiles"]


@pytest.mark.parametrize("key", list(COVERAGE))
def test_each_coverage_layer_renders_from_the_fake(server, fake_env, key):
    layer = coverage_layer(key, server)
    assert layer.isValid()
    assert "access_token" not in layer.source() and fake_env.token not in layer.source()
    assert layer.source().startswith("type=xyz&url=http://127.0.0.1:")
    assert drawn_pixels(render([layer], demo_tile_extent())) > 200
    assert server.served > 0
    requests = tile_requests(fake_env)
    assert requests, "QGIS fetched no tile"
    for request in requests:
        assert request.query["access_token"] == [fake_env.token]
        assert "authorization" not in request.headers
        assert f"/{COVERAGE[key].tileset}/2/14/" in request.path


def test_a_rejected_token_draws_nothing_and_is_remembered_once(server, fake_env):
    fake_env.inject("invalid_token", host="tiles", count=None)
    layer = coverage_layer("coverage", server)
    assert drawn_pixels(render([layer], demo_tile_extent())) == 0
    assert isinstance(server.last_error, InvalidTokenError)


def test_other_sessions_get_nothing(server, fake_env):
    import requests

    wrong = server.base_url.replace(server.session, "0" * len(server.session))
    assert requests.get(f"{wrong}mly1_public/14/{CX}/{CY}", timeout=5).status_code == 404
    assert requests.get(f"{server.base_url}mly1_public/14/{CX}/{CY}", timeout=5).status_code == 200
    assert len(tile_requests(fake_env)) == 1


def test_overview_and_sequences_at_lower_zooms(server, fake_env):
    layer = coverage_layer("coverage", server)
    assert drawn_pixels(render([layer], demo_tile_extent(zoom_out=20))) > 50
    zooms = {int(r.path.split("/")[5]) for r in tile_requests(fake_env)}
    assert max(zooms) < 14


def test_saved_project_holds_no_token_and_reopens_in_a_new_session(server, fake_env, tmp_path):
    project = QgsProject()
    for key in COVERAGE:
        add_to_project(coverage_layer(key, server), project)
    group = project.layerTreeRoot().findGroup(GROUP_NAME)
    assert group is not None and len(group.findLayers()) == len(COVERAGE)
    path = tmp_path / "coverage.qgs"
    assert project.write(str(path))
    xml = path.read_text(encoding="utf-8")
    assert fake_env.token not in xml and "access_token" not in xml and "8f3a1c7e9b2d4f60a5e7c3b1d9f2e4a6" not in xml
    assert server.base_url in xml

    next_session = start_tile_server(fake_env)  # QGIS restarted: another port, another session
    try:
        reopened = QgsProject()
        assert reopened.read(str(path))
        assert repoint(reopened, next_session) == len(COVERAGE)
        layers = list(reopened.mapLayers().values())
        assert len(layers) == len(COVERAGE) and all(layer.isValid() for layer in layers)
        assert all(layer.source().count(next_session.base_url) == 1 for layer in layers)
        coverage = [layer for layer in layers if layer.name() == COVERAGE["coverage"].name][0]
        assert compat.attribution(coverage) == ATTRIBUTION
        assert drawn_pixels(render([coverage], demo_tile_extent())) > 200
    finally:
        next_session.stop()


def test_a_rejected_token_is_told_once_on_the_gui_thread(qtbot, fake_env):
    from mapillary_qgis.qgis_glue.notices import Notices

    notices = Notices()
    heard = []
    notices.notice.connect(lambda level, text: heard.append((level, text)))
    Client.set_token(fake_env.token)
    fake_env.inject("invalid_token", host="tiles", count=None)
    client = Client(graph_url=fake_env.graph_url, tiles_url=fake_env.tiles_url, max_retries=0)
    server = LocalTileServer(TileSource(client), on_error=notices.tile_failed).start()
    try:
        render([coverage_layer("coverage", server)], demo_tile_extent())
        qtbot.waitUntil(lambda: bool(heard), timeout=5000)
        qtbot.wait(200)
        assert len(tile_requests(fake_env)) > 1  # several tiles failed ...
        assert len(heard) == 1 and heard[0][0] == "error" and "token" in heard[0][1]  # ... one message
    finally:
        server.stop()


def test_rate_limit_retries_are_announced(qtbot, fake_env):
    from mapillary_qgis.qgis_glue.notices import Notices

    notices = Notices()
    heard = []
    notices.notice.connect(lambda level, text: heard.append(text))
    Client.set_retry_listener(notices.retrying)
    fake_env.inject("rate_limit", host="tiles", status=429, retry_after=2)
    client = Client(fake_env.token, graph_url=fake_env.graph_url, tiles_url=fake_env.tiles_url)
    client._sleep = lambda seconds: None
    assert client.get(f"{fake_env.tiles_url}/maps/vtp/mly1_public/2/14/{CX}/{CY}").ok
    qtbot.waitUntil(lambda: bool(heard), timeout=2000)
    assert heard == ["Mapillary rate-limited the requests, retrying in 2 s."]


def test_a_locked_token_is_said_once_as_locked(qtbot):
    from mapillary_qgis.errors import MissingTokenError
    from mapillary_qgis.qgis_glue.notices import Notices

    notices = Notices(locked=lambda: True)
    heard = []
    notices.notice.connect(lambda level, text: heard.append((level, text)))
    for _ in range(5):  # five tiles failed for want of a token
        notices.tile_failed(MissingTokenError("No Mapillary access token is set."))
    qtbot.wait(50)
    assert len(heard) == 1
    assert heard[0][0] == "error" and "locked" in heard[0][1]
    notices.reset()  # e.g. after the token changed: it may be said again
    notices.tile_failed(MissingTokenError("No Mapillary access token is set."))
    qtbot.wait(50)
    assert len(heard) == 2
