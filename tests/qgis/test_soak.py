"""Soak: about 1,000 tile requests with 10 % faults, through the layers' tile pipeline and through Processing.

The fake serves a wide area (26 × 24 z14 tiles around Lisbon, one short
sequence in each tile, GDAL-written tiles). A seeded plan gives some tiles
faults for their first requests: timeouts, HTML and JSON 500s, 503, 403 with
error code 4, 429 with `Retry-After: 0` (retried at once) or 30 s (beyond the
client's `max_wait`: given up at once), truncated bodies. Runs of up to four
faults make some tiles fail for good, after exactly 1 + `max_retries`
requests. The plan says, for each tile, how many requests the fake must see
and whether the tile loads; the test checks it to the request.

- Layers: `TileSource.load` over 624 tiles (about 700 requests), the path
  the exact layers take, and the records into a real exact layer.
- Processing: `mapillary:images` via `processing.run` over a 17 × 17 block
  (about 320 requests). Its `Client` is the real one with short timeouts and
  backoff: the algorithm module's `Client` name is patched to a subclass
  that only changes those defaults.

Each run is compared with a fault-free run of the same pipeline: exactly the
ids of the tiles that loaded, none twice. Faulty runs take a few seconds:
the client's read timeout (1 s) for each timeout fault, and short backoffs.
"""

import random
import re
import shutil

import pytest
from qgis.core import QgsVectorLayer

from mapillary_qgis.client import Client
from mapillary_qgis.core.mvt_decode import decode_tile
from mapillary_qgis.core.session_store import SessionStore
from mapillary_qgis.core.tile_cache import TileCache
from mapillary_qgis.core.tile_source import TileSource
from mapillary_qgis.errors import ApiError, NetworkError, RateLimitError
from mapillary_qgis.processing import common
from mapillary_qgis.qgis_glue.exact_layers import exact_layer, merged_lines_wkb
from tests.fake_mapillary import FakeMapillary
from tests.fake_mapillary.dataset import DEMO_CENTER, DemoDataset
from tests.fake_mapillary.tilemath import tile_bounds, tile_for

from .test_processing import RecordingFeedback

SEED = 20240817
TILESET = "mly1_public"
CX, CY = tile_for(*DEMO_CENTER, 14)
LAYER_TILES = [(14, x, y) for y in range(CY - 12, CY + 12) for x in range(CX - 12, CX + 14)]  # 624
PROCESSING_TILES = [(14, x, y) for y in range(CY - 8, CY + 9) for x in range(CX - 8, CX + 9)]  # 289
FAULTY_TILE_SHARE = 0.08  # with runs of 1 to 4 faults: about 10 % of all requests fail
RUN_LENGTHS = (1, 1, 1, 2, 2, 4)
MAX_RETRIES = 3  # the Client's default, which the plugin and Processing use
READ_TIMEOUT_S = 1.0
# name: (fault kind and options for the fake, whether the client retries, the error the tile ends with)
FAULTS = {
    "timeout": (("slow", {"delay": 1.6}), False, NetworkError),
    "html_500": (("server_error_html", {}), True, ApiError),
    "json_500": (("server_error_json", {}), True, ApiError),
    "503": (("status", {"status": 503, "body": b"busy"}), True, ApiError),
    "rate_403": (("rate_limit", {"status": 403}), True, RateLimitError),
    "rate_429": (("rate_limit", {"status": 429, "retry_after": 0}), True, RateLimitError),
    "rate_429_long": (("rate_limit", {"status": 429, "retry_after": 30}), False, RateLimitError),
    "truncated": (("truncated", {}), True, NetworkError),
}


class ShortWaitClient(Client):
    """The real Client with a short read timeout and backoff (Processing builds its own with the defaults)."""

    def __init__(self, access_token=None, **kwargs):
        kwargs.setdefault("timeout", (5.0, READ_TIMEOUT_S))
        kwargs.setdefault("backoff", 0.02)
        kwargs.setdefault("max_wait", 1.0)
        super().__init__(access_token, **kwargs)


def fault_plan(tiles, rng):
    """{tile: [fault names of its first requests]} for the tiles that get faults."""
    plan = {}
    for tile in tiles:
        if rng.random() < FAULTY_TILE_SHARE:
            plan[tile] = [rng.choice(sorted(FAULTS)) for _ in range(rng.choice(RUN_LENGTHS))]
    return plan


