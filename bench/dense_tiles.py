"""Distinct dense tiles for the layer benchmark, made with GDAL from the one real dense tile.

The shared fixture `mly1_public_unknown-zxy_10231-images.mvt` is a real z14
tile of a dense city (10,231 images, 222 sequences). Served at every address
it would be one tile repeated, and the exact layers' de-duplication would hide
nearly all the work. So each address gets its own copy: the fixture read by
GDAL's MVT driver *as if* it were that tile (its open options X/Y/Z), every
image id and sequence image id shifted by `copy * ID_SHIFT`, every sequence id
given the suffix `-<copy>`, and the result written again as MVT by GDAL
(`tests.fake_mapillary.mvt.encode_tile`). Copies are numbered from 1, so no copy
shares an id with the fixture or with another copy.

The tiles are written once into `build/bench/dense-tiles/<fixture digest>/` and
read from there afterwards (writing 90 of them takes a minute or two).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from osgeo import gdal, ogr, osr

REPO = Path(__file__).resolve().parent.parent
ID_SHIFT = 10**16  # larger than any id of the fixture (8.3e15); 90 copies stay below 2**63
CACHE = REPO / "build" / "bench" / "dense-tiles"
Z = 14


def _to_wgs84() -> osr.CoordinateTransformation:
    mercator, wgs84 = osr.SpatialReference(), osr.SpatialReference()
    mercator.ImportFromEPSG(3857)
    wgs84.ImportFromEPSG(4326)
    wgs84.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return osr.CoordinateTransformation(mercator, wgs84)


def _properties(feature: ogr.Feature) -> dict:
    values = feature.items()
    values.pop("mvt_id", None)
    return {key: bool(value) if key == "is_pano" else value for key, value in values.items()
            if value is not None}


def _copied(feature: ogr.Feature, transform: osr.CoordinateTransformation, shifts: dict) -> tuple:
    """The feature's properties, each of `shifts` ({name: what to add}) shifted, and its geometry in WGS84."""
    properties = _properties(feature)
    for name, amount in shifts.items():
        properties[name] += amount
    geometry = feature.GetGeometryRef().Clone()
    geometry.Transform(transform)
    return properties, geometry


def copy_layers(fixture: Path, x: int, y: int, copy: int) -> dict:
    """The fixture's image and sequence layers placed at z14 x/y, ids shifted for `copy` (>= 1)."""
    if copy < 1:
        raise ValueError("copies are numbered from 1: copy 0 would keep the fixture's ids")
    gdal.UseExceptions()
    dataset = gdal.OpenEx(str(fixture), gdal.OF_VECTOR, open_options=[f"X={x}", f"Y={y}", f"Z={Z}"])
    transform = _to_wgs84()
    shift, suffix = copy * ID_SHIFT, f"-{copy}"
    images, sequences = [], []
    for feature in dataset.GetLayerByName("image"):
        properties, point = _copied(feature, transform, {"id": shift, "sequence_id": suffix})
        images.append(((point.GetX(), point.GetY()), properties))
    for feature in dataset.GetLayerByName("sequence"):
        properties, lines = _copied(feature, transform, {"id": suffix, "image_id": shift})
        parts = [lines] if lines.GetGeometryCount() == 0 else [lines.GetGeometryRef(i)
                                                                for i in range(lines.GetGeometryCount())]
        for part in parts:  # the writer takes lines; a sequence's parts stay one sequence (same id)
            sequences.append(([part.GetPoint_2D(i) for i in range(part.GetPointCount())], dict(properties)))
    return {"image": images, "sequence": sequences}


def dense_tiles(fixture: Path, addresses: list, progress=print) -> dict:
    """{(x, y): MVT bytes} for z14 `addresses`, copy i + 1 at the i-th address; cached on disk."""
    import sys

    sys.path.insert(0, str(REPO))
    from tests.fake_mapillary.mvt import encode_tile

    folder = CACHE / hashlib.sha256(fixture.read_bytes()).hexdigest()[:12]
    folder.mkdir(parents=True, exist_ok=True)
    tiles = {}
    for copy, (x, y) in enumerate(addresses, start=1):
        path = folder / f"{copy}-{x}-{y}.mvt"
        if not path.is_file():
            if progress:
                progress(f"  writing dense tile {copy}/{len(addresses)} (14/{x}/{y}) with GDAL ...")
            data = encode_tile(copy_layers(fixture, x, y, copy), Z, x, y)
            path.with_suffix(".tmp").write_bytes(data)
            path.with_suffix(".tmp").replace(path)
        tiles[(x, y)] = path.read_bytes()
    return tiles
