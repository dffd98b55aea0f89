"""MVT decoding with GDAL into exact records: demo tiles over HTTP, and the real captures.

Every test runs twice: with the Arrow column reader (GDAL >= 3.6) and with the
per-feature reader that older GDAL uses and that blank tiles always take.
"""

import time

import pytest

gdal = pytest.importorskip("osgeo.gdal")
ogr = pytest.importorskip("osgeo.ogr")

from mapillary_qgis.client import Client  # noqa: E402
from mapillary_qgis.core import mvt_arrow  # noqa: E402
from mapillary_qgis.core.mvt_decode import TileDecodeError, decode_tile  # noqa: E402
from mapillary_qgis.core.records import ImageRecord, MapFeatureRecord, SequenceRecord  # noqa: E402
from mapillary_qgis.core.tilemath import tile_bounds_lonlat, tile_for  # noqa: E402
from mapillary_qgis.core.tilesets import tile_url  # noqa: E402
from mapillary_qgis.errors import MapillaryError  # noqa: E402
from tests.fake_mapillary import mvt  # noqa: E402
from tests.fake_mapillary.dataset import DEMO_BBOX, DEMO_CENTER, DEMO_TILES  # noqa: E402
from tests.fake_mapillary.pbf import read_varint  # noqa: E402
from tests.fake_mapillary.tilemath import in_bbox  # noqa: E402
from tests.threads import errors_in_threads  # noqa: E402

REAL_TILE = "mly1_public_unknown-zxy_10231-images.mvt"
BLANK_TILE = "mly1_public_14_3252_6258_blank-properties.mvt"
ANYWHERE = (14, 3252, 6258)  # the 10,231-image capture's address is unknown: any z14 address will do
QUANTUM = 1e-5  # degrees; one MVT grid step at z14 is about 0.6 m


@pytest.fixture(autouse=True, params=["arrow", "per-feature"])
def reader(request, monkeypatch):
    """Which point reader decodes: the Arrow columns where this GDAL has them, else feature by feature."""
    if request.param == "arrow" and not mvt_arrow.ENABLED:
        pytest.skip("this GDAL has no Arrow stream (GDAL < 3.6) or numpy is missing")
    monkeypatch.setattr(mvt_arrow, "ENABLED", request.param == "arrow")
    return request.param


@pytest.fixture
def client(fake):
    return Client(fake.token, graph_url=fake.graph_url, tiles_url=fake.tiles_url, max_retries=0)


def get_tile(client, tileset, z, x, y):
    return client.get(tile_url(client.tiles_url, tileset, z, x, y)).content


@pytest.fixture(scope="module")
def real_tile(fixtures_dir):
    return (fixtures_dir / "tiles" / REAL_TILE).read_bytes()


def gdal_images(data):
    """An independent read: `{id: feature dict}` of the image layer, with GDAL alone."""
    path = "/vsimem/test_core_decode_independent.mvt"
    gdal.FileFromMemBuffer(path, data)
    try:
        dataset = gdal.OpenEx(path, gdal.OF_VECTOR, allowed_drivers=["MVT"])
        layer = dataset.GetLayerByName("image")
        index = layer.GetLayerDefn().GetFieldIndex("id")
        result = {}
        for feature in layer:
            result[feature.GetFieldAsInteger64(index)] = feature.items()
        dataset = None
        return result
    finally:
        gdal.Unlink(path)


# -- the fake's tiles, fetched over HTTP ----------------------------------------------


def test_demo_tiles_give_exact_images(fake, client):
    expected = {i.id: i for i in fake.dataset.images if in_bbox(i.lon, i.lat, DEMO_BBOX)}
    seen = {}
    for z, x, y in DEMO_TILES:
        layers = decode_tile(get_tile(client, "mly1_public", z, x, y), z, x, y)
        assert set(layers) == {"sequence", "image"}
        for record in layers["image"]:
            assert isinstance(record, ImageRecord)
            assert record.id not in seen, "an image in two tiles: the tile buffer leaked through"
            seen[record.id] = record
    assert set(seen) == set(expected)
    assert min(seen) > 2**31
    for image_id, record in seen.items():
        image = expected[image_id]
        assert record.captured_at == image.captured_at
        assert (record.lon, record.lat) == pytest.approx((image.lon, image.lat), abs=QUANTUM)
        assert record.compass_angle == pytest.approx(image.compass_angle)
        assert record.sequence_id == image.sequence_id
        assert record.is_pano is image.is_pano
        assert record.creator_id == image.creator.id
        assert record.organization_id == (image.organization.id if image.organization else None)
    assert sum(1 for r in seen.values() if r.captured_at == 0) == 2


