"""The plugin under PyQt6: every module imports, and the dock, its tabs and the image panel work.

    .venv-qt6/bin/python tests/qt6/check_pyqt6.py     (tests/unit/test_pyqt6.py runs it)

Runs with PyQt6 and the stand-in `qgis` package beside this file (QGIS 4's
`qgis.PyQt` shim, and just enough `qgis.core` / `qgis.gui`; see its
docstring); PyQt5 and Debian's real QGIS cannot be imported. Prints one line
`RESULT {json}`: the modules that imported, those that failed and why, and
each widget check with what it saw.
"""

from __future__ import annotations

import importlib
import importlib.abc
import json
import os
import pkgutil
import sys
import tempfile
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
BLOCKED = ("PyQt5", "sip")


class _Block(importlib.abc.MetaPathFinder):
    """PyQt5 (and Qt5's sip) must not load: a Qt5 import anywhere in the plugin would show here."""

    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ImportError(f"{name} is blocked: the plugin must reach Qt only through qgis.PyQt")
        return None


sys.meta_path.insert(0, _Block())
sys.path[:0] = [str(HERE / "stand_in"), str(REPO)]
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.PyQt.QtCore import PYQT_VERSION_STR, QT_VERSION_STR, QCoreApplication, QSettings  # noqa: E402
from qgis.PyQt.QtGui import QColor, QImage  # noqa: E402
from qgis.PyQt.QtWidgets import QApplication, QLabel  # noqa: E402

RESULT: dict = {"qt": QT_VERSION_STR, "pyqt": PYQT_VERSION_STR, "checks": {}, "failed": {}}


def check(name: str, passed: bool, seen=None) -> None:
    RESULT["checks"][name] = {"passed": bool(passed), "seen": seen}


def spin(app: QApplication, turns: int = 5) -> None:
    for _ in range(turns):
        app.processEvents()


def import_every_module() -> None:
    import mapillary_qgis

    names = ["mapillary_qgis"] + [info.name for info in
                                  pkgutil.walk_packages(mapillary_qgis.__path__, "mapillary_qgis.")]
    imported, failures = [], {}
    for name in names:
        try:
            importlib.import_module(name)
            imported.append(name)
        except Exception as exc:  # the report says which and why
            failures[name] = f"{type(exc).__name__}: {exc}"
    RESULT["modules"] = imported
    RESULT["import_failures"] = failures


def png(colour: str, width: int = 320, height: int = 240, right: str | None = None) -> bytes:
    """A picture of one colour (`right`: the right half in another)."""
    from qgis.PyQt.QtCore import QBuffer, QByteArray, QIODevice
    from qgis.PyQt.QtGui import QPainter

    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor(colour))
    if right is not None:
        painter = QPainter(image)
        painter.fillRect(width // 2, 0, width - width // 2, height, QColor(right))
        painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data)


# -- the dock ---------------------------------------------------------------------------

def check_dock(app: QApplication) -> None:
    from qgis.PyQt.QtCore import QObject, pyqtSignal

    from mapillary_qgis.client import Client
    from mapillary_qgis.core.token import TokenState, clean_token
    from mapillary_qgis.gui.dock import MapillaryDock

    class Store(QObject):  # TokenStore's interface, kept in memory (the real one needs QGIS's auth database)
        changed = pyqtSignal(object)

        def __init__(self):
            super().__init__()
            self.state, self.token, self.config_id, self.from_environment = TokenState.NONE, None, None, False
            self.reported = []

        @property
        def has_token(self) -> bool:
            return self.token is not None

        def save(self, text: str) -> TokenState:
            self.token, self.config_id, self.state = clean_token(text), "abc1234", TokenState.SAVED
            return self.state

        def forget(self) -> TokenState:
            self.token, self.config_id, self.state = None, None, TokenState.NONE
            return self.state

        def report(self, state: TokenState) -> None:
            self.reported.append(state)
            self.state = state

    store = Store()
    closed_port = "http://127.0.0.1:9"  # nothing listens: the token test must say "could not be reached"
    dock = MapillaryDock(store, make_client=lambda: Client(store.token, graph_url=closed_port, max_retries=0,
                                                           timeout=(1, 1)))
    dock.show()
    spin(app)
    check("dock: no token at first", dock.status_label.property("state") == "none" and
          not dock.test_button.isEnabled(), dock.status_label.text())
    dock.token_edit.setText("MLY|4142433049200173|72206abe5035850d6743b23a49c41333")
    dock.save_button.click()  # saves, then tests the token at once (the stand-in task manager runs it now)
    spin(app)
    check("dock: save, then test reports the network", store.token is not None and
          store.reported == [TokenState.NETWORK_ERROR] and dock.status_label.property("state") == "network_error"
          and dock.token_edit.text() == "", [dock.status_label.text(), dock.detail_label.text()])
    dock.forget_button.click()
    spin(app)
    check("dock: forget", store.token is None and dock.status_label.property("state") == "none",
          dock.status_label.text())
    dock.token_edit.setText("not a token")
    dock.save_button.click()
    check("dock: a malformed token is a message", store.token is None and dock.detail_label.text() != "",
          dock.detail_label.text())
    tab = QLabel("a later tab")
    dock.add_tab(tab, "Later")
    check("dock: tabs", dock.tabs.count() == 2 and dock.tabs.widget(1) is tab, dock.tabs.count())
    dock.close()


