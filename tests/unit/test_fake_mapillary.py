"""The fake Mapillary API v4 behaves like the real one where the plugin can tell."""

import base64
import http.client
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests

gdal = pytest.importorskip("osgeo.gdal")
ogr = pytest.importorskip("osgeo.ogr")

from tests.fake_mapillary import DEMO_BBOX, DEMO_TOKEN, DemoDataset, FakeMapillary  # noqa: E402
from tests.fake_mapillary.pbf import iter_fields, read_varint  # noqa: E402
from tests.fake_mapillary.server import default_fixtures_dir  # noqa: E402
from tests.fake_mapillary.tilemath import tile_bounds, tile_for  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
FIRST_IMAGE = 178993950747668
TIMEOUT = 10
# Wire types of MVT Value fields: 1 string, 3 double, 4 int64, 7 bool.
STRING, DOUBLE, INT, BOOL = 1, 3, 4, 7


@pytest.fixture(scope="module")
def dataset():
    return DemoDataset()


def graph_get(fake, path, token=DEMO_TOKEN, **params):
    headers = {"Authorization": f"OAuth {token}"} if token else {}
    return requests.get(fake.graph_url + path, params=params, headers=headers, timeout=TIMEOUT)


def tile_url(fake, tileset, z, x, y):
    return f"{fake.tiles_url}/maps/vtp/{tileset}/2/{z}/{x}/{y}"


def tile_get(fake, tileset, z, x, y, token=DEMO_TOKEN):
    params = {"access_token": token} if token else {}
    return requests.get(tile_url(fake, tileset, z, x, y), params=params, timeout=TIMEOUT)


def image_tile(image):
    return (14, *tile_for(image.lon, image.lat, 14))


def decode_tile(data, z, x, y):
    """``{layer: (field types, [feature attributes with "geometry" type])}`` via GDAL's MVT reader."""
    path = f"/vsimem/test_fake_mapillary_{uuid.uuid4().hex}.pbf"
    gdal.FileFromMemBuffer(path, data)
    try:
        source = gdal.OpenEx(path, gdal.OF_VECTOR, open_options=[f"X={x}", f"Y={y}", f"Z={z}"])
        assert source is not None, gdal.GetLastErrorMsg()
        layers = {}
        for index in range(source.GetLayerCount()):
            layer = source.GetLayer(index)
            definition = layer.GetLayerDefn()
            types = {}
            for field_index in range(definition.GetFieldCount()):
                field = definition.GetFieldDefn(field_index)
                types[field.GetName()] = (field.GetTypeName(), field.GetSubType())
            features = []
            for feature in layer:
                attributes = {key: value for key, value in feature.items().items() if value is not None}
                attributes["geometry"] = feature.GetGeometryRef().GetGeometryName()
                features.append(attributes)
            layers[layer.GetName()] = (types, features)
        return layers
    finally:
        gdal.Unlink(path)


def wire_types(data):
    """``{(layer, key): {Value wire field numbers}}`` read from the raw protobuf."""
    found = {}
    for number, _, start, end in iter_fields(data):
        assert number == 3  # a tile holds only layers
        name, keys, values, tags = None, [], [], []
        for field, _, field_start, field_end in iter_fields(data, start, end):
            payload = data[field_start:field_end]
            if field == 1:
                name = payload.decode()
            elif field == 3:
                keys.append(payload.decode())
            elif field == 4:
                values.append(next(iter_fields(payload))[0])
            elif field == 2:
                tags.extend(_feature_tags(payload))
        for key_index, value_index in tags:
            found.setdefault((name, keys[key_index]), set()).add(values[value_index])
    return found


def _feature_tags(feature):
    for field, _, start, end in iter_fields(feature):
        if field == 2:
            packed, pos = [], start
            while pos < end:
                value, pos = read_varint(feature, pos)
                packed.append(value)
            return list(zip(packed[::2], packed[1::2]))
    return []


def require_fixtures():
    path = default_fixtures_dir()
    if not path.is_dir():
        pytest.skip(f"real fixtures not found at {path}")
    return path


# --- dataset --------------------------------------------------------------------------------------


