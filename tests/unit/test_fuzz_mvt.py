"""Fuzz: broken MVT bytes give records or `TileDecodeError`, never a crash, through `decode_tile` and `TileSource`.

The inputs start from real tiles written by GDAL's MVT driver (the fake's
tiles): bit flips, truncations, splices of two tiles, random insertions,
random bytes, empty bytes and huge varints. Hypothesis runs a fixed number
of examples, derandomized, so a failure reproduces; the pipeline test uses a
seeded `random.Random` for the same reason.
"""

import logging
import random

import pytest

pytest.importorskip("osgeo.gdal")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from mapillary_qgis.client import Client  # noqa: E402
from mapillary_qgis.core.mvt_decode import LAYERS, TileDecodeError, decode_tile  # noqa: E402
from mapillary_qgis.core.records import ImageRecord, MapFeatureRecord, SequenceRecord  # noqa: E402
from mapillary_qgis.core.tile_cache import TileCache  # noqa: E402
from mapillary_qgis.core.tile_source import TileSource  # noqa: E402
from tests.fake_mapillary.dataset import DEMO_CENTER, DemoDataset  # noqa: E402
from tests.fake_mapillary.tilemath import tile_for  # noqa: E402
from tests.fake_mapillary.tiles import TileSource as FakeTiles  # noqa: E402