def test_each_point_belongs_to_one_tile_although_buffers_repeat_it(fake, client):
    raw_ids = []
    for z, x, y in DEMO_TILES:
        raw_ids.extend(gdal_images(get_tile(client, "mly1_public", z, x, y)))
    assert len(raw_ids) > len(set(raw_ids)), "the demo tiles should repeat images in their buffers"
    west, south, east, north = tile_bounds_lonlat(*DEMO_TILES[4])
    for record in decode_tile(get_tile(client, "mly1_public", *DEMO_TILES[4]), *DEMO_TILES[4])["image"]:
        assert west <= record.lon < east and south < record.lat <= north


def test_point_on_a_shared_edge_is_kept_by_one_tile_only():
    z, x, y = 14, *tile_for(*DEMO_CENTER, 14)
    west, south, east, north = tile_bounds_lonlat(z, x, y)
    corner = {"id": 2**53 + 1, "captured_at": 1, "sequence_id": "s"}  # on the east edge, at the north-east corner
    middle = {"id": 2**53 + 2, "captured_at": 2, "sequence_id": "s"}  # on the south edge
    points = [((east, north), corner), (((west + east) / 2, south), middle)]
    owners = {}
    for tx in (x - 1, x, x + 1):
        for ty in (y - 1, y, y + 1):
            data = mvt.encode_tile({"image": points}, z, tx, ty)
            for record in decode_tile(data, z, tx, ty).get("image", []):
                owners.setdefault(record.id, []).append((tx, ty))
    assert owners == {2**53 + 1: [(x + 1, y)], 2**53 + 2: [(x, y + 1)]}


def test_sequences_are_clipped_to_the_tile(fake, client):
    parts_by_tile = {}
    for z, x, y in DEMO_TILES:
        west, south, east, north = tile_bounds_lonlat(z, x, y)
        for record in decode_tile(get_tile(client, "mly1_public", z, x, y), z, x, y, layers=["sequence"])["sequence"]:
            assert isinstance(record, SequenceRecord) and record.parts
            for part in record.parts:
                assert len(part) >= 2
                for lon, lat in part:
                    assert west - 1e-9 <= lon <= east + 1e-9 and south - 1e-9 <= lat <= north + 1e-9
            parts_by_tile.setdefault(record.id, []).append((x, y))
    spanning = [sid for sid, tiles in parts_by_tile.items() if len(tiles) > 1]
    assert spanning, "the demo data has a sequence crossing a tile edge"


def test_layer_filter_and_overview_and_map_features(fake, client):
    z, x, y = DEMO_TILES[4]
    assert list(decode_tile(get_tile(client, "mly1_public", z, x, y), z, x, y, layers=["image"])) == ["image"]
    assert decode_tile(get_tile(client, "mly1_public", z, x, y), z, x, y, layers=[]) == {}
    ox, oy = tile_for(*DEMO_CENTER, 4)
    overview = decode_tile(get_tile(client, "mly1_public", 4, ox, oy), 4, ox, oy)["overview"]
    assert overview and all(isinstance(r, ImageRecord) and r.compass_angle is None for r in overview)
    assert {r.id for r in overview} <= {i.id for i in fake.dataset.images}
    for tileset, layer, features in (
        ("mly_map_feature_point", "point", fake.dataset.map_features),
        ("mly_map_feature_traffic_sign", "traffic_sign", fake.dataset.traffic_signs),
    ):
        by_id = {f.id: f for f in features}
        records = [r for t in DEMO_TILES for r in decode_tile(get_tile(client, tileset, *t), *t).get(layer, [])]
        assert len(records) == len({r.id for r in records}) == sum(1 for f in features if f.lonlat)
        for record in records:
            assert isinstance(record, MapFeatureRecord) and record.layer == layer
            feature = by_id[record.id]
            assert (record.value, record.first_seen_at, record.last_seen_at) == (
                feature.value, feature.first_seen_at, feature.last_seen_at
            )
            assert (record.lon, record.lat) == pytest.approx(feature.lonlat, abs=QUANTUM)


# -- the real captures -----------------------------------------------------------------


