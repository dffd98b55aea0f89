"""Coverage layers: rendered from the fake, token added at request time, never saved."""

import pytest
from qgis.core import QgsProject, QgsRectangle

from mapillary_qgis.client import Client
from mapillary_qgis.core.tilemath import tile_bounds_mercator
from mapillary_qgis.qgis_glue.coverage import ATTRIBUTION, COVERAGE, GROUP_NAME, add_to_project, coverage_layer
from mapillary_qgis.qgis_glue.request_hook import TokenRequestHook
from tests.fake_mapillary.dataset import DEMO_CENTER
from tests.fake_mapillary.tilemath import tile_for

from .rendering import drawn_pixels, render

CX, CY = tile_for(*DEMO_CENTER, 14)


@pytest.fixture
def hook(fake_env):
    Client.set_token(fake_env.token)
    installed = TokenRequestHook()
    installed.install()
    yield installed
    installed.uninstall()


def demo_tile_extent(zoom_out: int = 0):
    west, south, east, north = tile_bounds_mercator(14, CX, CY)
    pad = (east - west) * zoom_out
    return QgsRectangle(west - pad, south - pad, east + pad, north + pad)


def tile_requests(fake):
    return [r for r in fake.requests if r.host == "tiles"]


@pytest.mark.parametrize("key", list(COVERAGE))
def test_each_coverage_layer_renders_from_the_fake(hook, fake_env, key):
    layer = coverage_layer(key)
    assert layer.isValid()
    assert "access_token" not in layer.source() and fake_env.token not in layer.source()
    assert drawn_pixels(render([layer], demo_tile_extent())) > 200
    requests = tile_requests(fake_env)
    assert requests, "QGIS fetched no tile"
    for request in requests:
        assert request.query["access_token"] == [fake_env.token]
        assert "authorization" not in request.headers
        assert f"/{COVERAGE[key].tileset}/2/14/" in request.path


def test_without_the_hook_the_tiles_are_refused(fake_env):
    Client.set_token(fake_env.token)
    layer = coverage_layer("coverage")
    assert drawn_pixels(render([layer], demo_tile_extent())) == 0
    assert tile_requests(fake_env) and all("access_token" not in r.query for r in tile_requests(fake_env))


def test_overview_and_sequences_at_lower_zooms(hook, fake_env):
    layer = coverage_layer("coverage")
    assert drawn_pixels(render([layer], demo_tile_extent(zoom_out=20))) > 50
    zooms = {int(r.path.split("/")[5]) for r in tile_requests(fake_env)}
    assert max(zooms) < 14


def test_the_hook_leaves_other_hosts_alone(hook, fake_env):
    from qgis.core import QgsNetworkAccessManager
    from qgis.PyQt.QtCore import QUrl
    from qgis.PyQt.QtNetwork import QNetworkRequest

    url = QUrl(f"{fake_env.graph_url}/me")
    QgsNetworkAccessManager.blockingGet(QNetworkRequest(url))
    graph = [r for r in fake_env.requests if r.host == "graph"]
    assert graph and "access_token" not in graph[-1].query


def test_saved_project_holds_no_token_and_reopens(hook, fake_env, tmp_path):
    project = QgsProject()
    for key in COVERAGE:
        add_to_project(coverage_layer(key), project)
    group = project.layerTreeRoot().findGroup(GROUP_NAME)
    assert group is not None and len(group.findLayers()) == len(COVERAGE)
    path = tmp_path / "coverage.qgs"
    assert project.write(str(path))
    xml = path.read_text(encoding="utf-8")
    assert fake_env.token not in xml and "access_token" not in xml and "8f3a1c7e9b2d4f60a5e7c3b1d9f2e4a6" not in xml
    assert fake_env.tiles_url in xml

    reopened = QgsProject()
    assert reopened.read(str(path))
    layers = list(reopened.mapLayers().values())
    assert len(layers) == len(COVERAGE) and all(layer.isValid() for layer in layers)
    coverage = [layer for layer in layers if layer.name() == COVERAGE["coverage"].name][0]
    assert coverage.attribution() == ATTRIBUTION
    assert drawn_pixels(render([coverage], demo_tile_extent())) > 200