CX, CY = tile_for(*DEMO_CENTER, 14)
TILE = (14, CX, CY)
FUZZ = settings(max_examples=300, derandomize=True, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
RECORD_TYPES = {"overview": ImageRecord, "image": ImageRecord, "sequence": SequenceRecord,
                "point": MapFeatureRecord, "traffic_sign": MapFeatureRecord}
# Protobuf pieces: a layer (field 3, length-delimited) whose length varint never ends or is enormous.
HUGE_VARINTS = (
    b"\x1a" + b"\xff" * 20,  # a varint longer than 64 bits
    b"\x1a" + b"\xff" * 9 + b"\x01",  # a length of 2**64 - 1
    b"\x1a\xff\xff\xff\xff\x0f",  # a length of 2**32 - 1
    b"\x1a\x80\x80\x80\x80\x80\x80\x80\x80\x80",  # a varint cut off
    b"\x1a\x06\x78\xff\xff\xff\xff\x0f",  # a layer whose version is 2**32 - 1
    b"\x1a\x0c\x12\x0a\x18\x01\x22\x06\x09\xff\xff\xff\xff\x0f",  # a point: one enormous coordinate, no second
)


def fake_tiles():
    tiles = FakeTiles(DemoDataset())
    return {
        "images": tiles.tile("mly1_public", *TILE),
        "computed": tiles.tile("mly1_computed_public", *TILE),
        "signs": tiles.tile("mly_map_feature_traffic_sign", *TILE),
        "overview": tiles.tile("mly1_public", 5, *tile_for(*DEMO_CENTER, 5)),
    }


REAL = fake_tiles()
SOURCES = sorted(REAL)


def check_records(decoded, layers):
    """A valid answer: known layers only, records of the layer's type, each id once."""
    assert isinstance(decoded, dict)
    assert set(decoded) <= set(layers)
    for name, records in decoded.items():
        assert all(type(r) is RECORD_TYPES[name] for r in records), name
        ids = [r.id for r in records]
        assert len(ids) == len(set(ids)), f"{name}: an id twice"


def decode_or_error(data, layers=None, tile=TILE):
    """`decode_tile`, which may only answer records or raise `TileDecodeError`."""
    try:
        decoded = decode_tile(data, *tile, layers)
    except TileDecodeError as exc:
        assert str(tile[1]) in str(exc)
        return None
    check_records(decoded, LAYERS if layers is None else layers)
    return decoded


# -- mutations -----------------------------------------------------------------------------


def flip_bits(data, positions):
    mutated = bytearray(data)
    for position in positions:
        mutated[position % len(mutated)] ^= 1 << (position % 8)
    return bytes(mutated)


def splice(first, second, cut_first, cut_second):
    return first[: cut_first % (len(first) + 1)] + second[cut_second % (len(second) + 1):]


def insert(data, where, piece):
    where %= len(data) + 1
    return data[:where] + piece + data[where:]


@st.composite
def mutated_tiles(draw):
    data = REAL[draw(st.sampled_from(SOURCES))]
    how = draw(st.sampled_from(["flip", "truncate", "splice", "insert", "huge_varint"]))
    if how == "flip":
        return flip_bits(data, draw(st.lists(st.integers(0, 8 * len(data)), min_size=1, max_size=8)))
    if how == "truncate":
        return data[: draw(st.integers(0, len(data)))]
    if how == "splice":
        other = REAL[draw(st.sampled_from(SOURCES))]
        return splice(data, other, draw(st.integers(0, len(data))), draw(st.integers(0, len(other))))
    if how == "insert":
        return insert(data, draw(st.integers(0, len(data))), draw(st.binary(min_size=1, max_size=16)))
    return insert(data, draw(st.integers(0, len(data))), draw(st.sampled_from(HUGE_VARINTS)))


LAYER_CHOICES = st.one_of(st.none(), st.lists(st.sampled_from(LAYERS), unique=True))


# -- decode_tile --------------------------------------------------------------------------


def test_the_unmutated_tiles_decode():
    for name, data in REAL.items():
        tile = (5, *tile_for(*DEMO_CENTER, 5)) if name == "overview" else TILE
        assert decode_or_error(data, tile=tile), name


def test_empty_bytes_are_an_empty_tile():
    assert decode_tile(b"", *TILE) == {}


@FUZZ
@given(data=mutated_tiles(), layers=LAYER_CHOICES)
def test_mutated_tiles_decode_or_raise_tile_decode_error(data, layers):
    decode_or_error(data, layers)


@FUZZ
@given(data=st.binary(max_size=4096), layers=LAYER_CHOICES)
def test_random_bytes_decode_or_raise_tile_decode_error(data, layers):
    decode_or_error(data, layers)


@settings(FUZZ, max_examples=60)
@given(piece=st.sampled_from(HUGE_VARINTS), repeat=st.integers(1, 3))
def test_huge_varints_alone(piece, repeat):
    decode_or_error(piece * repeat)


# -- the tile pipeline --------------------------------------------------------------------


def mutations(rng, count):
    """`count` broken tiles made with a seeded generator (the same every run)."""
    made = []
    for _ in range(count):
        data = REAL[rng.choice(SOURCES)]
        how = rng.randrange(5)
        if how == 0:
            made.append(flip_bits(data, [rng.randrange(8 * len(data)) for _ in range(rng.randint(1, 8))]))
        elif how == 1:
            made.append(data[: rng.randrange(len(data))])
        elif how == 2:
            other = REAL[rng.choice(SOURCES)]
            made.append(splice(data, other, rng.randrange(len(data)), rng.randrange(len(other))))
        elif how == 3:
            made.append(rng.randbytes(rng.randint(1, 2048)))
        else:
            made.append(insert(data, rng.randrange(len(data)), rng.choice(HUGE_VARINTS)))
    return made


def test_broken_tiles_through_the_tile_source_are_skipped_or_loaded(fake, tmp_path, caplog):
    """Each broken tile is served over HTTP and loaded: records, or a `TileDecodeError` in `failures`.

    Nothing unexpected is logged (the tile source turns any other exception into a failure, logged
    as an error: that would be a bug), and the disk cache keeps only tiles that decode.
    """
    caplog.set_level(logging.ERROR, logger="mapillary_qgis")
    client = Client(fake.token, graph_url=fake.graph_url, tiles_url=fake.tiles_url, max_retries=0)
    cache = TileCache(tmp_path / "tiles")
    source = TileSource(client, cache)
    loaded = failed = 0
    try:
        for data in mutations(random.Random(8), 40):
            fake.serve_tile_bytes("mly1_public", data)
            cache.clear()
            result = source.load("mly1_public", [TILE], ["image", "sequence"])
            if result.failures:
                assert list(result.failures) == [TILE] and result.tiles == []
                assert isinstance(result.failures[TILE], TileDecodeError)
                assert cache.get("mly1_public", *TILE) is None
                failed += 1
            else:
                assert result.tiles == [TILE]
                check_records(result.records, ["image", "sequence"])
                assert cache.get("mly1_public", *TILE) in (data, None)  # empty tiles need no file
                loaded += 1
    finally:
        source.close()
    assert loaded and failed, (loaded, failed)
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