def test_real_tile_has_every_image_exactly(real_tile):
    started = time.perf_counter()
    layers = decode_tile(real_tile, *ANYWHERE)
    elapsed = time.perf_counter() - started
    print(f"decoded the 10,231-image tile in {elapsed * 1000:.0f} ms")
    assert elapsed < 1.0
    images = layers["image"]
    independent = gdal_images(real_tile)
    assert len(images) == len({r.id for r in images}) == len(independent) == 10231
    assert {r.id for r in images} == set(independent)
    assert sum(1 for r in images if r.captured_at == 0) == 4
    assert sum(1 for r in images if r.organization_id is not None) == 2410
    for record in images:
        raw = independent[record.id]
        assert record.captured_at == raw["captured_at"]
        assert record.creator_id == raw["creator_id"]
        assert record.organization_id == raw["organization_id"]  # None where the key is absent, never 0
        assert record.is_pano is bool(raw["is_pano"])
        assert record.sequence_id == raw["sequence_id"]
    assert len(layers["sequence"]) == 222


def test_blank_properties_tile_does_not_crash(fixtures_dir):
    layers = decode_tile((fixtures_dir / "tiles" / BLANK_TILE).read_bytes(), 14, 3252, 6258)
    assert layers["image"] == []  # every image id is blank: nothing to identify them by
    sequences = layers["sequence"]
    assert len(sequences) == 70 and all(s.id for s in sequences)
    assert all(s.image_id is None and s.captured_at is None and s.is_pano is None for s in sequences)
    assert all(s.organization_id is None and s.creator_id is None for s in sequences)


def test_decoding_is_thread_safe(real_tile):
    expected = decode_tile(real_tile, *ANYWHERE)
    results = []

    def work(_):
        for _ in range(2):
            results.append(decode_tile(real_tile, *ANYWHERE))

    errors = errors_in_threads(work, 3)
    assert not errors and len(results) == 6
    assert all(result == expected for result in results)
    assert gdal.ReadDir("/vsimem/mapillary_qgis") in (None, [])  # every temporary file was unlinked


# -- bad bytes ---------------------------------------------------------------------------


def test_empty_bytes_are_an_empty_tile():
    assert decode_tile(b"", 14, 1, 2) == {}


GARBAGE = [b"\xff" + bytes(range(256)) * 2, b"<html>Server error</html>", b"\x1a", b"\x1a\x05ab"]


@pytest.mark.parametrize("data", GARBAGE)
def test_garbage_raises_a_plain_error_quietly(data, capfd):
    with pytest.raises(TileDecodeError) as info:
        decode_tile(data, 14, 7, 9)
    assert isinstance(info.value, MapillaryError)
    assert info.value.message == "A Mapillary tile could not be read (14/7/9); it was skipped."
    assert capfd.readouterr().err == ""  # GDAL's own messages do not reach stderr


def test_truncated_tile(real_tile):
    """Cut inside a layer: an error. Cut exactly between layers: a smaller valid tile (MVT can't tell)."""
    for cut in (10, 1000, len(real_tile) // 2, len(real_tile) - 1):
        with pytest.raises(TileDecodeError):
            decode_tile(real_tile[:cut], *ANYWHERE)
    assert real_tile[0] == 0x1A  # field 3 (layers), length-delimited
    length, start = read_varint(real_tile, 1)
    partial = decode_tile(real_tile[: start + length], *ANYWHERE)
    assert list(partial) == ["sequence"] and len(partial["sequence"]) == 222


def test_works_when_the_bindings_raise_exceptions(real_tile):
    """QGIS or another plugin may turn GDAL exceptions on for the whole process."""
    was_gdal, was_ogr = gdal.GetUseExceptions(), ogr.GetUseExceptions()
    gdal.UseExceptions()
    ogr.UseExceptions()
    try:
        assert len(decode_tile(real_tile, *ANYWHERE)["image"]) == 10231
        with pytest.raises(TileDecodeError):
            decode_tile(b"\xff\x00garbage", *ANYWHERE)
        damaged = bytearray(real_tile)
        damaged[300000:300050] = b"\xff" * 50  # inside the image layer: GDAL complains but opens the tile
        with pytest.raises(TileDecodeError):
            decode_tile(bytes(damaged), *ANYWHERE)
    finally:  # in reverse order: the bindings keep a stack
        if not was_ogr:
            ogr.DontUseExceptions()
        if not was_gdal:
            gdal.DontUseExceptions()

