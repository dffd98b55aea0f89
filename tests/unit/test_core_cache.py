"""The disk tile cache: atomic files, expiry by age, LRU pruning, clearing, threads."""

import os
import time

import pytest

from mapillary_qgis.core.tile_cache import TileCache
from tests.threads import errors_in_threads

TILESET = "mly1_public"


def age(cache, tile, seconds, used_seconds_ago=None):
    """Pretend a cached tile was written `seconds` ago (and last used `used_seconds_ago`)."""
    path = cache.path(TILESET, *tile)
    now = time.time()
    used = now - (seconds if used_seconds_ago is None else used_seconds_ago)
    os.utime(path, (used, now - seconds))


def test_put_get_and_layout(tmp_path):
    cache = TileCache(tmp_path)
    assert cache.get(TILESET, 14, 1, 2) is None
    cache.put(TILESET, 14, 1, 2, b"\x1a\x00tile")
    assert cache.get(TILESET, 14, 1, 2) == b"\x1a\x00tile"
    assert (tmp_path / TILESET / "14" / "1" / "2.mvt").read_bytes() == b"\x1a\x00tile"
    cache.put(TILESET, 14, 1, 3, b"")  # an empty tile is a legal tile, worth caching
    assert cache.get(TILESET, 14, 1, 3) == b""
    assert cache.size_bytes() == 6
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == ["2.mvt", "3.mvt"]  # no temporary files


def test_bad_tileset_names_are_refused(tmp_path):
    cache = TileCache(tmp_path)
    for name in ("../etc", "a/b", "", "MLY|1|x"):
        with pytest.raises(ValueError):
            cache.put(name, 14, 1, 2, b"x")


def test_expired_tiles_are_removed(tmp_path):
    cache = TileCache(tmp_path, max_age_s=60)
    cache.put(TILESET, 14, 1, 2, b"old")
    cache.put(TILESET, 14, 1, 3, b"new")
    age(cache, (14, 1, 2), 120, used_seconds_ago=1)  # used recently, but downloaded too long ago
    assert cache.get(TILESET, 14, 1, 2) is None
    assert not cache.path(TILESET, 14, 1, 2).exists()
    assert cache.get(TILESET, 14, 1, 3) == b"new"


def test_reading_does_not_keep_a_tile_fresh(tmp_path):
    cache = TileCache(tmp_path, max_age_s=60)
    cache.put(TILESET, 14, 1, 2, b"data")
    age(cache, (14, 1, 2), 50)
    assert cache.get(TILESET, 14, 1, 2) == b"data"
    stat = cache.path(TILESET, 14, 1, 2).stat()
    assert time.time() - stat.st_mtime >= 49  # download time kept
    assert time.time() - stat.st_atime < 5  # use time updated


def test_prune_keeps_the_most_recently_used(tmp_path):
    cache = TileCache(tmp_path, max_bytes=3500)
    for y in range(3):
        cache.put(TILESET, 14, 1, y, bytes(1000))
        age(cache, (14, 1, y), 100 - y * 10)  # y=0 is the oldest
    assert cache.get(TILESET, 14, 1, 0) is not None  # now the most recently used
    cache.put(TILESET, 14, 1, 3, bytes(1000))  # 4000 bytes > 3500: the least recently used goes
    assert cache.get(TILESET, 14, 1, 1) is None
    assert all(cache.get(TILESET, 14, 1, y) is not None for y in (0, 2, 3))
    assert cache.size_bytes() == 3000


def test_prune_removes_expired_first(tmp_path):
    cache = TileCache(tmp_path, max_age_s=60)
    cache.put(TILESET, 14, 1, 1, b"x" * 10)
    cache.put(TILESET, 14, 1, 2, b"y" * 10)
    age(cache, (14, 1, 1), 3600)
    cache.prune()
    assert not cache.path(TILESET, 14, 1, 1).exists() and cache.path(TILESET, 14, 1, 2).exists()
    assert cache.size_bytes() == 10


def test_clear_removes_only_the_caches_files(tmp_path):
    cache = TileCache(tmp_path / "cache")
    cache.put(TILESET, 14, 1, 2, b"abc")
    cache.put("mly_map_feature_point", 14, 5, 6, b"def")
    (tmp_path / "cache" / "notes.txt").write_text("not ours")
    cache.clear()
    assert cache.get(TILESET, 14, 1, 2) is None
    assert cache.size_bytes() == 0
    assert sorted(p.name for p in (tmp_path / "cache").iterdir()) == ["notes.txt"]
    cache.put(TILESET, 14, 1, 2, b"again")
    assert cache.get(TILESET, 14, 1, 2) == b"again"


def test_delete(tmp_path):
    cache = TileCache(tmp_path)
    cache.put(TILESET, 14, 1, 2, b"abc")
    cache.delete(TILESET, 14, 1, 2)
    cache.delete(TILESET, 14, 1, 2)  # twice is fine
    assert cache.get(TILESET, 14, 1, 2) is None


def test_an_unwritable_cache_acts_empty(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder should be")
    cache = TileCache(blocker)
    cache.put(TILESET, 14, 1, 2, b"abc")  # logs, does not raise
    assert cache.get(TILESET, 14, 1, 2) is None


def test_concurrent_puts_and_gets(tmp_path):
    cache = TileCache(tmp_path, max_bytes=20_000)  # 30 distinct tiles of 1000 bytes: pruning runs meanwhile

    def work(worker):
        for i in range(200):
            tile = (14, i % 10, worker % 3)
            payload = bytes([worker]) * 1000
            cache.put(TILESET, *tile, payload)
            got = cache.get(TILESET, *tile)
            assert got is None or (len(got) == 1000 and len(set(got)) == 1)  # never a torn file

    errors = errors_in_threads(work, 6)
    assert not errors
    cache.prune()
    assert 0 < cache.size_bytes() <= 20_000
    assert not [p for p in tmp_path.rglob("*.part")]
