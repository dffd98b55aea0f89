"""TileSource against the fake Mapillary over real HTTP: de-duplication, cache, failures, cancellation."""

import logging
import math
import threading
import time

import pytest

pytest.importorskip("osgeo.gdal")

from mapillary_qgis.client import Client  # noqa: E402
from mapillary_qgis.core.mvt_decode import TileDecodeError  # noqa: E402
from mapillary_qgis.core.records import SequenceRecord  # noqa: E402
from mapillary_qgis.core.tile_cache import TileCache  # noqa: E402
from mapillary_qgis.core.tile_source import AreaTooLargeError, TileSource  # noqa: E402
from mapillary_qgis.core.tilemath import lonlat_to_mercator  # noqa: E402
from mapillary_qgis.errors import InvalidTokenError, RateLimitError  # noqa: E402
from tests.fake_mapillary.dataset import DEMO_BBOX, DEMO_CENTER, DEMO_TILES  # noqa: E402
from tests.fake_mapillary.tilemath import in_bbox, tile_for  # noqa: E402
from tests.threads import errors_in_threads

TILESET = "mly1_public"
LAYERS = ["image", "sequence"]
CX, CY = tile_for(*DEMO_CENTER, 14)
BIG_BLOCK = [(14, x, y) for y in range(CY - 2, CY + 3) for x in range(CX - 2, CX + 3)]  # 25 tiles


@pytest.fixture
def client(fake):
    Client.set_token(None)
    return Client(fake.token, graph_url=fake.graph_url, tiles_url=fake.tiles_url, max_retries=0)


@pytest.fixture
def cache(tmp_path):
    return TileCache(tmp_path / "tiles")


@pytest.fixture
def source(client, cache):
    return TileSource(client, cache)


def tile_requests(fake):
    return [r for r in fake.requests if r.host == "tiles"]


def length(points):
    """Length of a lon/lat line in Mercator metres."""
    xy = [lonlat_to_mercator(*p) for p in points]
    return sum(math.dist(a, b) for a, b in zip(xy, xy[1:]))


def timed(function, *args, **kwargs):
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - started


def test_demo_block_gives_each_image_once(fake, source):
    result, cold = timed(source.load, TILESET, DEMO_TILES, LAYERS)
    assert not result.failures and not result.cancelled and result.fatal is None
    assert result.tiles == DEMO_TILES and result.requested == 9 and result.from_cache == 0
    images = result.records["image"]
    inside = {i.id for i in fake.dataset.images if in_bbox(i.lon, i.lat, DEMO_BBOX)}
    assert len(images) == len({r.id for r in images}) == len(inside)
    assert {r.id for r in images} == inside
    sequences = result.records["sequence"]
    assert len(sequences) == len({s.id for s in sequences}) == len(fake.dataset.sequences)
    spanning = [s for s in sequences if len(s.parts) > 1]
    assert spanning and all(isinstance(s, SequenceRecord) for s in sequences)
    for record in sequences:  # clipped parts from adjacent tiles neither overlap nor leave gaps
        sequence = fake.dataset.sequence(record.id)
        line = [(fake.dataset.image(i).lon, fake.dataset.image(i).lat) for i in sequence.image_ids]
        assert sum(length(part) for part in record.parts) == pytest.approx(length(line), abs=2.0)
    _, cached = timed(source.load, TILESET, DEMO_TILES, LAYERS)
    print(f"3x3 demo block: {cold * 1000:.0f} ms cold, {cached * 1000:.0f} ms cached")


def test_each_tile_handed_on_as_it_comes(fake, source):
    seen = []
    threads = set()

    def on_tile(tile, decoded):
        seen.append((tile, decoded))
        threads.add(threading.get_ident())

    result = source.load(TILESET, DEMO_TILES, ["image"], on_tile=on_tile)
    assert sorted(tile for tile, _ in seen) == sorted(DEMO_TILES) and sorted(result.tiles) == sorted(DEMO_TILES)
    assert threads == {threading.get_ident()}  # the calling thread, never a worker
    assert result.records == {}  # handed on, not kept
    images = [r for _, decoded in seen for r in decoded["image"]]
    inside = {i.id for i in fake.dataset.images if in_bbox(i.lon, i.lat, DEMO_BBOX)}
    assert len(images) == len(inside) and {r.id for r in images} == inside  # each point in the tile owning it


