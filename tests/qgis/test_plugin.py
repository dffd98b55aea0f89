"""The plugin's life cycle: load, unload, load again, nothing left behind."""

import logging
from pathlib import Path

from qgis.core import QgsApplication, QgsCoordinateReferenceSystem, QgsPointXY, QgsProject
from qgis.gui import QgsDockWidget
from qgis.PyQt.QtCore import QCoreApplication, QEvent
from qgis.PyQt.QtWidgets import QAction, QToolBar

import mapillary_qgis
from mapillary_qgis.client import Client
from mapillary_qgis.plugin import ACTION_NAME, IDENTIFY_ACTION_NAME, PLACE_ACTION_NAME, TOOLBAR_NAME
from mapillary_qgis.qgis_glue import log

from .leaks import assert_no_token_under


def mapillary_children(window):
    found = []
    for kind in (QToolBar, QgsDockWidget, QAction):
        found += [w.objectName() for w in window.findChildren(kind) if w.objectName().startswith("Mapillary")]
    return sorted(found)


def package_handlers():
    return [h for h in logging.getLogger("mapillary_qgis").handlers if isinstance(h, log.QgsMessageLogHandler)]


def test_class_factory_gives_the_plugin(iface):
    plugin = mapillary_qgis.classFactory(iface)
    assert type(plugin).__name__ == "MapillaryPlugin"


def receivers():
    """How many slots listen to the project and application signals the plugin uses."""
    project, app = QgsProject.instance(), QgsApplication.instance()
    return [project.receivers(project.readProject), project.receivers(project.layersAdded),
            project.receivers(project.cleared), app.receivers(app.aboutToQuit)]


def port_open(url):
    import socket
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex((parts.hostname, parts.port)) == 0


def test_load_unload_load_leaves_nothing_behind(iface):
    window = iface.mainWindow()
    before = receivers()
    for round_ in range(2):
        plugin = mapillary_qgis.classFactory(iface)
        plugin.initGui()
        expected = sorted(["MapillaryDock", TOOLBAR_NAME, ACTION_NAME, IDENTIFY_ACTION_NAME, PLACE_ACTION_NAME])
        assert mapillary_children(window) == expected
        assert iface.web_menu_titles() == ["&Mapillary"]
        assert len(package_handlers()) == 1
        assert Client._proxy_resolver is not None and Client._retry_listener is not None
        server = plugin.tile_server.base_url
        assert port_open(server)
        assert QgsApplication.processingRegistry().providerById("mapillary") is not None
        iface.mapCanvas().setMapTool(plugin.identify_tool)

        plugin.unload()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # run the deleteLater()s
        assert mapillary_children(window) == [], f"left behind after unload #{round_ + 1}"
        assert iface.web_menu_titles() == []
        assert package_handlers() == []
        assert Client._proxy_resolver is None and Client._retry_listener is None and Client.get_token() is None
        assert not port_open(server), "the tile server still listens"
        assert QgsApplication.processingRegistry().providerById("mapillary") is None
        assert iface.mapCanvas().mapTool() is None
        assert receivers() == before, "a signal connection was left behind"
        assert iface.messageBar().items() == []


def test_toolbar_button_shows_and_hides_the_dock(iface):
    plugin = mapillary_qgis.classFactory(iface)
    plugin.initGui()
    try:
        iface.mainWindow().show()
        assert not plugin.dock.isVisible()
        plugin.action.trigger()
        assert plugin.dock.isVisible() and plugin.action.isChecked()
        plugin.action.trigger()
        assert not plugin.dock.isVisible()
    finally:
        plugin.unload()


def test_project_with_coverage_reopens_in_a_new_session_and_fails_safely_without_plugin(
    iface, fake_env, tmp_path, monkeypatch
):

    from mapillary_qgis.qgis_glue.coverage import find_layers

    from .rendering import drawn_pixels, render
    from .test_coverage import demo_tile_extent

    monkeypatch.setenv("MAPILLARY_ACCESS_TOKEN", fake_env.token)
    project = QgsProject.instance()
    path = tmp_path / "mapillary.qgz"

    plugin = mapillary_qgis.classFactory(iface)
    plugin.initGui()
    try:
        plugin.layers_tab.boxes["coverage"].setChecked(True)
        (layer,) = find_layers("coverage", project)
        first_base = plugin.tile_server.base_url
        assert first_base in layer.source()
        assert project.write(str(path))
    finally:
        plugin.unload()
    project.clear()

    # Without the plugin: the layer loads, draws nothing, and nothing breaks.
    assert project.read(str(path))
    (orphan,) = find_layers("coverage", project)
    assert orphan.isValid() and drawn_pixels(render([orphan], demo_tile_extent())) == 0
    project.clear()

    # A new QGIS session with the plugin: the layer is pointed at the new tile server.
    plugin = mapillary_qgis.classFactory(iface)
    plugin.initGui()
    try:
        assert project.read(str(path))
        (layer,) = find_layers("coverage", project)
        assert plugin.tile_server.base_url in layer.source() and first_base not in layer.source()
        assert drawn_pixels(render([layer], demo_tile_extent())) > 200
        assert plugin.layers_tab.boxes["coverage"].isChecked()
        image = fake_env.dataset.images[0]
        assert plugin.identify(QgsPointXY(image.lon, image.lat), QgsCoordinateReferenceSystem("EPSG:4326"))
        plugin.image_service.thumbnail(str(image.id), 256)
        assert project.write(str(path))
    finally:
        plugin.unload()
        project.clear()
    assert_no_token_under(Path(QgsApplication.qgisSettingsDirPath()), fake_env.token)  # profile, settings, caches
    assert_no_token_under(tmp_path, fake_env.token)  # the saved project


def test_quitting_qgis_then_unloading_raises_nothing(iface):
    """QGIS quits: the plugin stops its workers (aboutToQuit), then QGIS unloads it; an exception here
    would be a Python error dialog that keeps QGIS from closing."""
    plugin = mapillary_qgis.classFactory(iface)
    plugin.initGui()
    plugin.live_layers.store()  # the session store made, as with an exact layer on
    plugin._before_quit()
    plugin.unload()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
