"""A second QGIS started with the plugin and a project of Mapillary layers, with Mapillary unreachable.

    python -m tests.qgis.child_offline <settings_dir> <project.qgz>

The token comes from MAPILLARY_ACCESS_TOKEN, the hosts from MAPILLARY_GRAPH_URL
and MAPILLARY_TILES_URL (a dead port). The map is set to the demo area, the
project is read, the exact layers load the view and the coverage layers are
drawn (their tiles requested from the plugin's tile server), then the events
are run until the plugin has nothing left to do. It prints one JSON line:
what the user was told (the dock's status and the message bar), the
Mapillary log lines, and how long it all took.
"""

import json
import sys
import time

from qgis.core import (
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsMapRendererParallelJob,
    QgsMapSettings,
    QgsProject,
    QgsRectangle,
)
from qgis.PyQt.QtCore import QCoreApplication, QEvent, QSize

from tests.qgis.child_qgis import start_app

SETTLE_S = 1.0  # after the last load, time for queued notices to arrive
LIMIT_S = 90.0  # the parent's timeout is the real bound; this one only ends the loop


def run_events(until, limit_s):
    deadline = time.monotonic() + limit_s
    while not until() and time.monotonic() < deadline:
        QCoreApplication.processEvents()
        time.sleep(0.02)


def draw(layers, extent):
    """Start drawing the layers in the background, every layer at once, as QGIS's map canvas does."""
    settings = QgsMapSettings()
    settings.setLayers(layers)
    settings.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:3857"))
    settings.setExtent(extent)
    settings.setOutputSize(QSize(512, 512))
    job = QgsMapRendererParallelJob(settings)
    job.start()
    return job


def main():
    settings_dir, project_path = sys.argv[1], sys.argv[2]
    app = start_app(settings_dir)
    started = time.monotonic()

    from qgis.gui import QgsMapCanvas

    import mapillary_qgis
    from mapillary_qgis.core.tilemath import tile_bounds_mercator
    from tests.fake_mapillary.dataset import DEMO_CENTER
    from tests.fake_mapillary.tilemath import tile_for
    from tests.qgis.iface import RecordingIface

    log = []
    QgsApplication.messageLog().messageReceived.connect(lambda text, tag, level: log.append([tag, text]))
    canvas = QgsMapCanvas()
    canvas.resize(800, 600)
    west, south, east, north = tile_bounds_mercator(14, *tile_for(*DEMO_CENTER, 14))
    x, y = (west + east) / 2, (south + north) / 2
    view = QgsRectangle(x - 300, y - 300, x + 300, y + 300)  # one z14 tile of each tileset
    canvas.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:3857"))
    canvas.setExtent(view)
    iface = RecordingIface(canvas)
    plugin = mapillary_qgis.classFactory(iface)
    plugin.initGui()
    told = []
    plugin.live_layers.status.connect(lambda level, text: told.append([level, text]))
    plugin.notices.notice.connect(lambda level, text: told.append([level, text]))

    project = QgsProject.instance()
    assert project.read(project_path)
    layers = list(project.mapLayers().values())
    run_events(lambda: bool(plugin.live_layers._tasks), 5.0)  # the exact layers start loading the view
    drawing = draw(layers, view)  # as the map canvas does: the coverage layers ask the plugin's tile server
    run_events(lambda: not plugin.live_layers._tasks and not drawing.isActive(), LIMIT_S)
    settle = time.monotonic() + SETTLE_S
    run_events(lambda: time.monotonic() > settle, SETTLE_S + 1)

    result = {
        "layers": sorted(layer.name() for layer in layers),
        "features": sum(layer.featureCount() for layer in layers if layer.type() == layer.VectorLayer),
        "told": told,
        "message_bar": [[item.title(), item.text()] for item in iface.messageBar().items()],
        "status": plugin.layers_tab.status_label.text(),
        "log": [text for tag, text in log if tag == "Mapillary"],
        "seconds": round(time.monotonic() - started, 1),
    }
    print("RESULT " + json.dumps(result), flush=True)
    plugin.unload()
    project.clear()
    iface.mainWindow().deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    app.exitQgis()


if __name__ == "__main__":
    main()
