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
# Central Lisbon in Web Mercator (about z15), where the fake's demo data lies.
DEMO_EXTENT = QgsRectangle(-1018900, 4679300, -1016000, 4681100)

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
        later(200, quit_qgis)


def quit_qgis():
    """The normal way out (QGIS then shuts its tile downloads down), without a "save changes?" question."""
    for widget in QgsApplication.topLevelWidgets():
        if widget is not iface.mainWindow() and widget.isVisible():
            widget.close()
    QgsProject.instance().setDirty(False)
    iface.actionExit().trigger()


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
    later(500, step_token_tested)


def step_token_tested():
    state = dock_state()
    result["steps"].append({"step": "token", "dock_state": state, "detail": plugin().dock.detail_label.text(),
                            "screenshot": screenshot("screenshot-token.png")})
    expected = "valid" if (DEMO_TOKEN or plugin().token_store.has_token) else "none"
    if state != expected:
        return finish(False, f"dock state {state}, expected {expected}")
    step_layers()


def step_layers():
    """Tick the coverage and the exact images and sequences, as a user would in the Layers tab."""
    dock = plugin().dock
    dock.tabs.setCurrentWidget(plugin().layers_tab)
    for key in os.environ.get("MAPILLARY_RUN_LAYERS", "coverage,sequences,images").split(","):
        plugin().layers_tab.boxes[key].setChecked(True)
    # The first layer of a new project zooms QGIS out to its extent, a moment later: zoom back in.
    later(1000, lambda: iface.mapCanvas().setExtent(DEMO_EXTENT))
    later(2500, lambda: wait_for_layers(120))


def images_layer():
    from mapillary_qgis.qgis_glue.coverage import find_layers

    layers = find_layers("images")
    return layers[0] if layers else None


def wait_for_layers(tries):
    layer = images_layer()
    busy = bool(plugin().live_layers._tasks)
    if (busy or layer is None or layer.featureCount() == 0) and tries > 0:
        return later(500, lambda: wait_for_layers(tries - 1))
    zoom_to_a_street()
    later(3000, step_final)


def zoom_to_a_street():
    """Close enough to see each image's viewing direction along one sequence."""
    from qgis.core import QgsCoordinateTransform

    from mapillary_qgis.qgis_glue.coverage import find_layers

    sequences = find_layers("sequences")
    feature = next(iter(sequences[0].getFeatures()), None) if sequences else None
    if feature is None:
        return
    to_map = QgsCoordinateTransform(sequences[0].crs(), iface.mapCanvas().mapSettings().destinationCrs(),
                                    QgsProject.instance())
    extent = to_map.transformBoundingBox(feature.geometry().boundingBox())
    extent.grow(max(extent.width(), extent.height()) * 0.3 + 50)
    iface.mapCanvas().setExtent(extent)
    iface.mapCanvas().refreshAllLayers()


def step_final():
    layer = images_layer()
    features = list(layer.getFeatures()) if layer is not None else []
    ids = [f["id"] for f in features]
    dates = [f["captured_at"] for f in features if f["captured_at"]]
    result["steps"].append({
        "step": "layers",
        "images": len(features),
        "max_image_id": max(ids) if ids else None,
        "first_capture": min(dates).toString("yyyy-MM-ddThh:mm:ss.zzzZ") if dates else None,
        "layers_status": plugin().layers_tab.status_label.text(),
        "screenshot": screenshot("screenshot-layers.png"),
    })
    project_path = RUN_DIR / "project.qgz"
    QgsProject.instance().write(str(project_path))
    result["project"] = str(project_path)
    if layer is None:
        return finish(False, "no exact images layer")
    table = iface.showAttributeTable(layer)
    later(1500, lambda: step_table(table, ids, features))


def step_table(table, ids, features):
    path = RUN_DIR / "attribute-table.png"
    table.grab().save(str(path))
    table.close()
    result["attribute_table"] = str(path)
    if not ids or max(ids) <= 2**31:
        return finish(False, "image ids are not exact 64-bit values")
    step_identify(features)


