"""Offline start: QGIS opens a project full of Mapillary layers while Mapillary cannot be reached.

The project (the four coverage layers and the four exact layers) is made and
saved here against the fake. Then the fake stops, so its ports are dead, and
a second, real QGIS process (`tests/qgis/child_offline.py`, a fresh profile,
no `QGIS_*` variable of this run) starts with the plugin and opens it. The
subprocess timeout bounds the wall time: it must not hang. The user must be
told once that Mapillary could not be reached, not once per tile or layer,
and no Python traceback may appear.
"""

import json
import subprocess
import sys

from qgis.core import QgsProject

import mapillary_qgis
from mapillary_qgis.qgis_glue.coverage import COVERAGE, find_layers
from mapillary_qgis.qgis_glue.exact_layers import EXACT
from tests.fake_mapillary.dataset import DEMO_CENTER
from tests.fake_mapillary.tilemath import tile_for
from tests.qgis_profile import REPO

from .test_exact_layers import view_middle_of
from .test_qgis_process import clean_env

CX, CY = tile_for(*DEMO_CENTER, 14)
TIMEOUT_S = 150


def save_project_with_every_layer(qtbot, iface, path):
    project = QgsProject.instance()
    plugin = mapillary_qgis.classFactory(iface)
    plugin.initGui()
    try:
        view_middle_of(iface.mapCanvas(), CX, CY)
        for box in plugin.layers_tab.boxes.values():
            box.setChecked(True)
        exact = [layer for key in EXACT for layer in find_layers(key, project)]
        said = []
        plugin.live_layers.status.connect(lambda level, text: said.append((level, text)))
        try:
            qtbot.waitUntil(lambda: not plugin.live_layers._tasks and all(layer.featureCount() for layer in exact),
                            timeout=30000)
        except qtbot.TimeoutError:  # say what it was waiting for
            raise AssertionError({"tasks": list(plugin.live_layers._tasks), "said": said,
                                  "counts": {layer.name(): layer.featureCount() for layer in exact},
                                  "stored": {key: plugin.live_layers.store().count(key) for key in EXACT},
                                  "loaded": {k: len(v) for k, v in plugin.live_layers._loaded.items()}}) from None
        assert len(exact) == len(EXACT) and all(find_layers(key, project) for key in COVERAGE)
        assert project.write(str(path))
        return sorted(layer.name() for layer in project.mapLayers().values())
    finally:
        plugin.unload()
        project.clear()


def test_offline_start_says_so_once_and_does_not_hang(qtbot, iface, fake_env, monkeypatch, tmp_path):
    monkeypatch.setenv("MAPILLARY_ACCESS_TOKEN", fake_env.token)
    path = tmp_path / "mapillary.qgz"
    names = save_project_with_every_layer(qtbot, iface, path)
    dead = {"MAPILLARY_GRAPH_URL": fake_env.graph_url, "MAPILLARY_TILES_URL": fake_env.tiles_url}
    fake_env.stop()  # nothing listens on the Graph and tiles ports any more

    env = clean_env(tmp_path / "home", MAPILLARY_ACCESS_TOKEN=fake_env.token, **dead)
    done = subprocess.run([sys.executable, "-m", "tests.qgis.child_offline", str(tmp_path / "profile"), str(path)],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=TIMEOUT_S)
    output = done.stdout + done.stderr
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    assert done.returncode == 0 and lines, output[-3000:]
    assert "Traceback" not in output, output[-3000:]
    result = json.loads(lines[-1][len("RESULT "):])
    print(json.dumps(result, indent=1))
    assert result["layers"] == names

    said = [text for level, text in result["told"] if level in ("warning", "error")]
    said += [text for _, text in result["message_bar"]]
    assert len(said) == 1, said
    assert "Could not reach Mapillary" in said[0] and "Check your internet connection" in said[0]
    assert result["status"] == said[0]  # still what the dock shows once everything has failed
    assert result["features"] == 0
