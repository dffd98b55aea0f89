"""The plugin under PyQt6 (issue 17): tests/qt6/check_pyqt6.py, run with .venv-qt6's Python.

No Qt6 QGIS is packaged by Debian yet, so the check uses a stand-in for QGIS 4's
Python layer (tests/qt6/stand_in). `make test` makes .venv-qt6 first.
"""

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.qgis_profile import REPO

PYTHON = Path(os.environ.get("MAPILLARY_QGIS_QT6_PYTHON", REPO / ".venv-qt6" / "bin" / "python"))
CHECKS = {
    "dock: no token at first", "dock: save, then test reports the network", "dock: forget",
    "dock: a malformed token is a message", "dock: tabs",
    "filters: a saved filter comes back from the screen", "filters: apply and reset",
    "layers: exact boxes switch layers on and off", "layers: a status from the layers", "layers: clear cache",
    "panel: busy bar", "panel: the feature strip has a place for each picture", "panel: the picture with its outline",
    "panel: the details", "panel: the controller was asked for the strip's pictures",
    "panel: next, a strip click and the arrow key", "panel: copy id", "panel: an error and its hint",
    "panel: nothing here", "panorama: the view looks where yaw says",
    "panorama: a drag turns it (mouse positions under Qt 6)",
    "panorama: arrow keys turn the view, not the sequence; minus zooms out",
    "panorama: Play asks the controller and turns into Stop",
}


@pytest.fixture(scope="module")
def result():
    if not PYTHON.exists():
        pytest.skip(f"no PyQt6 Python at {PYTHON}: `make test` makes .venv-qt6 (requirements-qt6.txt)")
    env = {key: value for key, value in os.environ.items() if not key.startswith(("QGIS", "PYTHONPATH"))}
    env.update(QT_QPA_PLATFORM="offscreen", HOME=os.environ.get("HOME", "/tmp"))
    done = subprocess.run([str(PYTHON), str(REPO / "tests" / "qt6" / "check_pyqt6.py")], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120)
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    assert done.returncode == 0 and lines, (done.stdout + done.stderr)[-4000:]
    return json.loads(lines[-1][len("RESULT "):])


def test_it_is_pyqt6_and_never_pyqt5(result):
    assert result["pyqt"].startswith("6.") and result["qt"].startswith("6.")
    assert result["pyqt5_loaded"] is False


def test_every_module_imports_under_pyqt6(result):
    expected = {"mapillary_qgis"} | {
        "mapillary_qgis." + ".".join(path.relative_to(REPO / "mapillary_qgis").with_suffix("").parts)
        .removesuffix(".__init__")
        for path in (REPO / "mapillary_qgis").rglob("*.py")}
    expected.discard("mapillary_qgis.__init__")
    assert result["import_failures"] == {}
    assert set(result["modules"]) == expected


def test_the_dock_tabs_and_image_panel_work_under_pyqt6(result):
    assert result["failed"] == {}, "\n".join(result["failed"].values())
    assert set(result["checks"]) == CHECKS
    failed = {name: check["seen"] for name, check in result["checks"].items() if not check["passed"]}
    assert failed == {}
