"""Thumbnails: the bytes-only disk cache, and downloads through signed, expiring URLs on the fake's CDN."""

import os
import time
from urllib.parse import quote

import pytest

from mapillary_qgis.core.graph import image_details
from mapillary_qgis.core.thumbnails import SIZES, ThumbnailCache, ThumbnailError, fetch_thumbnail, thumb_field
from mapillary_qgis.errors import InvalidTokenError, NotFoundError
from tests.threads import errors_in_threads

JPEG = b"\xff\xd8\xff\xe0" + bytes(100)
PNG = b"\x89PNG\r\n\x1a\n" + bytes(100)


@pytest.fixture
def cache(tmp_path):
    return ThumbnailCache(tmp_path / "thumbs")


@pytest.fixture
def image_id(fake):
    return str(fake.dataset.images[0].id)


def is_cdn(request):
    return request.path.startswith("/cdn/")


def assert_no_token(fake, request):
    assert "authorization" not in request.headers
    assert "access_token" not in request.query
    assert fake.token not in request.raw_path and quote(fake.token, safe="") not in request.raw_path


# -- the cache ------------------------------------------------------------------------------------


def test_cache_put_get_by_id_and_size(cache, tmp_path):
    assert cache.get("178993950747668", 1024) is None
    cache.put("178993950747668", 1024, JPEG)
    cache.put(178993950747668, "original", PNG)
    assert cache.get(178993950747668, 1024) == JPEG
    assert cache.get("178993950747668", "original") == PNG
    assert cache.get("178993950747668", 256) is None
    assert cache.size_bytes() == len(JPEG) + len(PNG)
    files = sorted(p.relative_to(cache.directory) for p in cache.directory.rglob("*") if p.is_file())
    assert [str(p.parts[0]) for p in files] == ["thumb_1024", "thumb_original"]  # no temporary files left
    assert all(p.name.startswith("178993950747668.") for p in files)


def test_cache_refuses_bad_keys(cache):
    for image_id, size in (("../x", 1024), ("12a", 1024), ("", 256), ("١٢", 256), ("12", 512), ("12", True)):
        with pytest.raises(ValueError):
            cache.put(image_id, size, JPEG)


def test_cache_expiry_lru_and_clear(tmp_path):
    cache = ThumbnailCache(tmp_path, max_bytes=2500, max_age_s=60)
    for number in (11, 12):
        cache.put(number, 256, bytes(1000))
    paths = {p.name.split(".")[0]: p for p in tmp_path.rglob("*") if p.is_file()}
    now = time.time()
    os.utime(paths["11"], (now - 30, now - 30))
    os.utime(paths["12"], (now - 20, now - 20))
    assert cache.get(11, 256) is not None  # 11 is now the most recently used
    cache.put(13, 256, bytes(1000))  # 3000 > 2500 bytes: the least recently used goes
    assert cache.get(12, 256) is None and cache.get(11, 256) and cache.get(13, 256)
    os.utime(paths["11"], (now, now - 120))  # downloaded too long ago
    assert cache.get(11, 256) is None
    cache.clear()
    assert cache.size_bytes() == 0 and cache.get(13, 256) is None
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]


def test_cache_shared_by_threads(cache):
    def work(worker):
        for number in range(30):
            cache.put(number, 1024, bytes([worker]) * 50)
            assert len(cache.get(number, 1024)) == 50

    errors = errors_in_threads(work, 6)
    assert errors == []
    assert cache.size_bytes() == 30 * 50


def test_sizes():
    fields = ["thumb_256_url", "thumb_1024_url", "thumb_2048_url", "thumb_original_url"]
    assert [thumb_field(s) for s in SIZES] == fields
    for bad in (512, "1024", None, True):
        with pytest.raises(ValueError):
            thumb_field(bad)


# -- fetching -------------------------------------------------------------------------------------


def test_fetch_asks_the_graph_then_the_cdn_without_token(fake, client, cache, image_id):
    data = fetch_thumbnail(client, cache, image_id)
    assert data[:3] == b"\xff\xd8\xff"
    graph, cdn = fake.requests
    assert graph.path == f"/{image_id}" and graph.query["fields"] == ["thumb_1024_url"]
    assert graph.headers["authorization"] == f"OAuth {fake.token}"
    assert is_cdn(cdn) and cdn.query["stp"] == ["s1024x768"]
    assert_no_token(fake, cdn)
    assert cache.get(image_id, 1024) == data


