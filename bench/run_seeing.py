"""One run of the "images of a place" benchmark in a fresh QGIS process (used by scripts/bench.py).

    .venv/bin/python bench/run_seeing.py '{"tiles_url": ..., "graph_url": ..., "token": ..., "view": [x0, y0],
                                           "points": 10000, "profile": ...}'

Over a 3 x 3 view of distinct dense z14 tiles (92,079 images), with the tile
cache warm:
- the tile load alone: `TileSource.load` of the nine tiles from the disk cache
  (what any reader of them pays);
- `mapillary:imagesoffeatures` for `points` random points over the view,
  PER_FEATURE 3, output to a GeoPackage: the whole run; minus the tile load,
  the work of issue 14's goal (no per-pair loop over all images);
- `ImageService.images_of` at 20 places 8 m in front of images of the middle tile, as
  `plugin.images_of` runs it on the GUI thread (tile from the cache, decode,
  ranking): the longest and the median.

Prints one line: RESULT {json}.
"""

import json
import math
import os
import random
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main() -> None:
    config = json.loads(sys.argv[1])
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["MAPILLARY_ACCESS_TOKEN"] = config["token"]
    os.environ["MAPILLARY_TILES_URL"] = config["tiles_url"]
    os.environ["MAPILLARY_GRAPH_URL"] = config["graph_url"]
    profile = Path(config["profile"])
    sys.path.insert(0, str(REPO))

    from qgis.core import QgsApplication, QgsFeature, QgsGeometry, QgsPointXY, QgsVectorLayer

    app = QgsApplication([], False, str(profile))
    app.initQgis()
    sys.path.append("/usr/share/qgis/python/plugins")
    import processing
    from processing.core.Processing import Processing

    Processing.initialize()
    from mapillary_qgis.client import Client
    from mapillary_qgis.core.tile_cache import TileCache
    from mapillary_qgis.core.tile_source import TileSource
    from mapillary_qgis.core.tilemath import tile_bounds_lonlat
    from mapillary_qgis.processing.common import tile_cache_dir
    from mapillary_qgis.processing.provider import MapillaryProvider
    from mapillary_qgis.qgis_glue.images import ImageService

    provider = MapillaryProvider()  # kept: the registry holds only a pointer
    QgsApplication.processingRegistry().addProvider(provider)
    x0, y0 = config["view"]
    tiles = [(14, x0 + dx, y0 + dy) for dx in range(3) for dy in range(3)]
    client = Client(config["token"])
    source = TileSource(client, TileCache(tile_cache_dir()))
    source.load("mly1_public", tiles, ["image"])  # warm the disk cache (what a first view does)
    start = time.perf_counter()
    loaded = source.load("mly1_public", tiles, ["image"])
    tile_load_s = time.perf_counter() - start
    images = len(loaded.records["image"])
    w, s, e, n = tile_bounds_lonlat(14, x0 + 1, y0 + 1)
    middle = [r for r in loaded.records["image"] if w < r.lon < e and s < r.lat < n and r.compass_angle is not None]
    del loaded

    west, _, _, north = tile_bounds_lonlat(14, x0, y0)
    _, south, east, _ = tile_bounds_lonlat(14, x0 + 2, y0 + 2)
    rng = random.Random(14)
    points = QgsVectorLayer("Point?crs=EPSG:4326", "points", "memory")
    features = []
    for _ in range(config["points"]):
        feature = QgsFeature()
        feature.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(rng.uniform(west, east), rng.uniform(south, north))))
        features.append(feature)
    points.dataProvider().addFeatures(features)
    start = time.perf_counter()
    result = processing.run("mapillary:imagesoffeatures", {
        "INPUT": points, "PER_FEATURE": 3, "OUTPUT": str(profile / "seen.gpkg")})
    algorithm_s = time.perf_counter() - start
    rows = QgsVectorLayer(result["OUTPUT"], "seen", "ogr").featureCount()

    service = ImageService(client, source, None)
    times, found = [], []
    for image in rng.sample(middle, 20):  # an asset 8 m in front of an image, as a user would click one
        angle = math.radians(image.compass_angle)
        lat = image.lat + 8 * math.cos(angle) / 111_195.0
        lon = image.lon + 8 * math.sin(angle) / (111_195.0 * math.cos(math.radians(image.lat)))
        start = time.perf_counter()
        found.append(len(service.images_of(lon, lat)))
        times.append((time.perf_counter() - start) * 1000)
    source.close()
    print("RESULT " + json.dumps({
        "images": images, "points": config["points"], "rows": rows, "tile_load_s": tile_load_s,
        "algorithm_s": algorithm_s, "beyond_load_s": algorithm_s - tile_load_s,
        "images_of_max_ms": max(times), "images_of_median_ms": statistics.median(times),
        "images_of_found_median": statistics.median(found)}), flush=True)
    app.exitQgis()


if __name__ == "__main__":
    main()
