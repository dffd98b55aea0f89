"""One run of the layer benchmark in a fresh QGIS process (used by scripts/bench.py).

    .venv/bin/python bench/run_layers.py '{"mode": "ours" | "qgis", "views": [[x0, y0], ...], ...}'

A shown QgsMapCanvas of 768 x 768 pixels in EPSG:3857 looks at 3 x 3 z14
tiles (the view's top-left tile x0, y0), so that QGIS's own vector-tile layer
draws z14 tiles too. A 5 ms QTimer on the GUI thread records its longest gap
while the work runs: what a user feels as a frozen window.

- `ours`: the plugin's exact layers (`LiveLayers`: "Mapillary images" and
  "Mapillary sequences", a tile source with its disk cache in an empty
  profile). Measured: the first view from switching the layers on until every
  image is counted and the canvas has drawn them; a filter change (panoramas
  only) until the canvas has drawn it; then the map moves to each further view
  (the plugin's own debounce) and each is loaded and drawn. Resident memory
  (current, from /proc/self/statm) before, after the first view, after all.
- `qgis`: a QgsVectorTileLayer of the same tiles (the fake's URL, z14 only),
  from adding it until the canvas has drawn it.

Prints one line: RESULT {json}.
"""

import json
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CANVAS_PX = 768  # 3 tiles of 256 px: the map is at zoom 14
DEBOUNCE_MS = 50  # the plugin waits 600 ms after the map moves before it loads; not what is measured here
SETTLE_S = 0.5  # the stall meter and the memory reading wait this long after each draw
EMPTY_VIEW = (100, 100)  # z14 tiles in the Arctic Ocean: the fake has nothing there


def rss_mb() -> float:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def rss_parts_mb() -> dict:
    """Resident memory by kind (/proc/self/smaps_rollup): the heap's anonymous pages, and mapped file pages
    (SQLite's and GDAL's maps of the store, libraries), which the kernel can drop at any time."""
    parts = {}
    for line in Path("/proc/self/smaps_rollup").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("Rss", "Anonymous", "Shared_Clean", "Private_Clean", "Private_Dirty", "Shared_Dirty"):
            parts[name] = int(value.split()[0]) / 1024
    return parts


class GapMeter:
    """The longest interval between the timeouts of a 5 ms timer on the GUI thread."""

    def __init__(self, QTimer):
        self.timer = QTimer()
        self.timer.setInterval(5)
        self.timer.timeout.connect(self._tick)
        self.last = self.longest = 0.0

    def _tick(self):
        now = time.perf_counter()
        self.longest = max(self.longest, now - self.last)
        self.last = now

    def start(self):
        self.last, self.longest = time.perf_counter(), 0.0
        self.timer.start()

    def stop(self) -> float:
        self._tick()
        self.timer.stop()
        return self.longest * 1000


