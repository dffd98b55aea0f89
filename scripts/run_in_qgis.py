"""Runs inside QGIS for `make run` (qgis --code): shows the plugin, takes screenshots, saves the project.

Each step waits on the event loop (QTimer), never blocks it. The verdict goes
to build/run/result.json; with MAPILLARY_RUN_AUTOQUIT=1 QGIS then quits.
"""

import json
import os
from pathlib import Path

import qgis.utils
from qgis.core import QgsApplication, QgsCoordinateReferenceSystem, QgsProject, QgsRectangle
from qgis.PyQt.QtCore import QTimer

RUN_DIR = Path(os.environ["MAPILLARY_RUN_DIR"])
DEMO_TOKEN = os.environ.get("MAPILLARY_RUN_DEMO_TOKEN")
AUTOQUIT = os.environ.get("MAPILLARY_RUN_AUTOQUIT") == "1"
# Central Lisbon in Web Mercator, where the fake's demo data lies.
DEMO_EXTENT = QgsRectangle(-1020000, 4676000, -1014000, 4680000)

iface = qgis.utils.iface
result = {"ok": False, "steps": []}
_keep = []  # timers must outlive this module's top level


def later(ms, function):
    timer = QTimer()
    timer.setSingleShot(True)
    timer.timeout.connect(function)
    timer.start(ms)
    _keep.append(timer)


def finish(ok, reason=""):
    result["ok"] = ok
    if reason:
        result["reason"] = reason
    (RUN_DIR / "result.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    if AUTOQUIT:
        later(200, lambda: QgsApplication.exit(0 if ok else 1))


def screenshot(name):
    path = RUN_DIR / name
    iface.mainWindow().grab().save(str(path))
    return str(path)


def plugin():
    return qgis.utils.plugins.get("mapillary_qgis")


def step_show():
    p = plugin()
    if p is None:
        return finish(False, "the plugin did not load")
    project = QgsProject.instance()
    project.setCrs(QgsCoordinateReferenceSystem("EPSG:3857"))
    iface.mapCanvas().setExtent(DEMO_EXTENT)
    iface.mapCanvas().refresh()
    if not p.action.isChecked():
        p.action.trigger()
    later(1500, step_first_state)


def dock_state():
    return plugin().dock.status_label.property("state")


def step_first_state():
    p = plugin()
    toolbar_visible = p.toolbar.isVisible()
    result["steps"].append({"step": "start", "dock_state": dock_state(), "toolbar_visible": toolbar_visible,
                            "screenshot": screenshot("screenshot-start.png")})
    if DEMO_TOKEN:
        manager = QgsApplication.authManager()
        if not manager.masterPasswordHashInDatabase():
            # The demo profile is throwaway: choose its master password for the user.
            manager.setMasterPassword("mapillary-demo", True)
        p.dock.token_edit.setText(DEMO_TOKEN)
        p.dock.save_button.click()
    elif p.token_store.has_token:
        p.dock.test_button.click()
    wait_for_test(40)


def wait_for_test(tries):
    if plugin().dock._task is not None and tries > 0:
        return later(250, lambda: wait_for_test(tries - 1))
    later(500, step_final)


def step_final():
    project_path = RUN_DIR / "project.qgz"
    QgsProject.instance().write(str(project_path))
    state = dock_state()
    result["steps"].append({"step": "token", "dock_state": state, "detail": plugin().dock.detail_label.text(),
                            "screenshot": screenshot("screenshot.png"), "project": str(project_path)})
    expected = "valid" if (DEMO_TOKEN or plugin().token_store.has_token) else "none"
    finish(state == expected and plugin().toolbar.isVisible(), f"dock state {state}, expected {expected}")


later(1000, step_show)