# -- the filters tab --------------------------------------------------------------------

def check_filters(app: QApplication) -> None:
    from datetime import date

    from mapillary_qgis.core.filters import Filters
    from mapillary_qgis.gui.filters_tab import FiltersTab

    tab = FiltersTab(known_classes=lambda: ["regulatory--stop--g1", "object--street-light"])
    tab.show()
    applied = []
    tab.applied.connect(lambda filters, names: applied.append((filters, names)))
    wanted = Filters(date_from=date(2021, 3, 1), date_to=date(2024, 6, 30), relative=(3, "months"),
                     panoramas="only", organization_ids=(7, 8), sequence_ids=("abc", "def"),
                     angle_from=350.0, angle_to=10.0, feature_classes=("regulatory--stop--g1",),
                     seen_from=date(2022, 1, 1), seen_to=date(2023, 1, 1))
    tab.show_filters(wanted)
    spin(app)
    shown, names = tab.filters()
    check("filters: a saved filter comes back from the screen", shown == wanted and names == (), repr(shown))
    tab.apply()
    tab.reset()
    check("filters: apply and reset", len(applied) == 2 and applied[0][0] == wanted and applied[1][0] == Filters(),
          [repr(a[0]) for a in applied])
    tab.close()


# -- the layers tab ---------------------------------------------------------------------

def check_layers(app: QApplication) -> None:
    from qgis.PyQt.QtCore import QObject, pyqtSignal

    from mapillary_qgis.core.token import TokenState
    from mapillary_qgis.gui.layers_tab import LayersTab
    from mapillary_qgis.qgis_glue.exact_layers import EXACT

    class Live(QObject):  # LiveLayers' interface as the tab uses it
        status = pyqtSignal(str, str)

        def __init__(self):
            super().__init__()
            self.calls = []

        def enable(self, key):
            self.calls.append(("enable", key))

        def disable(self, key):
            self.calls.append(("disable", key))

        def clear_store(self):
            self.calls.append(("clear_store",))

    class Project(QObject):
        layersAdded = pyqtSignal(list)  # noqa: N815 (QGIS API)
        layersRemoved = pyqtSignal(list)  # noqa: N815 (QGIS API)

        def mapLayers(self):  # noqa: N802 (QGIS API)
            return {}

    class Store(QObject):
        changed = pyqtSignal(object)
        state, has_token = TokenState.VALID, True

    class Cache:
        cleared = 0

        def clear(self):
            Cache.cleared += 1

    live, project = Live(), Project()
    tab = LayersTab(live, server=None, cache=Cache(), store=Store(), project=project)
    tab.show()
    spin(app)
    key = next(iter(EXACT))
    tab.boxes[key].setChecked(True)
    tab.boxes[key].setChecked(False)
    live.status.emit("warning", "Could not reach Mapillary.")
    spin(app)
    check("layers: exact boxes switch layers on and off", live.calls == [("enable", key), ("disable", key)],
          list(live.calls))
    check("layers: a status from the layers", "Could not reach" in tab.status_label.text(), tab.status_label.text())
    tab.clear_cache_button.click()
    check("layers: clear cache", Cache.cleared == 1 and live.calls[-1] == ("clear_store",), list(live.calls))
    tab.shutdown()
    tab.close()