def main() -> None:
    config = json.loads(sys.argv[1])
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    profile = Path(config["profile"])
    sys.path.insert(0, str(REPO))

    from qgis.core import (
        QgsApplication,
        QgsCoordinateReferenceSystem,
        QgsProject,
        QgsRectangle,
        QgsVectorTileBasicRenderer,
        QgsVectorTileLayer,
    )
    from qgis.gui import QgsMapCanvas
    from qgis.PyQt.QtCore import QTimer

    app = QgsApplication([], True, str(profile))
    app.initQgis()
    from mapillary_qgis.client import Client
    from mapillary_qgis.core.filters import Filters
    from mapillary_qgis.core.tile_cache import TileCache
    from mapillary_qgis.core.tile_source import TileSource
    from mapillary_qgis.qgis_glue.live_layers import LiveLayers

    def wait(condition, timeout_s=300.0):
        end = time.perf_counter() + timeout_s
        while not condition():
            if time.perf_counter() > end:
                raise TimeoutError("the benchmark waited too long")
            app.processEvents()
            time.sleep(0.001)

    def settle():
        """Run on SETTLE_S past the draw: what the work leaves to do afterwards is measured too."""
        end = time.perf_counter() + SETTLE_S
        wait(lambda: time.perf_counter() > end)

    canvas = QgsMapCanvas()
    canvas.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:3857"))
    canvas.resize(CANVAS_PX, CANVAS_PX)
    canvas.show()
    drawn = []
    canvas.mapCanvasRefreshed.connect(lambda: drawn.append(time.perf_counter()))

    def show_view(x0, y0):
        west, _, _, north = mercator_bounds(x0, y0)
        _, south, east, _ = mercator_bounds(x0 + 2, y0 + 2)
        inset = 0.5  # metres: the view must not touch the next row of tiles
        canvas.setExtent(QgsRectangle(west + inset, south + inset, east - inset, north - inset))

    def drawn_since(start):
        return bool(drawn) and drawn[-1] > start and not canvas.isDrawing()

    project = QgsProject.instance()
    meter = GapMeter(QTimer)
    views = config["views"]
    show_view(*EMPTY_VIEW)
    canvas.refresh()
    wait(lambda: drawn and not canvas.isDrawing())
    app.processEvents()
    result = {"rss_start_mb": rss_mb(), "parts_start": rss_parts_mb()}

    if config["mode"] == "qgis":
        uri = (f"type=xyz&url={config['tiles_url']}/maps/vtp/mly1_public/2/{{z}}/{{x}}/{{y}}"
               f"?access_token={config['token']}&zmin=14&zmax=14")
        layer = QgsVectorTileLayer(uri, "QGIS vector tiles")
        assert layer.isValid(), layer.error().summary()
        renderer = QgsVectorTileBasicRenderer()
        renderer.setStyles(QgsVectorTileBasicRenderer.simpleStyleWithRandomColors())
        layer.setRenderer(renderer)
        project.addMapLayer(layer)  # over the empty view the canvas shows already
        canvas.setLayers([layer])
        canvas.refresh()
        app.processEvents()
        wait(lambda: drawn and not canvas.isDrawing())
        meter.start()
        start = time.perf_counter()
        show_view(*views[0])
        wait(lambda: drawn_since(start))
        seconds = time.perf_counter() - start
        settle()
        result.update(seconds=seconds, max_gap_ms=meter.stop(), rss_view_mb=rss_mb(), parts_view=rss_parts_mb())
    else:
        def make_source():
            client = Client(config["token"], graph_url=config["graph_url"], tiles_url=config["tiles_url"])
            return TileSource(client, TileCache(profile / "tiles"))

        live = LiveLayers(canvas, make_source, project=project, debounce_ms=DEBOUNCE_MS,
                          store_dir=profile / "store")
        per_view = config["images_per_view"]
        project.layersAdded.connect(lambda _: canvas.setLayers(list(project.mapLayers().values())))

        def loaded(count):
            return not live.busy() and images.featureCount() == count

        show_view(*EMPTY_VIEW)  # the layers are switched on where there is nothing, one click after the other
        wait(lambda: live._next is None or live._next.done())
        meter.start()
        images = live.enable("images")
        app.processEvents()
        live.enable("sequences")
        wait(lambda: loaded(0))
        settle()
        result.update(switch_on_gap_ms=meter.stop(), rss_on_mb=rss_mb())

        meter.start()  # then the map moves to the dense view
        start = time.perf_counter()
        show_view(*views[0])
        wait(lambda: loaded(per_view))
        ready = time.perf_counter()
        wait(lambda: drawn_since(ready))
        seconds = time.perf_counter() - start
        settle()
        result.update(seconds=seconds, max_gap_ms=meter.stop(), rss_view_mb=rss_mb(),
                      features=images.featureCount(), parts_view=rss_parts_mb())

        meter.start()
        start = time.perf_counter()
        live.set_filters(Filters(panoramas="only"))
        wait(lambda: drawn_since(start))
        filter_s = time.perf_counter() - start
        settle()
        result.update(filter_s=filter_s, filter_gap_ms=meter.stop())
        start = time.perf_counter()
        live.set_filters(Filters())
        wait(lambda: drawn_since(start))

        gaps = []
        for i, view in enumerate(views[1:], start=2):
            meter.start()
            moved = time.perf_counter()
            show_view(*view)
            wait(lambda i=i, moved=moved: loaded(per_view * i) and drawn_since(moved))
            settle()
            gaps.append(meter.stop())
        result.update(pan_gap_ms=max(gaps, default=0.0), rss_end_mb=rss_mb(), features_end=images.featureCount(),
                      store_mb=live.store().path.stat().st_size / 2**20)
        project.removeAllMapLayers()
        live.shutdown()

    result["views"] = len(views) if config["mode"] == "ours" else 1
    print("RESULT " + json.dumps(result), flush=True)
    project.removeAllMapLayers()
    canvas.hide()
    app.exitQgis()


def mercator_bounds(x: int, y: int) -> tuple:
    """(west, south, east, north) of z14 x/y in EPSG:3857 metres."""
    size = 2 * 20037508.342789244 / 2**14
    west, north = -20037508.342789244 + x * size, 20037508.342789244 - y * size
    return west, north - size, west + size, north


if __name__ == "__main__":
    main()
