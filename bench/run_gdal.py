"""The floor: GDAL alone translating tile files to one GeoPackage (used by scripts/bench.py).

    .venv/bin/python bench/run_gdal.py '{"tiles": "dir with 14/x/y.mvt", "output": "out.gpkg"}'

Timed: the `gdal.VectorTranslate` calls only, one per tile file, each
appending the tile's `image` layer to one GeoPackage layer in EPSG:4326
(as `mapillary:images` writes), with GDAL's defaults otherwise: points
clipped to their tile, a spatial index, no de-duplication. The equivalent
command is `ogr2ogr -f GPKG -t_srs EPSG:4326 [-append] -nln image out.gpkg
14/x/y.mvt image` per tile. The tiles were downloaded from the fake before
(not timed). Prints one line: RESULT {json}.
"""

import json
import resource
import sys
import time
from pathlib import Path

from osgeo import gdal, ogr


def main() -> None:
    config = json.loads(sys.argv[1])
    files = sorted(str(p) for p in Path(config["tiles"]).glob("*/*/*.mvt"))
    output = config["output"]
    gdal.UseExceptions()

    start = time.perf_counter()
    dataset = None
    for path in files:
        options = dict(layers=["image"], layerName="image", dstSRS="EPSG:4326")
        if dataset is None:
            dataset = gdal.VectorTranslate(output, path, format="GPKG", **options)
        else:
            gdal.VectorTranslate(dataset, path, accessMode="append", **options)
    dataset = None  # closes and flushes the GeoPackage
    seconds = time.perf_counter() - start

    dataset = ogr.Open(output)
    layer = dataset.GetLayer(0)
    features = layer.GetFeatureCount()
    ids = {feature.GetFieldAsInteger64("id") for feature in layer}
    dataset = layer = None
    print("RESULT " + json.dumps({
        "seconds": seconds, "features": features, "unique_ids": len(ids), "tile_files": len(files),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }), flush=True)


if __name__ == "__main__":
    main()