def test_dataset_is_deterministic_and_realistic(dataset):
    again = DemoDataset()
    assert [i.id for i in again.images] == [i.id for i in dataset.images]
    assert again.traffic_signs == dataset.traffic_signs
    assert len(dataset.sequences) == 30
    assert all(10 <= len(s.image_ids) <= 60 for s in dataset.sequences)
    assert dataset.image(FIRST_IMAGE).captured_at == 1436622890000
    assert all(i.id > 2**31 and len(str(i.id)) in (15, 16) for i in dataset.images)
    assert sum(i.captured_at == 0 for i in dataset.images) == 2
    assert any(s.is_pano for s in dataset.sequences)
    assert all(len(s.id) == 22 and s.id.isalnum() and s.id == s.id.lower() for s in dataset.sequences)
    with_org = sum(i.organization is not None for i in dataset.images) / len(dataset.images)
    assert 0.15 < with_org < 0.35
    assert all(DEMO_BBOX[0] < i.lon < DEMO_BBOX[2] and DEMO_BBOX[1] < i.lat < DEMO_BBOX[3] for i in dataset.images)
    assert len(dataset.map_features) == 80 and len(dataset.traffic_signs) == 60
    for feature in dataset.map_features + dataset.traffic_signs:
        assert feature.id > 2**31 and feature.first_seen_at <= feature.last_seen_at
        assert 1 <= len(feature.image_ids) <= 4 and all(dataset.image(i) for i in feature.image_ids)


# --- tiles ----------------------------------------------------------------------------------------


def test_image_tile_round_trips_through_gdal_with_exact_int64(fake, dataset):
    z, x, y = image_tile(dataset.image(FIRST_IMAGE))
    response = tile_get(fake, "mly1_public", z, x, y)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/x-protobuf"
    assert response.content[0] == 0x1A
    layers = decode_tile(response.content, z, x, y)
    assert list(layers) == ["sequence", "image"]
    types, features = layers["image"]
    assert types["id"] == ("Integer64", ogr.OFSTNone)
    assert types["captured_at"] == ("Integer64", ogr.OFSTNone)
    assert types["creator_id"] == ("Integer64", ogr.OFSTNone)
    assert types["organization_id"] == ("Integer64", ogr.OFSTNone)
    assert types["is_pano"] == ("Integer", ogr.OFSTBoolean)
    assert types["compass_angle"][0] == "Real"
    assert types["sequence_id"][0] == "String"
    by_id = {f["id"]: f for f in features}
    first = by_id[FIRST_IMAGE]
    assert first["captured_at"] == 1436622890000 and first["geometry"] == "POINT"
    inside = tile_bounds(z, x, y)
    expected = {i.id for i in dataset.images if inside[0] < i.lon < inside[2] and inside[1] < i.lat < inside[3]}
    assert expected <= set(by_id)
    for image_id in expected:
        image = dataset.image(image_id)
        assert by_id[image_id]["captured_at"] == image.captured_at
        assert by_id[image_id]["creator_id"] == image.creator.id
        assert by_id[image_id]["compass_angle"] == pytest.approx(image.compass_angle)
        assert ("organization_id" in by_id[image_id]) == (image.organization is not None)


def test_tile_wire_types_are_mapillarys(fake, dataset):
    z, x, y = image_tile(dataset.image(FIRST_IMAGE))
    types = wire_types(tile_get(fake, "mly1_public", z, x, y).content)
    for key in ("id", "captured_at", "creator_id", "organization_id"):
        assert types[("image", key)] == {INT}
    assert types[("image", "compass_angle")] == {DOUBLE}
    assert types[("image", "is_pano")] == {BOOL}
    assert types[("image", "sequence_id")] == {STRING}
    assert types[("sequence", "id")] == {STRING}
    assert types[("sequence", "image_id")] == {INT}
    assert types[("sequence", "is_pano")] == {BOOL}


def test_tile_wire_types_match_the_real_capture(fake, dataset):
    real = (require_fixtures() / "tiles" / "mly1_public_unknown-zxy_10231-images.mvt").read_bytes()
    z, x, y = image_tile(dataset.image(FIRST_IMAGE))
    ours = wire_types(tile_get(fake, "mly1_public", z, x, y).content)
    assert ours == wire_types(real)


