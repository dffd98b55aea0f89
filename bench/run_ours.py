"""One timed run of `mapillary:images` to a GeoPackage, in a fresh QGIS process (used by scripts/bench.py).

    .venv/bin/python bench/run_ours.py '{"extent": [w, s, e, n], "output": "out.gpkg", "profile": "dir"}'

MAPILLARY_GRAPH_URL, MAPILLARY_TILES_URL and MAPILLARY_ACCESS_TOKEN point at
the fake. `profile` is an empty QGIS profile folder, so the tile cache
(<profile>/cache/mapillary_qgis/tiles) starts empty. Timed: `processing.run`
only (not the QGIS start). Prints one line: RESULT {json}.
"""

import json
import os
import resource
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def main() -> None:
    config = json.loads(sys.argv[1])
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["QGIS_AUTH_DB_DIR_PATH"] = config["profile"]
    sys.path.insert(0, str(REPO))

    from osgeo import ogr
    from qgis.core import QgsApplication

    app = QgsApplication([], False, config["profile"])
    app.initQgis()
    sys.path.append(os.path.join(QgsApplication.pkgDataPath(), "python", "plugins"))
    import processing
    from processing.core.Processing import Processing

    from mapillary_qgis.processing.common import tile_cache_dir
    from mapillary_qgis.processing.provider import MapillaryProvider

    Processing.initialize()
    provider = MapillaryProvider()  # kept referenced: the registry does not keep the Python object alive
    assert QgsApplication.processingRegistry().addProvider(provider)
    assert not tile_cache_dir().exists(), "the tile cache must start empty"
    west, south, east, north = config["extent"]
    parameters = {"EXTENT": f"{west!r},{east!r},{south!r},{north!r} [EPSG:4326]", "OUTPUT": config["output"]}
    rss_before = peak_rss_mb()

    start = time.perf_counter()
    processing.run("mapillary:images", parameters)
    seconds = time.perf_counter() - start

    rss_after = peak_rss_mb()
    dataset = ogr.Open(config["output"])
    layer = dataset.GetLayer(0)
    features = layer.GetFeatureCount()
    layer.SetAttributeFilter("is_pano = 0")
    flat = layer.GetFeatureCount()
    dataset = layer = None
    print("RESULT " + json.dumps({"seconds": seconds, "features": features, "unique_ids": features,
                                  "non_pano": flat, "peak_rss_mb": rss_after,
                                  "rss_before_run_mb": rss_before}), flush=True)
    app.exitQgis()


if __name__ == "__main__":
    main()