def test_meanwhile_runs_once_in_the_calling_thread_while_the_tiles_travel(fake, source):
    fake.inject("slow", host="tiles", count=None, delay=0.3)
    calls = []

    def meanwhile():
        calls.append(threading.get_ident())

    arrived = []
    result = source.load(TILESET, DEMO_TILES, ["image"], on_tile=lambda tile, _d: arrived.append(len(calls)),
                         meanwhile=meanwhile)
    assert calls == [threading.get_ident()]
    assert sorted(result.tiles) == sorted(DEMO_TILES)
    assert arrived and all(count == 1 for count in arrived)  # before the first tile was handed on


def test_an_error_in_meanwhile_stops_the_load(fake, source):
    fake.inject("slow", host="tiles", count=None, delay=0.3)

    def meanwhile():
        raise KeyError("no output")

    with pytest.raises(KeyError):
        source.load(TILESET, DEMO_TILES, ["image"], meanwhile=meanwhile)
    assert source.load(TILESET, DEMO_TILES[:1], ["image"]).tiles == DEMO_TILES[:1]  # the source still works


def test_requests_in_flight_when_the_source_closes_end_quietly(fake, client, cache, caplog):
    fake.inject("slow", host="tiles", count=None, delay=0.3)
    source = TileSource(client, cache)

    def meanwhile():
        raise KeyError("no output")

    with caplog.at_level(logging.DEBUG, logger="mapillary_qgis"), pytest.raises(KeyError):
        source.load(TILESET, DEMO_TILES, ["image"], meanwhile=meanwhile)
    source.close()  # while the nine requests are still on their way
    time.sleep(0.6)  # they arrive now, and find the decoders shut down
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING], caplog.text


def test_meanwhile_does_not_run_for_nothing_or_when_cancelled_first(source):
    calls = []
    source.load(TILESET, [], ["image"], meanwhile=lambda: calls.append(1))
    source.load(TILESET, DEMO_TILES, ["image"], cancelled=lambda: True, meanwhile=lambda: calls.append(1))
    assert calls == []


def test_only_requested_layers_and_map_features(fake, source):
    result = source.load(TILESET, DEMO_TILES, ["sequence"])
    assert list(result.records) == ["sequence"]
    everything = source.load("mly_map_feature_traffic_sign", DEMO_TILES)
    assert list(everything.records) == ["traffic_sign"]
    assert len(everything.records["traffic_sign"]) == sum(1 for f in fake.dataset.traffic_signs if f.lonlat)


def test_load_bbox(source):
    by_box = source.load_bbox(TILESET, DEMO_BBOX, LAYERS)
    by_tiles = source.load(TILESET, DEMO_TILES, LAYERS)
    assert sorted(by_box.tiles) == sorted(DEMO_TILES)
    assert {r.id for r in by_box.records["image"]} == {r.id for r in by_tiles.records["image"]}
    with pytest.raises(AreaTooLargeError) as info:
        source.load_bbox(TILESET, (-10.0, 38.0, -8.0, 40.0), LAYERS, max_tiles=100)
    assert info.value.message.startswith("The area is too large: ")
    assert info.value.message.endswith("tiles at zoom 14 (at most 100). Zoom in or choose a smaller area.")


def test_unknown_tileset_is_refused(source):
    with pytest.raises(ValueError):
        source.load("../../etc", DEMO_TILES, LAYERS)


def test_second_load_makes_no_requests(fake, source, cache, tmp_path):
    first = source.load(TILESET, DEMO_TILES, LAYERS)
    before = len(tile_requests(fake))
    second = source.load(TILESET, DEMO_TILES, LAYERS)
    assert len(tile_requests(fake)) == before
    assert second.from_cache == 9 and second.requested == 0
    assert second.records == first.records
    for path in (tmp_path / "tiles").rglob("*"):  # bytes and tile numbers only: no token, no URL
        assert "access_token" not in path.name and "MLY" not in path.name
        if path.is_file():
            assert fake.token.encode() not in path.read_bytes() and b"http" not in path.read_bytes()


def test_fetch_returns_checked_bytes(fake, client, cache):
    source = TileSource(client, cache)
    direct = client.get(f"{fake.tiles_url}/maps/vtp/{TILESET}/2/14/{CX}/{CY}").content
    result = source.fetch(TILESET, DEMO_TILES)
    assert set(result.data) == set(DEMO_TILES) and result.requested == 9
    assert result.data[(14, CX, CY)] == direct
    again = TileSource(client, cache).fetch(TILESET, DEMO_TILES)
    assert again.from_cache == 9 and again.requested == 0 and again.data == result.data
    uncached = TileSource(client).fetch(TILESET, [(14, CX, CY), (14, CX, CY)])  # duplicates asked once
    assert uncached.requested == 1 and uncached.data == {(14, CX, CY): direct}


