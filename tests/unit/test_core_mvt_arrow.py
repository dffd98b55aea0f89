"""The Arrow column reader of MVT points agrees with the per-feature reader, and really is used."""

import pytest

gdal = pytest.importorskip("osgeo.gdal")

from mapillary_qgis.client import Client  # noqa: E402
from mapillary_qgis.core import mvt_arrow  # noqa: E402
from mapillary_qgis.core.mvt_decode import decode_tile  # noqa: E402
from mapillary_qgis.core.records import SequenceRecord  # noqa: E402
from mapillary_qgis.core.tilesets import tile_url  # noqa: E402
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
                if isinstance(a, SequenceRecord):
                    assert a == b
                    continue
                assert (a.id, type(a)) == (b.id, type(b))
                assert a.lon == pytest.approx(b.lon, abs=1e-12) and a.lat == pytest.approx(b.lat, abs=1e-12)
                assert a[3:] == b[3:], name  # every property, exactly
                compared += 1
    assert compared > 10_000


def test_the_arrow_reader_takes_the_real_tile(fixtures_dir):
    """Guards the speed: the dense real tile must not fall back to the per-feature reader."""
    real_tile = (fixtures_dir / "tiles" / REAL_TILE).read_bytes()
    path = "/vsimem/test_core_decode_arrow.mvt"
    gdal.FileFromMemBuffer(path, real_tile)
    try:
        dataset = gdal.OpenEx(path, gdal.OF_VECTOR, allowed_drivers=["MVT"], open_options=["X=0", "Y=0", "Z=14"])
        tile = type("Tile", (), {"min_x": -1e9, "max_y": 1e9, "size": 2e9})()  # owns everything
        rows = mvt_arrow.arrow_points(dataset.GetLayerByName("image"), tile, {"id": int, "captured_at": int}, 0.0, {})
        dataset = None
    finally:
        gdal.Unlink(path)
    assert rows is not None and len(rows) == 10_231
