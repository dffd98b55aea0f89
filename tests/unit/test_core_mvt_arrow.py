"""The Arrow column reader of MVT points agrees with the per-feature reader, and really is used."""

import pytest

gdal = pytest.importorskip("osgeo.gdal")
ogr = pytest.importorskip("osgeo.ogr")

from mapillary_qgis.client import Client  # noqa: E402
from mapillary_qgis.core import mvt_arrow  # noqa: E402
from mapillary_qgis.core.mvt_decode import decode_tile  # noqa: E402
from mapillary_qgis.core.records import SequenceRecord  # noqa: E402
from mapillary_qgis.core.tilemath import tile_bounds_lonlat  # noqa: E402
from mapillary_qgis.core.tilesets import tile_url  # noqa: E402
from tests.fake_mapillary import mvt  # noqa: E402
from tests.fake_mapillary.dataset import DEMO_TILES  # noqa: E402

pytestmark = pytest.mark.skipif(not mvt_arrow.ENABLED, reason="this GDAL has no Arrow stream (GDAL < 3.6) or no numpy")

REAL_TILE = "mly1_public_unknown-zxy_10231-images.mvt"
BLANK_TILE = "mly1_public_14_3252_6258_blank-properties.mvt"
ANYWHERE = (14, 3252, 6258)

def decode_with(arrow: bool, data, *address):
    previous = mvt_arrow.ENABLED
    mvt_arrow.ENABLED = arrow
    try:
        return decode_tile(data, *address)
    finally:
        mvt_arrow.ENABLED = previous


def test_both_readers_give_the_same_records(fake, fixtures_dir):
    client = Client(fake.token, graph_url=fake.graph_url, tiles_url=fake.tiles_url, max_retries=0)
    real_tile = (fixtures_dir / "tiles" / REAL_TILE).read_bytes()
    tiles = [(real_tile, ANYWHERE), ((fixtures_dir / "tiles" / BLANK_TILE).read_bytes(), (14, 3252, 6258))]
    tiles += [(client.get(tile_url(client.tiles_url, tileset, z, x, y)).content, (z, x, y))
              for tileset in ("mly1_public", "mly_map_feature_point", "mly_map_feature_traffic_sign")
              for z, x, y in DEMO_TILES]
    compared = 0
    for data, address in tiles:
        fast, slow = decode_with(True, data, *address), decode_with(False, data, *address)
        assert fast.keys() == slow.keys()
        for name in fast:
            assert len(fast[name]) == len(slow[name]), name
            for a, b in zip(fast[name], slow[name]):
                assert a == b and type(a) is type(b)  # to the last bit of every coordinate
                compared += not isinstance(a, SequenceRecord)
    assert compared > 10_000


def both(layers, z=14, x=7776, y=6278):
    data = mvt.encode_tile(layers, z, x, y)
    fast, slow = decode_with(True, data, z, x, y), decode_with(False, data, z, x, y)
    assert fast == slow
    return fast


def inside(fx, fy, z=14, x=7776, y=6278):
    west, south, east, north = tile_bounds_lonlat(z, x, y)
    return west + (east - west) * fx, north - (north - south) * fy


def test_property_names_in_another_case_are_read_alike():
    records = both({"image": [(inside(0.2, 0.2), {"ID": 11, "Captured_At": 1436622890000}),
                              (inside(0.4, 0.4), {"ID": 12})]})["image"]
    assert [(r.id, r.captured_at) for r in records] == [(11, 1436622890000), (12, 0)]


def test_bytes_that_are_not_utf8_are_read_alike():
    data = mvt.encode_tile({"image": [(inside(0.2, 0.2), {"id": 11, "sequence_id": "QQZZ"})]}, 14, 7776, 6278)
    data = data.replace(b"QQZZ", b"ab\xff\xfe")  # same length: the protobuf stays valid
    fast, slow = decode_with(True, data, 14, 7776, 6278), decode_with(False, data, 14, 7776, 6278)
    assert fast == slow and fast["image"][0].sequence_id == "ab\ufffd\ufffd"


def test_a_multipoint_in_the_layer_keeps_the_single_points():
    records = both({"image": [(inside(0.2, 0.2), {"id": 1}), (inside(0.3, 0.3), {"id": 2}),
                              ([inside(0.5, 0.5), inside(0.6, 0.6)], {"id": 3})]})["image"]
    assert sorted(r.id for r in records) == [1, 2]  # the one with two points is not an image position


def test_a_failing_arrow_stream_falls_back(monkeypatch, fixtures_dir):
    def broken(*args, **kwargs):
        raise Exception("GetArrowStream() failed")  # what GDAL 3.6 raises

    data = (fixtures_dir / "tiles" / REAL_TILE).read_bytes()
    expected = decode_with(False, data, *ANYWHERE)
    monkeypatch.setattr(ogr.Layer, "GetArrowStreamAsNumPy", broken)
    assert decode_with(True, data, *ANYWHERE) == expected


def test_the_arrow_reader_takes_the_real_tile(fixtures_dir):
    """Guards the speed: the dense real tile must not fall back to the per-feature reader."""
    real_tile = (fixtures_dir / "tiles" / REAL_TILE).read_bytes()
    path = "/vsimem/test_core_decode_arrow.mvt"
    gdal.FileFromMemBuffer(path, real_tile)
    try:
        dataset = gdal.OpenEx(path, gdal.OF_VECTOR, allowed_drivers=["MVT"], open_options=["X=0", "Y=0", "Z=14"])
        tile = type("Tile", (), {"owns": staticmethod(lambda xs, ys: xs == xs)})()  # owns every point
        rows = mvt_arrow.arrow_points(dataset.GetLayerByName("image"), tile, {"id": int, "captured_at": int}, {})
        dataset = None
    finally:
        gdal.Unlink(path)
    assert rows is not None and len(list(rows)) == 10_231