def outcome(faults):
    """(requests the fake must see, the error the tile ends with or None) for a tile's run of faults."""
    for attempt in range(MAX_RETRIES + 1):
        if attempt == len(faults):
            return attempt + 1, None
        _, retried, error = FAULTS[faults[attempt]]
        if not retried or attempt == MAX_RETRIES:
            return attempt + 1, error
    raise AssertionError("unreachable")


def inject(fake, plan):
    for (z, x, y), faults in plan.items():
        for name in faults:
            (kind, options), _, _ = FAULTS[name]
            fake.inject(kind, host="tiles", count=1, path_contains=f"/{TILESET}/2/{z}/{x}/{y}?", **options)


def requests_per_tile(fake):
    counts = {}
    for request in fake.requests:
        z, x, y = (int(part) for part in request.path.rstrip("/").split("/")[-3:])
        counts[(z, x, y)] = counts.get((z, x, y), 0) + 1
    return counts


def check_requests(fake, tiles, plan):
    """Each tile was asked for exactly as often as the plan says, never more than 1 + max_retries times."""
    counts = requests_per_tile(fake)
    assert set(counts) == set(tiles)
    expected = {tile: outcome(plan.get(tile, []))[0] for tile in tiles}
    assert counts == expected
    assert max(counts.values()) <= 1 + MAX_RETRIES
    failed_requests = sum(min(len(plan[t]), counts[t]) for t in plan)
    share = failed_requests / sum(counts.values())
    print(f"{sum(counts.values())} requests, {failed_requests} faults ({share:.1%}), {len(plan)} faulty tiles")
    assert 0.06 <= share <= 0.14
    return sum(counts.values())


@pytest.fixture(scope="module")
def soak_fake():
    areas = [tile_bounds(*tile) for tile in LAYER_TILES]
    with FakeMapillary(dataset=DemoDataset(seed=SEED, areas=areas, sequence_length=(3, 6)), fixtures_dir=None) as fake:
        yield fake


@pytest.fixture(scope="module")
def ids_by_tile(soak_fake, tmp_path_factory):
    """{tile: (image ids, sequence ids)} decoded from each tile alone, fetched without faults."""
    client = Client(soak_fake.token, graph_url=soak_fake.graph_url, tiles_url=soak_fake.tiles_url)
    source = TileSource(client)
    try:
        fetched = source.fetch(TILESET, LAYER_TILES)
    finally:
        source.close()
    assert not fetched.failures and len(fetched.data) == len(LAYER_TILES)
    found = {}
    for tile, data in fetched.data.items():
        decoded = decode_tile(data, *tile, ["image", "sequence"])
        found[tile] = ({r.id for r in decoded["image"]}, {r.id for r in decoded["sequence"]})
    assert all(images for images, _ in found.values()), "every tile of the soak area holds images"
    return found


def union(ids_by_tile, tiles, which):
    return set().union(*(ids_by_tile[tile][which] for tile in tiles))


