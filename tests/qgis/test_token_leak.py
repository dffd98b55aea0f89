"""Token leak scan: a whole session in a real QGIS leaves the token nowhere but where it belongs.

The session: the token saved in the dock (the auth database), every layer
turned on and drawn, an image and a map feature identified with their
pictures, every Processing algorithm run and written to the Processing
history as the Processing dialog does, a few failures on the way (a tile
that is garbage, a rejected token), the project saved. Then every file of
the profile, the settings, the auth database folder and the test's folder
(the project unzipped, the outputs, the downloaded pictures), the Processing
history, the QGIS message log, Python's log at DEBUG, stderr, and the message
of every error seen are searched for the token: raw, URL-quoted, base64, and
its secret part alone. `tests/qgis/test_plugin.py` does a smaller scan of the
profile after reopening a project; this is the full session.
"""

import logging
import shutil
from pathlib import Path

import pytest
from qgis.core import (
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsPointXY,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProject,
    QgsSettings,
)

import mapillary_qgis
from mapillary_qgis.errors import MapillaryError
from mapillary_qgis.processing.common import tile_cache_dir
from mapillary_qgis.qgis_glue.coverage import COVERAGE, find_layers
from mapillary_qgis.qgis_glue.exact_layers import EXACT
from tests.fake_mapillary.dataset import DEMO_CENTER
from tests.fake_mapillary.tilemath import tile_for

from .leaks import assert_no_token_under, forms_in
from .rendering import drawn_pixels, render
from .test_coverage import demo_tile_extent
from .test_exact_layers import view_middle_of
from .test_processing import RecordingFeedback

WGS84 = QgsCoordinateReferenceSystem("EPSG:4326")
CX, CY = tile_for(*DEMO_CENTER, 14)


@pytest.fixture
def message_log():
    lines = []

    def keep(message, tag, level):
        lines.append(f"{tag}: {message}")

    QgsApplication.messageLog().messageReceived.connect(keep)
    yield lines
    QgsApplication.messageLog().messageReceived.disconnect(keep)


def add_to_history(algorithm_id, parameters):
    """The line the Processing dialog writes to the history in the profile after a run."""
    algorithm = QgsApplication.processingRegistry().algorithmById(algorithm_id)
    command = algorithm.asPythonCommand(parameters, QgsProcessingContext())
    try:
        from processing.core.ProcessingLog import ProcessingLog  # QGIS 3.22: processing/processing.log
    except ImportError:  # later QGIS: the history database of the profile (not run here: Debian 12 has 3.22)
        from qgis.gui import QgsGui

        QgsGui.historyProviderRegistry().addEntry(
            "processing", {"python_command": command, "algorithm_id": algorithm_id, "parameters": parameters})
        return
    ProcessingLog.addToLog(command)


def run_algorithm(name, parameters, texts):
    """`processing.run`, then the history line; the feedback kept in `texts`."""
    import processing

    feedback = RecordingFeedback()
    try:
        result = processing.run(f"mapillary:{name}", parameters, feedback=feedback)
    finally:
        texts.append(feedback.text)
    add_to_history(f"mapillary:{name}", parameters)
    return result


def in_the_middle(items):
    from mapillary_qgis.core.tilemath import tile_bounds_lonlat

    west, south, east, north = tile_bounds_lonlat(14, CX, CY)
    return next(i for i in items if i.lonlat is None or west < i.lonlat[0] < east and south < i.lonlat[1] < north)