def step_identify(features):
    """Click, with the Mapillary identify tool, on an image in the middle of the view."""
    from qgis.core import QgsCoordinateReferenceSystem, QgsCoordinateTransform
    from qgis.gui import QgsMapMouseEvent
    from qgis.PyQt.QtCore import QEvent, QPoint, Qt

    canvas = iface.mapCanvas()
    centre = canvas.extent().center()
    to_map = QgsCoordinateTransform(QgsCoordinateReferenceSystem("EPSG:4326"), canvas.mapSettings().destinationCrs(),
                                    QgsProject.instance())
    target = min(features, key=lambda f: to_map.transform(f.geometry().asPoint()).sqrDist(centre))
    result["identify_target"] = target["id"]
    plugin().identify_action.trigger()
    pixel = canvas.getCoordinateTransform().transform(to_map.transform(target.geometry().asPoint()))
    position = QPoint(int(pixel.x()), int(pixel.y()))
    tool = canvas.mapTool()
    event = QgsMapMouseEvent(canvas, QEvent.Type.MouseButtonRelease, position, Qt.MouseButton.LeftButton,
                             Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    tool.canvasReleaseEvent(event)
    later(500, lambda: wait_for_picture(60))


def wait_for_picture(tries):
    panel = plugin().image_panel
    pixmap = panel.picture.pixmap()
    if (pixmap is None or pixmap.isNull()) and tries > 0:
        return later(500, lambda: wait_for_picture(tries - 1))
    later(1500, step_identified)


def step_identified():
    panel = plugin().image_panel
    shown = (panel.details or {}).get("id")
    result["steps"].append({
        "step": "identify",
        "image": shown,
        "captured": panel.values["captured_utc"].text(),
        "error": panel.error_label.text(),
        "screenshot": screenshot("screenshot.png"),
    })
    ok = shown == str(result["identify_target"]) and panel.picture.pixmap() is not None
    if not ok:
        return finish(False, f"identified {shown}, expected {result['identify_target']}")
    step_map_tip()


def step_map_tip():
    """Hover over the identified image with map tips on: the exact images layer's tip, picture and time."""
    from qgis.core import QgsCoordinateTransform, QgsExpression, QgsExpressionContext, QgsExpressionContextUtils
    from qgis.gui import QgsMapTip
    from qgis.PyQt.QtCore import QPoint

    layer = images_layer()
    canvas = iface.mapCanvas()
    target = next(f for f in layer.getFeatures() if f["id"] == result["identify_target"])
    to_map = QgsCoordinateTransform(layer.crs(), canvas.mapSettings().destinationCrs(), QgsProject.instance())
    point = to_map.transform(target.geometry().asPoint())
    pixel = canvas.getCoordinateTransform().transform(point)
    context = QgsExpressionContext(QgsExpressionContextUtils.globalProjectLayerScopes(layer))
    context.setFeature(target)
    tip = QgsMapTip()
    _keep.append(tip)

    def hover(then):
        tip.clear(canvas)
        tip.showMapTip(layer, point, QPoint(int(pixel.x()), int(pixel.y())), canvas)
        later(1500, then)

    def shown():
        text = QgsExpression.replaceExpressionText(layer.mapTipTemplate(), context)
        result["steps"].append({"step": "map tip", "image": target["id"], "has_picture": "<img" in text,
                                "screenshot": screenshot("screenshot-maptip.png")})
        tip.clear(canvas)
        if "<img" not in text:
            return finish(False, "the map tip has no picture")
        step_place(target)

    hover(lambda: hover(shown))  # the first hover asks for the picture (if not cached yet), the next shows it


def step_place(target):
    """With "images of this place", click a spot 8 m in front of the identified image."""
    import math

    from qgis.core import QgsCoordinateTransform, QgsPointXY
    from qgis.gui import QgsMapMouseEvent
    from qgis.PyQt.QtCore import QEvent, QPoint, Qt

    canvas = iface.mapCanvas()
    layer = images_layer()
    here = target.geometry().asPoint()
    angle = math.radians(target["compass_angle"] or 0.0)
    spot = QgsPointXY(here.x() + 8 * math.sin(angle) / (111_195 * math.cos(math.radians(here.y()))),
                      here.y() + 8 * math.cos(angle) / 111_195)
    to_map = QgsCoordinateTransform(layer.crs(), canvas.mapSettings().destinationCrs(), QgsProject.instance())
    plugin().place_action.trigger()
    pixel = canvas.getCoordinateTransform().transform(to_map.transform(spot))
    event = QgsMapMouseEvent(canvas, QEvent.Type.MouseButtonRelease, QPoint(int(pixel.x()), int(pixel.y())),
                             Qt.MouseButton.LeftButton, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    canvas.mapTool().canvasReleaseEvent(event)
    later(500, lambda: wait_for_place(60))


def wait_for_place(tries):
    strip = plugin().image_panel.place_strip
    ready = strip.count() and all(not strip.item(r).icon().isNull() for r in range(strip.count()))
    if not ready and tries > 0:
        return later(500, lambda: wait_for_place(tries - 1))
    panel = plugin().image_panel
    result["steps"].append({"step": "place", "images": strip.count(), "label": panel.place_label.text(),
                            "screenshot": screenshot("screenshot-place.png")})
    if not strip.count():
        return finish(False, "no image of the place")
    step_filter()


def step_filter():
    """As a user would in the Filters tab: a date range and panoramas only, then Apply."""
    from qgis.PyQt.QtCore import QDate
    from qgis.PyQt.QtWidgets import QPushButton

    tab = plugin().filters_tab
    plugin().dock.tabs.setCurrentWidget(tab)
    tab.from_check.setChecked(True)
    tab.from_date.setDate(QDate(2015, 1, 1))
    tab.to_check.setChecked(True)
    tab.to_date.setDate(QDate(2022, 12, 31))
    tab.panoramas.setCurrentIndex(tab.panoramas.findData("only"))
    tab.findChild(QPushButton, "MapillaryFilterApply").click()
    later(1000, zoom_to_filtered)


def zoom_to_filtered():
    """Show the panoramas that passed, with their blue sequences."""
    from qgis.core import QgsCoordinateTransform

    layer = images_layer()
    canvas = iface.mapCanvas()
    to_map = QgsCoordinateTransform(layer.crs(), canvas.mapSettings().destinationCrs(), QgsProject.instance())
    extent = to_map.transformBoundingBox(layer.extent())
    extent.grow(max(extent.width(), extent.height()) * 0.1 + 100)
    canvas.setExtent(extent)
    canvas.refreshAllLayers()
    later(3000, step_filtered)


def step_filtered():
    layer = images_layer()
    features = list(layer.getFeatures())
    passed = all(f["is_pano"] and f["captured_at"].date().year() in range(2015, 2023) for f in features)
    result["steps"].append({
        "step": "filter",
        "layer": layer.name(),
        "images": len(features),
        "summary": plugin().filters_tab.summary_label.text(),
        "all_pass": passed,
        "screenshot": screenshot("screenshot-filtered.png"),
    })
    path = RUN_DIR / "project.qgz"
    QgsProject.instance().write(str(path))
    saved = plugin().filtering.filters
    QgsProject.instance().clear()
    QgsProject.instance().read(str(path))
    restored = plugin().filtering.filters
    result["filters_restored"] = restored == saved
    ok = passed and restored == saved and saved.panoramas == "only"
    if not (ok and plugin().toolbar.isVisible()):
        return finish(False, "the filter did not apply or was not restored")
    step_panorama(features)


def step_panorama(features):
    """Open one of the filtered panoramas and look around in it: along its compass angle, then behind."""
    if not features:
        return finish(False, "no panorama passed the filter")
    target = features[len(features) // 2]
    result["panorama"] = target["id"]
    plugin().open_image(target["id"])
    later(500, lambda: wait_for_panorama(str(target["id"]), 60))


def wait_for_panorama(image_id, tries):
    view = plugin().image_panel.pano_view
    if (view.image_id != image_id or view.source_width < 2048) and tries > 0:
        return later(500, lambda: wait_for_panorama(image_id, tries - 1))
    if view.image_id != image_id:
        return finish(False, "the panorama did not open in the panorama view")
    plugin()._zoom_to(plugin().image_panel.details)  # as "Zoom to" does: the cone at street scale
    later(3000, lambda: shoot_panorama(image_id))


def shoot_panorama(image_id):
    view = plugin().image_panel.pano_view
    ahead = view.yaw
    shots = []
    for yaw in (ahead, ahead + 180):
        plugin().image_view(yaw=yaw, pitch=5.0, fov=90.0)
        for _ in range(5):
            QgsApplication.processEvents()
        shots.append(iface.mainWindow().grab())
    path = RUN_DIR / "screenshot-pano.png"
    side_by_side(shots).save(str(path))
    cone = plugin().marker.shown
    result["steps"].append({"step": "panorama", "image": image_id, "looked": [round(ahead, 1), round(ahead + 180, 1)],
                            "cone": None if cone is None else [round(cone[2] or 0, 1), round(cone[3], 1)],
                            "screenshot": str(path)})
    behind = (ahead + 180) % 360
    turned = cone is not None and cone[2] is not None and abs((cone[2] - behind + 180) % 360 - 180) < 1
    finish(turned, "" if turned else "the view cone on the map did not turn with the view")


def side_by_side(pixmaps):
    """The screenshots next to each other, at half size (one file, two directions)."""
    from qgis.PyQt.QtCore import Qt
    from qgis.PyQt.QtGui import QPainter, QPixmap

    halves = [p.scaledToWidth(p.width() // 2, Qt.TransformationMode.SmoothTransformation) for p in pixmaps]
    joined = QPixmap(sum(h.width() for h in halves) + 8 * (len(halves) - 1), max(h.height() for h in halves))
    joined.fill(Qt.GlobalColor.white)
    painter = QPainter(joined)
    x = 0
    for half in halves:
        painter.drawPixmap(x, 0, half)
        x += half.width() + 8
    painter.end()
    return joined


later(1000, step_show)