# -- the image panel --------------------------------------------------------------------

def check_image_panel(app: QApplication) -> None:
    from qgis.PyQt.QtCore import QObject, Qt, pyqtSignal
    from qgis.PyQt.QtTest import QTest

    from mapillary_qgis.core.graph import Detection
    from mapillary_qgis.gui.image_panel import ImagePanel

    class Controller(QObject):  # ImageController's signals, and what the panel asks of it
        busy = pyqtSignal(bool)
        shown = pyqtSignal(dict)
        feature_shown = pyqtSignal(dict, list)
        nothing = pyqtSignal()
        thumbnail = pyqtSignal(str, QImage)  # as the real one: the picture, decoded
        failed = pyqtSignal(str, str)
        place_shown = pyqtSignal(float, float, list)
        others_shown = pyqtSignal(str, list)
        playing = pyqtSignal(bool)

        def __init__(self):
            super().__init__()
            self.calls = []

        def step(self, delta):
            self.calls.append(("step", delta))

        def open_image(self, image_id):
            self.calls.append(("open", image_id))

        def thumbnails(self, ids):
            self.calls.append(("thumbnails", list(ids)))

        def toggle_play(self):
            self.calls.append(("play",))

        def stop_play(self):
            self.calls.append(("stop",))

    controller = Controller()
    panel = ImagePanel(controller, on_set_token=lambda: None, on_zoom=lambda details: None)
    panel.resize(420, 700)
    panel.show()
    spin(app)
    image_ids = ["178993950747668", "178993950747669", "178993950747670", "178993950747671"]
    details = {"id": image_ids[0], "captured_at": 1436622890000, "compass_angle": 87.5,
               "computed_compass_angle": 90.1, "geometry": {"type": "Point", "coordinates": [13.4, 52.5]},
               "computed_geometry": {"type": "Point", "coordinates": [13.40001, 52.50001]},
               "creator": {"username": "mapper", "id": "1"}, "make": "GoPro", "model": "Max",
               "camera_type": "perspective", "sequence": "seq1", "is_pano": False}
    feature = {"id": "5000", "object_value": "regulatory--stop--g1", "first_seen_at": "2019-04-01T10:00:00+0000",
               "last_seen_at": "2023-05-02T10:00:00+0000", "images": {"data": [{"id": i} for i in image_ids]}}
    rings = (((0.2, 0.2), (0.6, 0.2), (0.6, 0.7), (0.2, 0.7), (0.2, 0.2)),)
    detections = [Detection("d1", "regulatory--stop--g1", image_ids[0], None, rings)]

    controller.busy.emit(True)
    check("panel: busy bar", panel.busy_bar.isVisibleTo(panel), None)
    controller.feature_shown.emit(feature, detections)
    controller.shown.emit(details)
    for number, image_id in enumerate(image_ids):
        controller.thumbnail.emit(image_id, QImage.fromData(png(["#2060c0", "#20c060", "#c02060", "#c0c020"][number])))
    controller.busy.emit(False)
    spin(app, 10)
    strip = panel.strip
    rects = [strip.visualItemRect(strip.item(row)) for row in range(strip.count())]
    check("panel: the feature strip has a place for each picture",
          strip.count() == len(image_ids) and all(not strip.item(r).icon().isNull() for r in range(strip.count()))
          and len({(r.x(), r.y()) for r in rects}) == len(rects)
          and all(not a.intersects(b) for i, a in enumerate(rects) for b in rects[i + 1:]),
          [(r.x(), r.y(), r.width(), r.height()) for r in rects])
    picture = panel.picture.pixmap()
    check("panel: the picture with its outline", picture is not None and not picture.isNull()
          and panel._pixmap.toImage().pixelColor(int(0.2 * 320), int(0.4 * 240)) != QColor("#2060c0"),
          None if picture is None else [picture.width(), picture.height()])
    check("panel: the details", panel.values["camera"].text() == "GoPro Max" and
          "2015" in panel.values["captured_utc"].text() and "Regulatory: stop" in panel.feature_label.text(),
          {key: label.text() for key, label in panel.values.items()})
    check("panel: the controller was asked for the strip's pictures",
          ("thumbnails", image_ids) in controller.calls and ("open", image_ids[0]) in controller.calls,
          list(controller.calls))
    controller.calls.clear()
    panel.next_button.click()
    strip.itemClicked.emit(strip.item(2))
    panel.setFocus()
    QTest.keyClick(panel, Qt.Key.Key_Left)
    check("panel: next, a strip click and the arrow key",
          controller.calls == [("step", 1), ("open", image_ids[2]), ("step", -1)], list(controller.calls))
    panel.copy_id()
    check("panel: copy id", QApplication.clipboard().text() == image_ids[0], QApplication.clipboard().text())
    controller.failed.emit("rate_limited", "Mapillary's request limit is reached.")
    check("panel: an error and its hint", "Wait a minute" in panel.error_label.text(), panel.error_label.text())
    controller.nothing.emit()
    check("panel: nothing here", panel.error_label.property("kind") == "nothing", panel.error_label.text())
    check_panorama(app, panel, controller, details)
    panel.close()