def test_layer_pipeline_soak(soak_fake, ids_by_tile, tmp_path):
    fake = soak_fake
    client = ShortWaitClient(fake.token, graph_url=fake.graph_url, tiles_url=fake.tiles_url)
    assert client.max_retries == MAX_RETRIES

    reference_source = TileSource(client, TileCache(tmp_path / "reference"))
    reference = reference_source.load(TILESET, LAYER_TILES, ["image", "sequence"])
    reference_source.close()
    assert not reference.failures and reference.tiles == LAYER_TILES
    reference_store = SessionStore.create(tmp_path / "mapillary-session-1-1.gpkg", merged_lines_wkb)
    reference_store.add("images", reference.records["image"])
    reference_layer = exact_layer("images", reference_store)
    reference_ids = [f["id"] for f in reference_layer.getFeatures()]
    assert sorted(reference_ids) == sorted(union(ids_by_tile, LAYER_TILES, 0))

    plan = fault_plan(LAYER_TILES, random.Random(SEED))
    fake.clear_requests()
    inject(fake, plan)
    source = TileSource(client, TileCache(tmp_path / "tiles"))
    try:
        result = source.load(TILESET, LAYER_TILES, ["image", "sequence"])
    finally:
        source.close()
        fake.clear_faults()
    total = check_requests(fake, LAYER_TILES, plan)
    assert 600 <= total <= 800

    # every tile ends loaded or in failures, with the error its last fault means
    expected_failures = {tile: outcome(faults)[1] for tile, faults in plan.items() if outcome(faults)[1]}
    assert not result.cancelled and result.fatal is None
    assert set(result.tiles).isdisjoint(result.failures)
    assert set(result.tiles) | set(result.failures) == set(LAYER_TILES)
    assert {tile: type(error) for tile, error in result.failures.items()} == expected_failures
    assert all(error.message and fake.token not in error.message for error in result.failures.values())

    # the exact layer holds each image of the loaded tiles once, and nothing else
    store = SessionStore.create(tmp_path / "mapillary-session-1-2.gpkg", merged_lines_wkb)
    store.add("images", result.records["image"])
    layer = exact_layer("images", store)
    ids = [f["id"] for f in layer.getFeatures()]
    assert len(ids) == len(set(ids)) == len(result.records["image"])  # the pipeline kept each image once
    assert set(ids) == union(ids_by_tile, result.tiles, 0) == set(reference_ids) - union(
        ids_by_tile, result.failures, 0)
    assert {s.id for s in result.records["sequence"]} == union(ids_by_tile, result.tiles, 1)


@pytest.fixture
def empty_tile_cache():
    """Processing's tile cache (the profile's) empty before and after: the soak's tiles are not the demo's."""
    shutil.rmtree(common.tile_cache_dir(), ignore_errors=True)
    yield common.tile_cache_dir()
    shutil.rmtree(common.tile_cache_dir(), ignore_errors=True)


def test_processing_soak(soak_fake, ids_by_tile, provider, empty_tile_cache, monkeypatch, tmp_path):
    import processing

    fake = soak_fake
    monkeypatch.setenv("MAPILLARY_GRAPH_URL", fake.graph_url)
    monkeypatch.setenv("MAPILLARY_TILES_URL", fake.tiles_url)
    monkeypatch.setenv("MAPILLARY_ACCESS_TOKEN", fake.token)
    monkeypatch.setattr(common, "Client", ShortWaitClient)
    west, _, _, north = tile_bounds(*PROCESSING_TILES[0])
    _, south, east, _ = tile_bounds(*PROCESSING_TILES[-1])
    eps = 1e-7  # inside the block: exactly its tiles
    extent = f"{west + eps!r},{east - eps!r},{south + eps!r},{north - eps!r} [EPSG:4326]"

    def run(name):
        shutil.rmtree(empty_tile_cache, ignore_errors=True)  # every tile comes from the fake
        feedback = RecordingFeedback()
        output = str(tmp_path / f"{name}.gpkg")
        processing.run("mapillary:images", {"EXTENT": extent, "OUTPUT": output}, feedback=feedback)
        ids = [f["id"] for f in QgsVectorLayer(output, name, "ogr").getFeatures()]
        assert len(ids) == len(set(ids))
        return set(ids), feedback.text

    fake.clear_requests()
    reference, text = run("reference")
    assert f"{len(PROCESSING_TILES)} tiles loaded (0 from the cache)" in text
    assert len(fake.requests) == len(PROCESSING_TILES)
    assert reference and reference <= union(ids_by_tile, PROCESSING_TILES, 0)

    plan = fault_plan(PROCESSING_TILES, random.Random(SEED + 1))
    fake.clear_requests()
    inject(fake, plan)
    try:
        found, text = run("faulty")
    finally:
        fake.clear_faults()
    total = check_requests(fake, PROCESSING_TILES, plan)
    assert 250 <= total <= 350

    failed = {tile for tile, faults in plan.items() if outcome(faults)[1]}
    assert failed, "the plan makes some tiles fail for good"
    reported = re.search(r"(\d+) of (\d+) tiles could not be loaded; the output holds the other (\d+)", text)
    assert reported, text
    count = len(PROCESSING_TILES)
    assert tuple(map(int, reported.groups())) == (len(failed), count, count - len(failed))
    assert found == reference - union(ids_by_tile, failed, 0)
    assert fake.token not in text
