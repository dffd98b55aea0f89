"""Filters applied to every Mapillary layer, with QGIS: which features pass, coverage styles, the project."""

from dataclasses import replace
from datetime import date, datetime, timezone

import pytest
from qgis.core import QgsCoordinateReferenceSystem, QgsProject, QgsRectangle

from mapillary_qgis.client import Client
from mapillary_qgis.core.creators import CreatorDirectory
from mapillary_qgis.core.filters import Filters
from mapillary_qgis.core.tile_server import LocalTileServer
from mapillary_qgis.core.tile_source import TileSource
from mapillary_qgis.core.tilemath import tile_bounds_mercator
from mapillary_qgis.qgis_glue.coverage import COVERAGE, add_to_project, coverage_layer, find_layers
from mapillary_qgis.qgis_glue.filtering import Filtering, filtered_renderer
from mapillary_qgis.qgis_glue.live_layers import LiveLayers
from tests.fake_mapillary.dataset import DEMO_BBOX, DEMO_CENTER
from tests.fake_mapillary.tilemath import tile_for

from .rendering import drawn_pixels, render

CX, CY = tile_for(*DEMO_CENTER, 14)
MERCATOR = QgsCoordinateReferenceSystem("EPSG:3857")


def in_demo_area(fake):
    return [i for i in fake.dataset.images
            if DEMO_BBOX[0] <= i.lon < DEMO_BBOX[2] and DEMO_BBOX[1] < i.lat <= DEMO_BBOX[3]]


def local_date(ms):
    return datetime.fromtimestamp(ms / 1000, tz=timezone.utc).astimezone().date()


def load_demo_area(qtbot, live, layer):
    west, south, _, _ = tile_bounds_mercator(14, CX - 1, CY + 1)
    _, _, east, north = tile_bounds_mercator(14, CX + 1, CY - 1)
    assert live.load_area(QgsRectangle(west + 1, south + 1, east - 1, north - 1), MERCATOR)
    qtbot.waitUntil(lambda: not live.busy() and live.store().count("images") > 0, timeout=20000)


@pytest.fixture
def setup(qtbot, qgis_canvas, fake_env):
    client = Client(fake_env.token, graph_url=fake_env.graph_url, tiles_url=fake_env.tiles_url, max_retries=0)
    source = TileSource(client)
    project = QgsProject()
    qgis_canvas.setDestinationCrs(MERCATOR)
    qgis_canvas.setExtent(QgsRectangle(-2e6, 3e6, 2e6, 6e6))  # nothing loads by itself
    live = LiveLayers(qgis_canvas, lambda: source, project=project, debounce_ms=50)
    filtering = Filtering(live, CreatorDirectory(client), project=project)
    layer = live.enable("images")
    load_demo_area(qtbot, live, layer)
    yield live, filtering, layer, project, source
    filtering.shutdown()
    live.shutdown()
    project.removeAllMapLayers()  # OGR layers must not outlive QGIS (a crash at exit)


def ids_of(layer):
    return {f["id"] for f in layer.getFeatures()}