def test_a_garbage_tile_fails_alone_and_is_not_cached(fake, source, cache):
    fake.inject("garbage", host="tiles", path_contains=f"/14/{CX}/{CY}")
    result = source.load(TILESET, DEMO_TILES, LAYERS)
    assert list(result.failures) == [(14, CX, CY)]
    assert isinstance(result.failures[(14, CX, CY)], TileDecodeError)
    assert len(result.tiles) == 8 and (14, CX, CY) not in result.tiles
    assert result.records["image"]
    assert cache.get(TILESET, 14, CX, CY) is None
    again = source.load(TILESET, DEMO_TILES, LAYERS)  # the fault was for one request
    assert not again.failures and again.requested == 1 and again.from_cache == 8


def test_garbage_in_the_cache_is_dropped_and_fetched_again(source, cache):
    cache.put(TILESET, 14, CX, CY, b"\xff not a tile")
    result = source.load(TILESET, [(14, CX, CY)], LAYERS)
    assert not result.failures and result.requested == 1 and result.from_cache == 0
    assert cache.get(TILESET, 14, CX, CY)[:1] == b"\x1a"
    garbage = TileSource(source.client, cache)
    cache.put(TILESET, 14, CX, CY, b"\xff again")
    assert garbage.fetch(TILESET, [(14, CX, CY)]).data[(14, CX, CY)] == b"\xff again"  # fetch trusts the cache


def test_rate_limited_tile_is_a_failure_of_its_own(fake, source):
    fake.inject("rate_limit", host="tiles", path_contains=f"/14/{CX}/{CY}", status=429)
    result = source.load(TILESET, DEMO_TILES, LAYERS)
    assert list(result.failures) == [(14, CX, CY)]
    assert isinstance(result.failures[(14, CX, CY)], RateLimitError)
    assert result.fatal is None and len(result.tiles) == 8


def test_invalid_token_stops_the_whole_fetch(fake, client):
    fake.inject("invalid_token", host="tiles", count=None)
    source = TileSource(client, None, max_workers=4)
    result = source.load(TILESET, BIG_BLOCK, LAYERS)
    assert isinstance(result.fatal, InvalidTokenError)
    assert list(result.failures.values()) == [result.fatal]  # recorded once
    assert result.tiles == [] and result.records == {"image": [], "sequence": []}
    time.sleep(0.2)  # requests already in flight may still arrive
    assert 1 <= len(tile_requests(fake)) <= 4
    assert result.requested <= 4


def test_cancel_from_the_progress_callback(fake, client):
    fake.inject("slow", host="tiles", count=None, delay=0.3)
    event = threading.Event()
    calls = []

    def progress(done, total):
        calls.append((done, total))
        event.set()

    result, elapsed = timed(TileSource(client).load, TILESET, BIG_BLOCK, LAYERS, cancelled=event, progress=progress)
    assert result.cancelled
    assert calls[0] == (1, 25) and len(result.tiles) < 25
    assert elapsed < 1.5
    time.sleep(0.5)
    assert len(tile_requests(fake)) < 25  # queued tiles were never requested


def test_cancel_returns_promptly_despite_hanging_requests(fake, client):
    fake.inject("hang", host="tiles", count=None)
    flag = []
    threading.Timer(0.3, flag.append, args=(True,)).start()
    result, elapsed = timed(TileSource(client).load, TILESET, DEMO_TILES, LAYERS, cancelled=lambda: bool(flag))
    assert result.cancelled and result.tiles == [] and not result.failures
    assert elapsed < 1.3


def test_cancelled_before_start_requests_nothing(fake, source):
    event = threading.Event()
    event.set()
    result = source.load(TILESET, DEMO_TILES, LAYERS, cancelled=event)
    assert result.cancelled and result.requested == 0 and tile_requests(fake) == []


def test_progress_counts_every_tile(source):
    calls = []
    source.load(TILESET, DEMO_TILES, LAYERS, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(n, 9) for n in range(1, 10)]


def test_loads_from_two_threads_at_once(fake, client, cache):
    expected = TileSource(client).load(TILESET, BIG_BLOCK, LAYERS)
    source = TileSource(client, cache)
    results = []
    errors = errors_in_threads(lambda _: results.append(source.load(TILESET, BIG_BLOCK, LAYERS)), 2)
    assert not errors and len(results) == 2
    for result in results:
        assert not result.failures
        assert result.records == expected.records