def check_panorama(app, panel, controller, details) -> None:
    """A panorama (its west half red, east half blue: the centre column looks east) in the view."""
    from qgis.PyQt.QtCore import QEvent, QPoint, QPointF, Qt
    from qgis.PyQt.QtGui import QMouseEvent
    from qgis.PyQt.QtTest import QTest

    pano = dict(details, id="178993950747699", camera_type="spherical", is_pano=True, compass_angle=90.0)
    controller.shown.emit(pano)
    controller.thumbnail.emit(pano["id"], QImage.fromData(png("#d02020", 512, 256, right="#2020d0")))
    spin(app, 10)
    view = panel.pano_view

    def centre(image):
        return QColor(image.pixel(image.width() // 2, image.height() // 2)).name()

    north, south = panel.image_view(yaw=45), panel.image_view(yaw=135)
    check("panorama: the view looks where yaw says", view.isVisible() and centre(north) == "#d02020"
          and centre(south) == "#2020d0", [view.isVisible(), centre(north), centre(south)])
    view.set_view(yaw=90, pitch=0, fov=80)
    start = QPoint(view.width() // 2, view.height() // 2)
    QTest.mousePress(view, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    QApplication.sendEvent(view, QMouseEvent(QEvent.Type.MouseMove, QPointF(start.x() + view.width() / 2, start.y()),
                                             Qt.MouseButton.NoButton, Qt.MouseButton.LeftButton,
                                             Qt.KeyboardModifier.NoModifier))
    QTest.mouseRelease(view, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    check("panorama: a drag turns it (mouse positions under Qt 6)", abs(view.yaw - 50.0) < 0.5, view.yaw)
    controller.calls.clear()
    view.setFocus()
    QTest.keyClick(view, Qt.Key.Key_Left)
    QTest.keyClick(view, Qt.Key.Key_Minus)
    check("panorama: arrow keys turn the view, not the sequence; minus zooms out",
          controller.calls == [] and abs(view.yaw - 40.0) < 0.5 and view.fov > 80, [controller.calls, view.yaw])
    panel.play_button.click()
    controller.playing.emit(True)
    check("panorama: Play asks the controller and turns into Stop",
          controller.calls == [("play",)] and "Stop" in panel.play_button.text(), panel.play_button.text())


def main() -> int:
    settings_dir = tempfile.mkdtemp(prefix="mapillary-qt6-")
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, settings_dir)
    QCoreApplication.setOrganizationName("mapillary_qgis_qt6_check")
    app = QApplication(sys.argv[:1])
    import_every_module()
    for step in (check_dock, check_filters, check_layers, check_image_panel):
        try:
            step(app)
        except Exception:  # the report carries it
            RESULT["failed"][step.__name__] = traceback.format_exc()
    RESULT["pyqt5_loaded"] = "PyQt5" in sys.modules or any(n.startswith("PyQt5.") for n in sys.modules)
    print("RESULT " + json.dumps(RESULT, default=str), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