def test_cache_hit_makes_no_request(fake, client, cache, image_id):
    first = fetch_thumbnail(client, cache, image_id, 256)
    fake.clear_requests()
    assert fetch_thumbnail(client, cache, image_id, 256) == first
    assert fetch_thumbnail(client, cache, image_id, 256, details={"thumb_256_url": "http://127.0.0.1:9/x"}) == first
    assert fake.requests == []


def test_cached_files_hold_no_url_or_token(fake, client, cache, image_id):
    fetch_thumbnail(client, cache, image_id)
    for path in cache.directory.rglob("*"):
        if path.is_file():
            content = path.read_bytes()
            assert b"http" not in content and b"oe=" not in content and fake.token.encode() not in content


def test_fetch_uses_the_url_in_details(fake, client, cache, image_id):
    details = image_details(client, image_id)
    fake.clear_requests()
    fetch_thumbnail(client, cache, image_id, 256, details=details)
    (cdn,) = fake.requests
    assert is_cdn(cdn) and cdn.query["stp"] == ["s256x192"]
    assert_no_token(fake, cdn)


def test_original_and_2048_come_from_one_graph_field_each(fake, client, cache, image_id):
    details = image_details(client, image_id)  # has no thumb_2048_url nor thumb_original_url
    fake.clear_requests()
    fetch_thumbnail(client, cache, image_id, "original", details=details)
    fetch_thumbnail(client, cache, image_id, 2048, details=details)
    graph = [r for r in fake.requests if not is_cdn(r)]
    assert [r.query["fields"] for r in graph] == [["thumb_original_url"], ["thumb_2048_url"]]
    assert cache.get(image_id, "original") and cache.get(image_id, 2048)


def test_expired_url_is_refreshed_once(fake, client, cache, image_id):
    fake.thumb_ttl = 0
    details = image_details(client, image_id)  # its URLs are born expired
    fake.thumb_ttl = 3600
    fake.clear_requests()
    data = fetch_thumbnail(client, cache, image_id, details=details)
    assert data[:3] == b"\xff\xd8\xff"
    expired, graph, cdn = fake.requests
    assert is_cdn(expired) and not is_cdn(graph) and is_cdn(cdn)
    assert graph.query["fields"] == ["thumb_1024_url"]
    assert_no_token(fake, expired)
    assert_no_token(fake, cdn)
    assert cache.get(image_id, 1024) == data


def test_urls_that_keep_expiring_give_up_plainly(fake, client, cache, image_id):
    fake.thumb_ttl = 0
    with pytest.raises(ThumbnailError, match="expired"):
        fetch_thumbnail(client, cache, image_id)
    assert [is_cdn(r) for r in fake.requests] == [False, True, False, True]
    assert cache.get(image_id, 1024) is None


def test_cdn_404_is_refreshed_too(fake, client, cache, image_id):
    fake.inject("status", host="graph", path_contains="/cdn/", status=404, body=b"Not Found")
    assert fetch_thumbnail(client, cache, image_id)[:3] == b"\xff\xd8\xff"
    assert [is_cdn(r) for r in fake.requests] == [False, True, False, True]


def test_bytes_that_are_not_a_picture_are_refused_and_not_cached(fake, client, cache, image_id):
    fake.inject("status", host="graph", path_contains="/cdn/", status=200, body=b"<html>login</html>",
                content_type="text/html")
    with pytest.raises(ThumbnailError, match="not a picture"):
        fetch_thumbnail(client, cache, image_id)
    assert cache.get(image_id, 1024) is None
    assert fetch_thumbnail(client, cache, image_id)[:3] == b"\xff\xd8\xff"  # the next try works


def test_graph_errors_come_through_typed(fake, client, cache):
    with pytest.raises(NotFoundError):
        fetch_thumbnail(client, cache, "123456789")
    fake.inject("invalid_token", host="graph")
    with pytest.raises(InvalidTokenError):
        fetch_thumbnail(client, cache, fake.dataset.images[1].id)
    assert cache.size_bytes() == 0


def test_a_size_the_image_lacks(fake, client, cache, fixtures_dir):
    with pytest.raises(ThumbnailError, match="no picture"):
        fetch_thumbnail(client, cache, "196804715753265", 256)  # captured with only 1024 and original


def test_works_without_a_cache(fake, client, image_id):
    assert fetch_thumbnail(client, None, image_id)[:3] == b"\xff\xd8\xff"
    assert fetch_thumbnail(client, None, image_id)[:3] == b"\xff\xd8\xff"
    assert len(fake.requests) == 4
