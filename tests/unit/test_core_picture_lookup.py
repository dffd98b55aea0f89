"""PictureLookup: what QGIS expressions get, against the fake over real HTTP on 127.0.0.1."""

import time

import pytest

from mapillary_qgis.client import Client
from mapillary_qgis.core.graph import image_details
from mapillary_qgis.core.picture_lookup import PictureLookup, field_value, image_key, viewer_link
from mapillary_qgis.core.thumbnails import ThumbnailCache


@pytest.fixture
def lookup(client, tmp_path):
    done = PictureLookup(client, ThumbnailCache(tmp_path / "thumbs"), lambda key: image_details(client, key))
    yield done
    done.close()


@pytest.fixture
def image_id(fake):
    return fake.dataset.images[0].id


def test_ids_as_integers_floats_or_text():
    assert image_key(178993950747668) == image_key("178993950747668 ") == image_key(178993950747668.0) \
        == "178993950747668"
    for bad in (None, True, "", "12a", "-3", 0, 1.5, "١٢", "../1"):
        assert image_key(bad) is None, bad
    assert viewer_link(178993950747668) == "https://www.mapillary.com/app/?pKey=178993950747668"
    assert viewer_link("x") is None


def test_field_values_nested_or_flat():
    details = {"make": "GoPro", "creator": {"username": "mapper", "id": "7"}, "geometry": {"type": "Point"},
               "captured_at": 1436622890000}
    assert field_value(details, "make") == "GoPro"
    assert field_value(details, "creator.username") == field_value(details, "creator_username") == "mapper"
    assert field_value(details, "captured_at") == 1436622890000
    assert field_value(details, "geometry") is None  # not a plain value
    assert field_value(details, "model") is None


def test_a_thumbnail_is_fetched_once_and_is_a_jpeg_file(fake, lookup, image_id):
    answer = lookup.thumbnail_path(image_id, 256, wait_s=10)
    assert answer.error == "" and answer.value.endswith(f"{image_id}.jpg")
    with open(answer.value, "rb") as stream:
        assert stream.read(3) == b"\xff\xd8\xff"
    fake.clear_requests()
    assert lookup.thumbnail_path(str(image_id), 256, wait_s=10).value == answer.value
    assert fake.requests == []  # from the disk cache
    cdn = [r for r in fake.requests if r.path.startswith("/cdn/")]
    assert all("access_token" not in r.query for r in cdn)


def test_no_wait_starts_the_work_and_answers_later(fake, lookup, image_id):
    fake.inject("slow", path_contains="/cdn/", delay=0.5)
    first = lookup.thumbnail_path(image_id, 1024, wait_s=0)
    assert first.value is None and "still loading" in first.error
    deadline = time.monotonic() + 10
    while lookup.thumbnail_path(image_id, 1024, wait_s=0).value is None:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    downloads = [r for r in fake.requests if r.path.startswith("/cdn/")]
    assert len(downloads) == 1  # asked many times, downloaded once


def test_details_fields(lookup, image_id, fake):
    image = fake.dataset.images[0]
    assert lookup.detail(image_id, "captured_at").value == image.captured_at
    assert lookup.detail(image_id, "id").value == str(image_id)
    assert lookup.detail(image_id, "no_such_field").value is None


def test_failures_say_why_without_the_token_and_are_remembered(fake, client, tmp_path):
    lookup = PictureLookup(client, ThumbnailCache(tmp_path / "t"), lambda key: image_details(client, key))
    try:
        missing = lookup.thumbnail_path(999999999999, 256)
        assert missing.value is None and missing.error
        fake.clear_requests()
        assert lookup.thumbnail_path(999999999999, 256).error == missing.error
        assert fake.requests == []  # remembered, not asked again at once
        for answer in (lookup.thumbnail_path("abc", 256), lookup.thumbnail_path(1, 512), lookup.detail(1, "")):
            assert answer.value is None and answer.error
    finally:
        lookup.close()

    rejected = Client("MLY|1|" + "0" * 32, graph_url=fake.graph_url, tiles_url=fake.tiles_url, max_retries=0)
    lookup = PictureLookup(rejected, ThumbnailCache(tmp_path / "u"), lambda key: image_details(rejected, key))
    try:
        answer = lookup.thumbnail_path(fake.dataset.images[0].id, 256)
        assert answer.value is None and "token" in answer.error.lower()
        assert fake.token not in answer.error and "MLY|1|" not in answer.error
    finally:
        lookup.close()


def test_after_close_nothing_new_starts(lookup, image_id):
    lookup.close()
    answer = lookup.thumbnail_path(image_id, 256, wait_s=1)
    assert answer.value is None and "unloading" in answer.error