def session(qtbot, iface, fake, tmp_path, texts):
    """Everything a user does with the plugin, against the fake; `texts` collects what the user was told."""
    project = QgsProject.instance()
    plugin = mapillary_qgis.classFactory(iface)
    plugin.initGui()
    try:
        plugin.live_layers.status.connect(lambda level, text: texts.append(text))
        plugin.notices.notice.connect(lambda level, text: texts.append(text))
        plugin.image_controller.failed.connect(lambda kind, text: texts.append(text))

        plugin.dock.token_edit.setText(fake.token)  # the Account tab: Save, then the dock tests it
        plugin.dock.save()
        qtbot.waitUntil(lambda: plugin.dock._task is None, timeout=15000)
        assert plugin.dock.status_label.property("state") == "valid"
        texts += [plugin.dock.status_label.text(), plugin.dock.detail_label.text()]

        fake.inject("garbage", host="tiles", count=1, path_contains=f"/{CX - 1}/{CY}?")  # one unreadable tile
        view_middle_of(iface.mapCanvas(), CX, CY, size=2500)
        for box in plugin.layers_tab.boxes.values():
            box.setChecked(True)
        exact = [layer for key in EXACT for layer in find_layers(key, project)]
        assert len(exact) == len(EXACT)
        qtbot.waitUntil(lambda: not plugin.live_layers._tasks and all(layer.featureCount() for layer in exact),
                        timeout=30000)
        coverage = [layer for key in COVERAGE for layer in find_layers(key, project)]
        assert len(coverage) == len(COVERAGE)
        assert drawn_pixels(render(coverage + exact, demo_tile_extent())) > 200

        image = next(i for i in fake.dataset.images if tile_for(i.lon, i.lat, 14) == (CX, CY))
        details = plugin.identify(QgsPointXY(image.lon, image.lat), WGS84)
        assert details["id"] == str(image.id)
        for size in (256, 1024):
            assert plugin.image_service.thumbnail(image.id, size)
        feature = in_the_middle(fake.dataset.map_features)
        plugin.identify_tool.clicked.emit(feature.lonlat[0], feature.lonlat[1], 5.0)  # a click on the map
        qtbot.waitUntil(lambda: plugin.image_panel.feature_box.isVisibleTo(plugin.image_panel)
                        and plugin.image_panel.details is not None, timeout=15000)
        assert plugin.image_panel.feature_label.property("feature_id") == str(feature.id)
        texts.append(plugin.image_panel.feature_label.text())

        other = next(i for i in fake.dataset.images if tile_for(i.lon, i.lat, 14) == (CX, CY) and i.id != image.id)
        fake.inject("invalid_token", host="graph", count=1, path_contains=f"/{other.id}?")  # an error to read
        with pytest.raises(MapillaryError) as rejected:
            plugin.identify(QgsPointXY(other.lon, other.lat), WGS84)
        texts += [str(rejected.value), repr(rejected.value), rejected.value.api_message or ""]

        west, south, east, north = (image.lon - 0.001, image.lat - 0.001, image.lon + 0.001, image.lat + 0.001)
        extent = f"{west!r},{east!r},{south!r},{north!r} [EPSG:4326]"
        images = run_algorithm("images", {"EXTENT": extent, "OUTPUT": str(tmp_path / "images.gpkg")}, texts)
        run_algorithm("sequences", {"EXTENT": extent, "OUTPUT": str(tmp_path / "sequences.gpkg")}, texts)
        run_algorithm("mapfeatures", {"EXTENT": extent, "OUTPUT": str(tmp_path / "features.gpkg")}, texts)
        run_algorithm("imagedetails", {"INPUT": images["OUTPUT"], "OUTPUT": str(tmp_path / "details.gpkg")}, texts)
        downloaded = run_algorithm("downloadimages", {"INPUT": images["OUTPUT"], "SIZE": 0,
                                                      "FOLDER": str(tmp_path / "pictures")}, texts)
        assert downloaded["DOWNLOADED"] > 0
        # The tiles must come from the fake, which now refuses the token; the layers' loads write the cache too.
        qtbot.waitUntil(lambda: QgsApplication.taskManager().countActiveTasks() == 0, timeout=15000)
        shutil.rmtree(tile_cache_dir())
        fake.inject("invalid_token", host="tiles", count=None)
        with pytest.raises(QgsProcessingException) as refused:
            run_algorithm("images", {"EXTENT": extent, "OUTPUT": str(tmp_path / "refused.gpkg")}, texts)
        fake.clear_faults()
        texts += [str(refused.value), repr(refused.value)]

        texts += [item.text() + " " + item.title() for item in iface.messageBar().items()]
        texts.append(plugin.layers_tab.status_label.text() if hasattr(plugin.layers_tab, "status_label") else "")
        assert project.write(str(tmp_path / "session.qgz"))
    finally:
        plugin.unload()
        project.clear()


def test_a_whole_session_leaves_no_token(qtbot, iface, fake_env, qgis_processing, tmp_path, message_log,
                                         caplog, capfd):
    caplog.set_level(logging.DEBUG)  # urllib3 logs every URL it requests at DEBUG
    token = fake_env.token
    texts = []
    shutil.rmtree(tile_cache_dir(), ignore_errors=True)  # tiles another test cached must not stand in for the fake's
    session(qtbot, iface, fake_env, tmp_path, texts)

    profile = Path(QgsApplication.qgisSettingsDirPath())
    # 3.22: processing/processing.log (text); later: a history database, the command quoted as XML
    history = [p for p in profile.rglob("*") if p.is_file() and b"processing.run(" in p.read_bytes()
               and b"mapillary:images" in p.read_bytes()]
    assert history, "the Processing history is in the profile"
    assert all(f"mapillary:{name}".encode() in b"".join(p.read_bytes() for p in history)
               for name in ("images", "sequences", "mapfeatures", "imagedetails", "downloadimages"))
    folders = {
        "profile, with the Processing history and the caches": profile,
        "settings": Path(QgsSettings().fileName()).parent,
        "auth database": Path(QgsApplication.qgisAuthDatabaseFilePath()).parent,
        "project, outputs and pictures": tmp_path,
    }
    assert any(p.name == "session.qgz" for p in tmp_path.iterdir())
    assert (folders["auth database"] / "qgis-auth.db").is_file()
    scanned = sum(assert_no_token_under(folder, token) for folder in folders.values())

    logs = {
        "QGIS message log": "\n".join(message_log),
        "Python logging": "\n".join(f"{r.name}: {r.getMessage()}" for r in caplog.records),
        "stderr and stdout": "".join(capfd.readouterr()),
        "messages and errors": "\n".join(texts),
    }
    assert any("GET " in r.getMessage() for r in caplog.records)  # the requests were logged, tokens redacted
    assert "rejected" in logs["messages and errors"] or "token" in logs["messages and errors"]
    assert {where: forms_in(text, token) for where, text in logs.items()} == dict.fromkeys(logs, [])
    print(f"scanned {scanned} files and {sum(len(t) for t in logs.values())} characters of logs and messages")