def test_zoom_levels_choose_layers(fake):
    x, y = tile_for(-9.14, 38.71, 10)
    sequence_types, sequences = decode_tile(tile_get(fake, "mly1_public", 10, x, y).content, 10, x, y)["sequence"]
    assert sequence_types["id"][0] == "String" and sequence_types["image_id"][0] == "Integer64"
    assert {f["geometry"] for f in sequences} <= {"LINESTRING", "MULTILINESTRING"}  # clipping can split a line
    assert list(decode_tile(tile_get(fake, "mly1_public", 10, x, y).content, 10, x, y)) == ["sequence"]
    x, y = tile_for(-9.14, 38.71, 4)
    overview = decode_tile(tile_get(fake, "mly1_computed_public", 4, x, y).content, 4, x, y)
    assert list(overview) == ["overview"]
    assert {f["geometry"] for f in overview["overview"][1]} == {"POINT"}
    x, y = tile_for(-9.14, 38.71, 15)
    beyond = tile_get(fake, "mly1_public", 15, x, y)
    assert (beyond.status_code, beyond.content) == (200, b"")


def test_map_feature_tiles(fake, dataset):
    feature = next(f for f in dataset.traffic_signs if f.lonlat)
    z, (x, y) = 14, tile_for(*feature.lonlat, 14)
    layers = decode_tile(tile_get(fake, "mly_map_feature_traffic_sign", z, x, y).content, z, x, y)
    types, features = layers["traffic_sign"]
    assert types["id"][0] == types["first_seen_at"][0] == types["last_seen_at"][0] == "Integer64"
    decoded = next(f for f in features if f["id"] == feature.id)
    assert decoded["value"] == feature.value
    assert (decoded["first_seen_at"], decoded["last_seen_at"]) == (feature.first_seen_at, feature.last_seen_at)
    points = tile_get(fake, "mly_map_feature_point", z, x, y).content
    assert list(decode_tile(points, z, x, y)) == ["point"]
    assert tile_get(fake, "mly_map_feature_point", 13, x // 2, y // 2).content == b""


def test_unknown_tileset_and_bad_address_are_404(fake):
    assert tile_get(fake, "mly2_public", 14, 7776, 6278).status_code == 404
    assert tile_get(fake, "mly1_public", 2, 4, 0).status_code == 404


def test_tile_auth_only_from_query(fake):
    url = tile_url(fake, "mly1_public", 14, 7776, 6278)
    header_only = requests.get(url, headers={"Authorization": f"OAuth {DEMO_TOKEN}"}, timeout=TIMEOUT)
    assert header_only.status_code == 403
    assert header_only.json()["error"]["code"] == 190
    assert requests.get(url, timeout=TIMEOUT).status_code == 403
    assert requests.get(url, params={"access_token": "MLY|1|bad"}, timeout=TIMEOUT).status_code == 403
    encoded = requests.get(url + "/?access_token=" + DEMO_TOKEN.replace("|", "%7C"), timeout=TIMEOUT)
    raw = requests.get(url + "?access_token=" + DEMO_TOKEN, timeout=TIMEOUT)
    assert encoded.status_code == raw.status_code == 200
    fake.revoke_token(DEMO_TOKEN)
    assert requests.get(url, params={"access_token": DEMO_TOKEN}, timeout=TIMEOUT).status_code == 403


def test_gzip_tiles_are_transparent_content_encoding(dataset):
    z, x, y = image_tile(dataset.image(FIRST_IMAGE))
    with FakeMapillary(dataset=dataset, fixtures_dir=None, gzip_tiles=True) as fake:
        response = tile_get(fake, "mly1_public", z, x, y)
    assert response.headers["Content-Encoding"] == "gzip"
    assert response.content[0] == 0x1A


def test_serve_tile_bytes_overrides_every_z14_address(fake):
    fake.serve_tile_bytes("mly1_public", b"\x1a\x00")
    assert tile_get(fake, "mly1_public", 14, 1, 2).content == b"\x1a\x00"
    assert tile_get(fake, "mly1_computed_public", 14, 1, 2).content == b""
    with pytest.raises(ValueError):
        fake.serve_tile_bytes("nope", b"")


def test_serve_tiles_at_serves_each_address_its_own_tile_and_adds_up(fake):
    fake.serve_tile_bytes("mly1_public", b"\x1a\x00")
    fake.serve_tiles_at("mly1_public", {(1, 2): b"\x1a\x01"})
    fake.serve_tiles_at("mly1_public", {(3, 4): b"\x1a\x02"})
    assert tile_get(fake, "mly1_public", 14, 1, 2).content == b"\x1a\x01"
    assert tile_get(fake, "mly1_public", 14, 3, 4).content == b"\x1a\x02"
    assert tile_get(fake, "mly1_public", 14, 5, 6).content == b"\x1a\x00"  # the others: as before
    assert tile_get(fake, "mly1_public", 13, 1, 2).content != b"\x1a\x01"  # z14 only
    with pytest.raises(ValueError):
        fake.serve_tiles_at("nope", {})


# --- graph: auth and shapes -----------------------------------------------------------------------


@pytest.mark.parametrize("scheme", ["OAuth", "oauth", "Bearer"])
def test_graph_accepts_header_token(fake, scheme):
    response = requests.get(
        f"{fake.graph_url}/{FIRST_IMAGE}", headers={"Authorization": f"{scheme} {DEMO_TOKEN}"}, timeout=TIMEOUT
    )
    assert response.status_code == 200 and response.json() == {"id": str(FIRST_IMAGE)}
    usage = json.loads(response.headers["x-app-usage"])
    assert set(usage) == {"call_count", "total_time", "total_cputime"}


def test_graph_auth_errors(fake):
    by_query = requests.get(f"{fake.graph_url}/{FIRST_IMAGE}", params={"access_token": DEMO_TOKEN}, timeout=TIMEOUT)
    assert by_query.status_code == 200
    missing = graph_get(fake, f"/{FIRST_IMAGE}", token=None)
    assert missing.status_code == 400
    assert missing.json()["error"]["code"] == 104 and missing.json()["error"]["type"] == "OAuthException"
    invalid = graph_get(fake, f"/{FIRST_IMAGE}", token="MLY|123|0000")
    assert invalid.status_code == 401 and invalid.json()["error"]["code"] == 190
    fake.revoke_token(DEMO_TOKEN)
    revoked = graph_get(fake, f"/{FIRST_IMAGE}")
    assert revoked.status_code == 401
    assert revoked.json()["error"]["message"].startswith("Error validating access token")


def test_fields_filtering_and_string_ids(fake, dataset):
    image = next(i for i in dataset.images if i.make is None and i.computed_lonlat is None)
    body = graph_get(fake, f"/{image.id}/", fields="id,captured_at,make,computed_geometry,geometry,creator").json()
    assert body["id"] == str(image.id)
    assert set(body) == {"id", "captured_at", "geometry", "creator"}
    assert body["captured_at"] == image.captured_at
    assert body["geometry"] == {"type": "Point", "coordinates": [image.lon, image.lat]}
    assert body["creator"] == {"username": image.creator.username, "id": str(image.creator.id)}
    assert graph_get(fake, f"/{FIRST_IMAGE}").json() == {"id": str(FIRST_IMAGE)}


def test_unknown_object_is_code_100_subcode_33(fake):
    response = graph_get(fake, "/123456789", fields="id")
    error = response.json()["error"]
    assert response.status_code == 400
    assert (error["code"], error["error_subcode"], error["type"]) == (100, 33, "MLYApiException")
    assert "'123456789'" in error["message"] and error["fbtrace_id"]


def test_me_needs_a_user_token(fake):
    assert graph_get(fake, "/me", fields="id,username").json()["error"]["code"] == 100
    fake.add_token("user-token-1", user={"id": "104214208486349", "username": "vorpalblade"})
    body = graph_get(fake, "/me", token="user-token-1", fields="id,username").json()
    assert body == {"username": "vorpalblade", "id": "104214208486349"}


def test_user_and_organization_entities(fake, dataset):
    creator, org = dataset.creators[0], dataset.organizations[0]
    assert graph_get(fake, f"/{creator.id}", fields="username,id").json() == {
        "username": creator.username,
        "id": str(creator.id),
    }
    body = graph_get(fake, f"/{org.id}", fields="slug,name,description").json()
    assert body["slug"] == org.slug and body["id"] == str(org.id)


def test_images_by_ids_skips_unknown(fake, dataset):
    ids = [dataset.images[5].id, 42, dataset.images[2].id]
    body = graph_get(fake, "/images", image_ids=",".join(map(str, ids)), fields="captured_at").json()
    assert [item["id"] for item in body["data"]] == [str(ids[0]), str(ids[2])]


def test_images_bbox_search_and_filters(fake, dataset):
    image = dataset.image(FIRST_IMAGE)
    bbox = f"{image.lon - 0.02},{image.lat - 0.02},{image.lon + 0.02},{image.lat + 0.02}"
    found = graph_get(fake, "/images", bbox=bbox, fields="captured_at,is_pano,sequence").json()["data"]
    assert str(FIRST_IMAGE) in {item["id"] for item in found}
    assert len(graph_get(fake, "/images", bbox=bbox, limit=3).json()["data"]) == 3
    panos = graph_get(fake, "/images", bbox=bbox, is_pano="true", fields="is_pano").json()["data"]
    assert all(item["is_pano"] for item in panos)
    in_2015 = graph_get(
        fake,
        "/images",
        bbox=bbox,
        fields="captured_at",
        start_captured_at="2015-07-11T00:00:00Z",
        end_captured_at="2015-07-12T00:00:00+0000",
    ).json()["data"]
    assert str(FIRST_IMAGE) in {i["id"] for i in in_2015}
    assert all(1436572800000 <= i["captured_at"] <= 1436659200000 for i in in_2015)
    same_sequence = graph_get(fake, "/images", bbox=bbox, sequence_id=image.sequence_id, fields="sequence").json()
    assert {item["sequence"] for item in same_sequence["data"]} == {image.sequence_id}
    by_user = graph_get(fake, "/images", bbox=bbox, creator_username=image.creator.username, fields="creator").json()
    assert {item["creator"]["username"] for item in by_user["data"]} == {image.creator.username}


@pytest.mark.parametrize("bbox", ["-9.3,38.6,-9.0,38.8", "-9.1,38.7", "a,b,c,d", "-9.1,38.7,-9.2,38.71"])
def test_images_bbox_rejects_large_or_malformed(fake, bbox):
    response = graph_get(fake, "/images", bbox=bbox)
    assert response.status_code == 400 and response.json()["error"]["code"] == 100


def test_creator_username_search_pages(fake, dataset):
    username = dataset.creators[1].username
    first = graph_get(fake, "/images", creator_username=username, limit=50, fields="id").json()
    assert len(first["data"]) == 50
    following = requests.get(
        first["paging"]["next"], headers={"Authorization": f"OAuth {DEMO_TOKEN}"}, timeout=TIMEOUT
    ).json()
    assert not {i["id"] for i in first["data"]} & {i["id"] for i in following["data"]}


def test_image_ids_of_a_sequence(fake, dataset):
    sequence = dataset.sequences[3]
    body = graph_get(fake, "/image_ids", sequence_id=sequence.id).json()
    assert body == {"data": [{"id": str(i)} for i in sequence.image_ids]}
    assert graph_get(fake, "/image_ids", sequence_id="unknownsequence").json() == {"data": []}


def test_map_feature_entity_and_detections(fake, dataset):
    feature = dataset.map_features[0]
    fields = "first_seen_at,last_seen_at,object_value,object_type,geometry,images"
    body = graph_get(fake, f"/{feature.id}", fields=fields).json()
    assert body["object_type"] == "mvd_fast" and body["object_value"] == feature.value
    assert body["first_seen_at"].endswith("+0000") and len(body["first_seen_at"]) == 24
    assert [item["id"] for item in body["images"]["data"]] == [str(i) for i in feature.image_ids]
    sign = dataset.traffic_signs[-1]
    sign_body = graph_get(fake, f"/{sign.id}", fields="object_type,geometry").json()
    assert sign_body == {"object_type": "trafficsign", "id": str(sign.id)}  # this sign has no location
    detections = graph_get(fake, f"/{feature.id}/detections", fields="id,created_at,geometry,image,value").json()
    assert len(detections["data"]) == len(feature.image_ids)
    geometry = base64.b64decode(detections["data"][0]["geometry"])
    layers = decode_tile(geometry, 0, 0, 0)
    assert list(layers) == ["mpy-or"] and layers["mpy-or"][1][0]["geometry"] == "POLYGON"


def test_map_features_search_with_wildcard(fake, dataset):
    sign = next(f for f in dataset.traffic_signs if f.lonlat and f.value.startswith("regulatory--"))
    lon, lat = sign.lonlat
    bbox = f"{lon - 0.01},{lat - 0.01},{lon + 0.01},{lat + 0.01}"
    found = graph_get(fake, "/map_features", bbox=bbox, object_values="regulatory--*", fields="object_value").json()
    assert str(sign.id) in {item["id"] for item in found["data"]}
    assert all(item["object_value"].startswith("regulatory--") for item in found["data"])


# --- thumbnails -----------------------------------------------------------------------------------


def test_thumbnail_urls_are_signed_and_expire(fake):
    body = graph_get(fake, f"/{FIRST_IMAGE}", fields="thumb_256_url,thumb_1024_url").json()
    url = body["thumb_1024_url"]
    assert url.startswith(fake.cdn_url + "/cdn/m1/v/t6/") and "stp=s1024x768" in url and "oe=" in url
    image = requests.get(url, timeout=TIMEOUT)
    assert image.status_code == 200 and image.headers["Content-Type"] == "image/jpeg"
    assert image.content[:2] == b"\xff\xd8"
    tampered = requests.get(url.replace("stp=s1024x768", "stp=s2048x1536"), timeout=TIMEOUT)
    assert (tampered.status_code, tampered.text) == (403, "URL signature expired")
    fake.thumb_ttl = 0
    expired = graph_get(fake, f"/{FIRST_IMAGE}", fields="thumb_256_url").json()["thumb_256_url"]
    response = requests.get(expired, timeout=TIMEOUT)
    assert (response.status_code, response.text) == (403, "URL signature expired")


def _picture(data):
    path = f"/vsimem/test_picture_{uuid.uuid4().hex}.jpg"
    gdal.FileFromMemBuffer(path, data)
    try:
        raster = gdal.Open(path)
        return raster.RasterXSize, raster.RasterYSize, raster.ReadAsArray()  # (3, h, w)
    finally:
        gdal.Unlink(path)


def test_panoramas_are_equirectangular_and_coloured_by_compass_direction(fake, dataset):
    from tests.fake_mapillary.pictures import DIRECTION_COLOURS, TOP

    pano = next(i for i in dataset.images if i.is_pano)
    body = graph_get(fake, f"/{pano.id}", fields="thumb_256_url,thumb_1024_url,thumb_2048_url").json()
    for field, width in (("thumb_256_url", 256), ("thumb_1024_url", 1024), ("thumb_2048_url", 2048)):
        w, h, pixels = _picture(requests.get(body[field], timeout=TIMEOUT).content)
        assert (w, h) == (width, width // 2)
    for bearing, colour in DIRECTION_COLOURS.items():  # the centre column looks along the compass angle
        column = int(((bearing - pano.compass_angle) / 360 + 0.5) % 1 * w) + 6
        assert [abs(int(pixels[b, h // 2, column]) - colour[b]) < 40 for b in range(3)] == [True] * 3, bearing
    assert [int(v) for v in pixels[:, 10, 10]] == pytest.approx(TOP, abs=10)
    flat = next(i for i in dataset.images if not i.is_pano)
    url = graph_get(fake, f"/{flat.id}", fields="thumb_1024_url").json()["thumb_1024_url"]
    assert _picture(requests.get(url, timeout=TIMEOUT).content)[:2] == (256, 192)


def test_a_test_chooses_what_a_picture_url_serves(fake, dataset):
    image = dataset.images[0]
    fake.pictures.serve(image.id, b"\xff\xd8\xff broken", field="thumb_1024_url")
    fake.pictures.serve(image.id, b"any other size")
    body = graph_get(fake, f"/{image.id}", fields="thumb_1024_url,thumb_256_url").json()
    assert requests.get(body["thumb_1024_url"], timeout=TIMEOUT).content == b"\xff\xd8\xff broken"
    assert requests.get(body["thumb_256_url"], timeout=TIMEOUT).content == b"any other size"
    other = graph_get(fake, f"/{dataset.images[1].id}", fields="thumb_256_url").json()["thumb_256_url"]
    assert requests.get(other, timeout=TIMEOUT).content[:3] == b"\xff\xd8\xff"
    unminted = requests.get(fake.cdn_url + "/cdn/m1/v/t6/Xnot-minted?oh=1&oe=FFFFFFFF", timeout=TIMEOUT)
    assert unminted.status_code == 403


# --- request recording and faults ----------------------------------------------------------------


def test_requests_are_recorded(fake):
    graph_get(fake, f"/{FIRST_IMAGE}", fields="id,geometry")
    tile_get(fake, "mly1_public", 14, 7776, 6278)
    graph, tile = fake.requests
    assert (graph.host, graph.method, graph.path) == ("graph", "GET", f"/{FIRST_IMAGE}")
    assert graph.query == {"fields": ["id,geometry"]}
    assert graph.headers["authorization"] == f"OAuth {DEMO_TOKEN}"
    assert tile.host == "tiles" and tile.query["access_token"] == [DEMO_TOKEN]
    assert "%7C" in tile.raw_path and tile.raw_path.startswith("/maps/vtp/mly1_public/2/14/7776/6278?")
    fake.clear_requests()
    assert fake.requests == []


@pytest.mark.parametrize(
    ("kind", "options", "status", "code"),
    [
        ("invalid_token", {}, 401, 190),
        ("rate_limit", {}, 403, 4),
        ("rate_limit", {"status": 429, "retry_after": 7}, 429, 4),
        ("not_found", {}, 400, 100),
        ("blocked", {}, 403, 368),
        ("server_error_json", {}, 500, 1),
    ],
)
def test_json_error_faults(fake, kind, options, status, code):
    fake.inject(kind, **options)
    response = graph_get(fake, f"/{FIRST_IMAGE}")
    assert response.status_code == status
    assert response.headers["Content-Type"].startswith("application/json")
    assert response.json()["error"]["code"] == code
    if kind == "rate_limit":
        assert response.json()["error"]["is_transient"] is True
        assert response.headers.get("Retry-After") == ("7" if options else None)
    if kind == "blocked":
        assert response.json()["error"]["error_subcode"] == 1348007
    assert graph_get(fake, f"/{FIRST_IMAGE}").status_code == 200  # count=1 by default


def test_body_faults(fake):
    fake.inject("server_error_html", host="tiles")
    html = tile_get(fake, "mly1_public", 14, 7776, 6278)
    assert html.status_code == 500 and html.headers["Content-Type"].startswith("text/html")
    assert html.text == "<html><body><h1>500 Internal Server Error</h1></body></html>"
    fake.inject("garbage")
    garbage = tile_get(fake, "mly1_public", 14, 7776, 6278)
    assert garbage.status_code == 200 and garbage.content and garbage.content[0] == 0xFF
    fake.inject("empty")
    empty = graph_get(fake, f"/{FIRST_IMAGE}")
    assert (empty.status_code, empty.content) == (200, b"")
    fake.inject("status", status=502, body=b"Bad Gateway")
    bad_gateway = graph_get(fake, f"/{FIRST_IMAGE}")
    assert (bad_gateway.status_code, bad_gateway.content) == (502, b"Bad Gateway")


def test_fault_targeting(fake):
    fault = fake.inject("rate_limit", host="graph", count=None, path_contains="/images")
    assert tile_get(fake, "mly1_public", 14, 7776, 6278).status_code == 200
    assert graph_get(fake, f"/{FIRST_IMAGE}").status_code == 200
    assert graph_get(fake, "/images", image_ids=str(FIRST_IMAGE)).status_code == 403
    assert graph_get(fake, "/images", image_ids=str(FIRST_IMAGE)).status_code == 403
    assert fault.hits == 2
    fake.clear_faults()
    assert graph_get(fake, "/images", image_ids=str(FIRST_IMAGE)).status_code == 200
    with pytest.raises(ValueError):
        fake.inject("meteor")


def test_slow_fault_delays_the_answer(fake):
    fake.inject("slow", delay=0.3)
    started = time.monotonic()
    assert graph_get(fake, f"/{FIRST_IMAGE}").status_code == 200
    assert time.monotonic() - started >= 0.3


def test_hang_fault_times_out_the_client(fake):
    fake.inject("hang", delay=2)
    with pytest.raises(requests.exceptions.ReadTimeout):
        requests.get(tile_url(fake, "mly1_public", 14, 7776, 6278), params={"access_token": DEMO_TOKEN}, timeout=0.3)


def test_hang_fault_ends_without_answer(fake):
    fake.inject("hang", delay=0.2)
    with pytest.raises(requests.exceptions.ConnectionError):
        graph_get(fake, f"/{FIRST_IMAGE}")


def test_stop_is_prompt_with_a_hanging_connection(dataset):
    fake = FakeMapillary(dataset=dataset, fixtures_dir=None).start()
    fake.inject("hang")  # 30 s unless stopped
    address = urlsplit(fake.graph_url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=TIMEOUT)
    connection.request("GET", f"/{FIRST_IMAGE}")
    time.sleep(0.1)
    started = time.monotonic()
    fake.stop()
    assert time.monotonic() - started < 2
    with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
        connection.getresponse()
    connection.close()


def test_truncated_fault_sends_half_the_body(fake):
    fake.inject("truncated")
    address = urlsplit(fake.graph_url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=TIMEOUT)
    connection.request(
        "GET", f"/{FIRST_IMAGE}?fields=geometry,captured_at", headers={"Authorization": f"OAuth {DEMO_TOKEN}"}
    )
    response = connection.getresponse()
    assert response.status == 200 and int(response.headers["Content-Length"]) > 20
    with pytest.raises(http.client.IncompleteRead):
        response.read()
    connection.close()


# --- standalone -----------------------------------------------------------------------------------


def test_standalone_server_starts_and_stops_on_sigterm(tmp_path):
    ready_file = tmp_path / "ready.json"
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.fake_mapillary", "--ready-file", str(ready_file)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    try:
        deadline = time.monotonic() + 15
        while not ready_file.exists():
            assert process.poll() is None, process.stderr.read().decode()
            assert time.monotonic() < deadline, "the fake did not become ready"
            time.sleep(0.05)
        ready = json.loads(ready_file.read_text())
        assert ready["token"] == DEMO_TOKEN
        response = requests.get(
            f"{ready['graph_url']}/{FIRST_IMAGE}", headers={"Authorization": f"OAuth {ready['token']}"}, timeout=TIMEOUT
        )
        assert response.json() == {"id": str(FIRST_IMAGE)}
        process.send_signal(signal.SIGTERM)
        stdout, _ = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0
    assert json.loads(stdout.decode().splitlines()[0]) == ready


# --- real captured fixtures -----------------------------------------------------------------------


def test_fixture_image_is_served_with_fresh_thumbnails(fake):
    require_fixtures()
    fields = "captured_at,merge_cc,camera_type,thumb_256_url,thumb_original_url,mesh"
    body = graph_get(fake, "/135511895288847", fields=fields).json()
    assert body["captured_at"] == 1563721072184
    assert body["merge_cc"] == 4546427159383000000
    assert body["mesh"]["id"] == "903987176835273"
    assert requests.get(body["thumb_256_url"], timeout=TIMEOUT).status_code == 200
    partial = graph_get(fake, "/196804715753265", fields="thumb_1024_url,thumb_2048_url,creator").json()
    assert set(partial) == {"id", "thumb_1024_url", "creator"}
    assert partial["thumb_1024_url"].startswith(fake.cdn_url)


def test_fixture_sequence_detections_feature_and_user(fake):
    require_fixtures()
    ids = graph_get(fake, "/image_ids", sequence_id="7nfcwfvjdtphz7yj6zat6a").json()["data"]
    assert [i["id"] for i in ids][:2] == ["148137757289079", "311799370533334"] and len(ids) == 8
    detections = graph_get(fake, "/135511895288847/detections", fields="value,geometry").json()["data"]
    assert detections[0]["value"] == "object--junction-box" and set(detections[0]) == {"id", "value", "geometry"}
    feature = graph_get(fake, "/496980935069177", fields="object_type,first_seen_at").json()
    assert feature == {
        "object_type": "trafficsign",
        "first_seen_at": "2017-08-23T21:32:26+0000",
        "id": "496980935069177",
    }
    assert graph_get(fake, "/104214208486349", fields="username").json()["username"] == "vorpalblade"
    panos = graph_get(fake, "/images", creator_username="trekviewhq", is_pano="true", fields="make").json()["data"]
    assert panos and all(item["make"] == "GoPro" for item in panos)


def test_real_fixture_tile_served_everywhere_at_z14(fake):
    data = (require_fixtures() / "tiles" / "mly1_public_unknown-zxy_10231-images.mvt").read_bytes()
    fake.serve_tile_bytes("mly1_public", data)
    response = tile_get(fake, "mly1_public", 14, 8000, 5000)
    assert response.content == data
    layers = decode_tile(response.content, 14, 8000, 5000)
    assert len(layers["image"][1]) == 10231
    assert layers["image"][0]["id"] == ("Integer64", ogr.OFSTNone)