def test_date_range_and_panoramas_only_pass_exactly_the_right_images(setup, fake_env):
    live, filtering, layer, project, _ = setup
    images = in_demo_area(fake_env)
    panoramas = sorted((i for i in images if i.captured_at and i.is_pano), key=lambda i: i.captured_at)
    first, last = local_date(panoramas[0].captured_at), local_date(panoramas[len(panoramas) // 2].captured_at)
    filters = Filters(date_from=first, date_to=last, panoramas="only")
    filtering.apply(filters)
    expected = {i.id for i in images if i.captured_at and first <= local_date(i.captured_at) <= last and i.is_pano}
    assert expected and len(expected) < len(panoramas)
    assert any(not i.is_pano and first <= local_date(i.captured_at) <= last for i in images if i.captured_at)
    assert ids_of(layer) == expected
    assert layer.name().endswith("(filtered)")

    filtering.apply(Filters())  # reset: everything again, without a request
    requests = len(fake_env.requests)
    assert ids_of(layer) == {i.id for i in images}
    assert len(fake_env.requests) == requests


def test_the_to_date_includes_its_whole_day(setup, fake_env):
    _, filtering, layer, _, _ = setup
    image = next(i for i in in_demo_area(fake_env) if i.captured_at)
    day = local_date(image.captured_at)
    filtering.apply(Filters(date_from=day, date_to=day))
    assert image.id in ids_of(layer)
    assert all(local_date(i.captured_at) == day for i in in_demo_area(fake_env) if i.id in ids_of(layer))


def test_creator_by_username_and_an_unknown_username(qtbot, setup, fake_env):
    _, filtering, layer, _, _ = setup
    creator = fake_env.dataset.images[0].creator
    heard = []
    filtering.changed.connect(lambda text, note: heard.append((text, note)))
    filtering.request(Filters(), (creator.username, "nobody-is-called-this"))
    qtbot.waitUntil(lambda: bool(heard), timeout=10000)
    expected = {i.id for i in in_demo_area(fake_env) if i.creator.id == creator.id}
    assert ids_of(layer) == expected
    assert "nobody-is-called-this" in heard[-1][1]

    heard.clear()
    filtering.request(Filters(), ("nobody-is-called-this",))
    qtbot.waitUntil(lambda: bool(heard), timeout=10000)
    assert ids_of(layer) == {i.id for i in in_demo_area(fake_env)}  # nothing filtered away silently
    assert "nobody-is-called-this" in heard[-1][1]


def test_coverage_gets_the_filters_qgis_can_apply_and_says_what_it_cannot(qtbot, setup, fake_env):
    live, filtering, layer, project, source = setup
    server = LocalTileServer(source).start()
    try:
        coverage = coverage_layer("coverage", server)
        add_to_project(coverage, project)
        west, south, east, north = tile_bounds_mercator(14, CX, CY)
        extent = QgsRectangle(west, south, east, north)
        everything = drawn_pixels(render([coverage], extent))
        notes = []
        filtering.changed.connect(lambda text, note: notes.append(note))
        filtering.apply(Filters(panoramas="only", date_from=date(2019, 1, 1)))
        panoramas = drawn_pixels(render([coverage], extent))
        assert 0 < panoramas < everything
        assert coverage.name().endswith("(filtered)")
        assert "dates" in notes[-1]
        assert all("is_pano" in style.filterExpression() for style in coverage.renderer().styles()
                   if style.layerName() in ("image", "sequence"))
        shipped = [style.filterExpression() for style in COVERAGE["coverage"].renderer().styles()]
        assert [style.filterExpression() for style in filtered_renderer("coverage", Filters()).styles()] == shipped
    finally:
        server.stop()


def test_filters_are_saved_in_the_project_and_restored(qtbot, setup, fake_env, tmp_path):
    live, filtering, layer, project, _ = setup
    filters = Filters(date_from=date(2016, 1, 1), date_to=date(2020, 12, 31), panoramas="exclude",
                      angle_from=300, angle_to=60)
    filtering.apply(filters, ("some_user",))
    path = tmp_path / "filtered.qgz"
    assert project.write(str(path))

    filtering.apply(Filters(), save=False)
    project.clear()
    assert project.read(str(path))
    filtering.restore()
    assert filtering.filters == filters
    assert filtering.creator_names == ("some_user",)
    (restored,) = find_layers("images", project)
    assert restored.name().endswith("(filtered)")
    load_demo_area(qtbot, live, restored)
    expected = {i.id for i in in_demo_area(fake_env)
                if i.captured_at and date(2016, 1, 1) <= local_date(i.captured_at) <= date(2020, 12, 31)
                and not i.is_pano and (i.compass_angle >= 300 or i.compass_angle <= 60)}
    assert expected and ids_of(restored) == expected


def test_the_tab_shows_saved_filters_and_gives_them_back(qtbot):
    from mapillary_qgis.gui.filters_tab import FiltersTab

    tab = FiltersTab(known_classes=lambda: ["regulatory--stop--g1", "warning--curve-left--g1"])
    qtbot.addWidget(tab)
    saved = Filters(date_from=date(2016, 2, 29), date_to=date(2020, 12, 31), relative=(3, "months"),
                    panoramas="exclude", organization_ids=(1805883732926354,), sequence_ids=("abc",),
                    angle_from=350, angle_to=10, feature_classes=("regulatory--stop--g1", "object--bench"),
                    seen_from=date(2018, 1, 1), seen_to=date(2019, 1, 1))
    tab.show_filters(saved, ("alice", "42"))
    shown, names = tab.filters()
    assert set(shown.feature_classes) == set(saved.feature_classes)
    assert replace(shown, feature_classes=()) == replace(saved, feature_classes=()) and names == ("alice", "42")
    tab.show_filters(Filters(date_to=date(9999, 12, 31)))  # clamped by the date edit, not a crash
    assert tab.filters()[0].date_to <= date.today().replace(year=date.today().year + 1)


def test_the_plugin_restores_filters_when_a_project_opens(iface, fake_env, tmp_path, monkeypatch):
    import mapillary_qgis

    monkeypatch.setenv("MAPILLARY_ACCESS_TOKEN", fake_env.token)
    project = QgsProject.instance()
    plugin = mapillary_qgis.classFactory(iface)
    plugin.initGui()
    try:
        saved = Filters(panoramas="only", date_from=date(2017, 1, 1))
        plugin.filtering.apply(saved)
        path = tmp_path / "with-filters.qgz"
        assert project.write(str(path))
        project.clear()
        assert plugin.filtering.filters == Filters()
        assert project.read(str(path))
        assert plugin.filtering.filters == saved
        assert plugin.filters_tab.filters()[0] == saved
        assert "panoramas only" in plugin.filters_tab.summary_label.text()
    finally:
        plugin.unload()
        project.clear()


def test_a_whole_group_ticked_means_its_prefix(qtbot):
    from qgis.PyQt.QtCore import Qt

    from mapillary_qgis.gui.filters_tab import FiltersTab

    tab = FiltersTab(known_classes=lambda: [])  # nothing loaded yet: the common classes are offered
    qtbot.addWidget(tab)
    groups = {tab.classes.topLevelItem(i).text(0): tab.classes.topLevelItem(i)
              for i in range(tab.classes.topLevelItemCount())}
    assert "regulatory--" in groups and groups["regulatory--"].childCount() > 3
    groups["regulatory--"].setCheckState(0, Qt.CheckState.Checked)
    warning = groups["warning--"].child(0)
    warning.setCheckState(0, Qt.CheckState.Checked)
    classes = tab.filters()[0].feature_classes
    assert set(classes) == {"regulatory--", warning.text(0)}
    tab.show_filters(tab.filters()[0])  # and back: the group stays ticked
    assert tab.filters()[0].feature_classes == classes
