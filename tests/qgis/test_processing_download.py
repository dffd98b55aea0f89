"""`mapillary:downloadimages` against the fake Mapillary: files, resume, EXIF, failures, cancel, token hygiene."""

import logging
import re
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from osgeo import gdal
from qgis.core import (
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeature,
    QgsGeometry,
    QgsPointXY,
    QgsProcessingException,
    QgsProject,
    QgsVectorLayer,
)

from mapillary_qgis.core.exif import with_gps_exif

from .test_processing import RecordingFeedback

JPEG_MAGIC = b"\xff\xd8\xff"
UNKNOWN_ID = 999999999999999
WGS84 = QgsCoordinateReferenceSystem("EPSG:4326")
MERCATOR = QgsCoordinateReferenceSystem("EPSG:3857")


def images_layer(images, crs=WGS84, extra_ids=()):
    """A point layer like the output of mapillary:images: `id`, `compass_angle`, the point."""
    layer = QgsVectorLayer(f"Point?crs={crs.authid()}&field=id:long&field=compass_angle:double", "images", "memory")
    to_crs = QgsCoordinateTransform(WGS84, crs, QgsProject.instance())
    features = []
    for image in images:
        feature = QgsFeature(layer.fields())
        geometry = QgsGeometry.fromPointXY(QgsPointXY(image.lon, image.lat))
        geometry.transform(to_crs)
        feature.setGeometry(geometry)
        feature.setAttributes([image.id, image.compass_angle])
        features.append(feature)
    for image_id in extra_ids:
        feature = QgsFeature(layer.fields())
        feature.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(0, 0)))
        feature.setAttributes([image_id, None])
        features.append(feature)
    assert layer.dataProvider().addFeatures(features)
    return layer


def run(layer, folder, feedback=None, **parameters):
    import processing

    feedback = feedback or RecordingFeedback()
    result = processing.run("mapillary:downloadimages",
                            {"INPUT": layer, "SIZE": 0, "FOLDER": str(folder), **parameters}, feedback=feedback)
    return result, feedback


def counts(result):
    return result["DOWNLOADED"], result["SKIPPED"], result["FAILED"]


def cdn_requests(fake):
    return [r for r in fake.requests if r.path.startswith("/cdn/")]


def files(folder):
    return sorted(p.name for p in Path(folder).iterdir())


def gps(path):
    """(lon, lat, heading or None) from the EXIF GDAL reads (the independent check of our writer)."""
    tags = gdal.Open(str(path)).GetMetadata()

    def degrees(name):
        d, m, s = (float(v) for v in re.findall(r"\(([^)]*)\)", tags[name]))
        sign = -1 if tags[name + "Ref"] in ("S", "W") else 1
        return sign * (d + m / 60 + s / 3600)

    heading = None
    if "EXIF_GPSImgDirection" in tags:
        assert tags["EXIF_GPSImgDirectionRef"] == "T"
        heading = float(tags["EXIF_GPSImgDirection"].strip("()"))
    return degrees("EXIF_GPSLongitude"), degrees("EXIF_GPSLatitude"), heading


def test_registered_with_counts_and_no_token_parameter(provider):
    algorithm = QgsApplication.processingRegistry().algorithmById("mapillary:downloadimages")
    assert algorithm is not None
    assert not any("TOKEN" in p.name().upper() for p in algorithm.parameterDefinitions())
    outputs = {o.name() for o in algorithm.outputDefinitions()}
    assert {"FOLDER", "DOWNLOADED", "SKIPPED", "FAILED"} <= outputs


def test_downloads_then_resumes_without_a_request(env, tmp_path):
    images = env.dataset.images[:5]
    folder = tmp_path / "pictures"
    result, _ = run(images_layer(images), folder)
    assert counts(result) == (5, 0, 0) and result["FOLDER"] == str(folder)
    assert files(folder) == sorted(f"{i.id}_256.jpg" for i in images)
    for image in images:
        assert (folder / f"{image.id}_256.jpg").read_bytes().startswith(JPEG_MAGIC)
    lookups = [r for r in env.requests if r.path == "/images"]
    assert len(lookups) == 1 and lookups[0].query["fields"] == ["thumb_256_url"]  # one batch, one request
    cdn = cdn_requests(env)
    assert len(cdn) == 5 and all(r.query["stp"] == ["s256x192"] for r in cdn)
    for request in cdn:  # the CDN gets no token
        assert "authorization" not in request.headers and "access_token" not in request.query
        assert env.token not in request.raw_path and quote(env.token, safe="") not in request.raw_path

    env.clear_requests()
    result, _ = run(images_layer(images), folder)
    assert counts(result) == (0, 5, 0)
    assert env.requests == []  # resumed: not even a Graph lookup


def test_an_empty_file_is_downloaded_again(env, tmp_path):
    images = env.dataset.images[:2]
    (tmp_path / f"{images[0].id}_256.jpg").write_bytes(b"")
    result, _ = run(images_layer(images), tmp_path)
    assert counts(result) == (2, 0, 0)
    assert (tmp_path / f"{images[0].id}_256.jpg").read_bytes().startswith(JPEG_MAGIC)


def test_exif_position_and_heading_from_a_layer_in_another_crs(env, tmp_path):
    images = [i for i in env.dataset.images if i.compass_angle is not None][:4]
    layer = images_layer(images, MERCATOR)
    headless = QgsFeature(layer.fields())  # no compass_angle: a position but no direction
    other = env.dataset.images[10]
    point = QgsGeometry.fromPointXY(QgsPointXY(other.lon, other.lat))
    point.transform(QgsCoordinateTransform(WGS84, MERCATOR, QgsProject.instance()))
    headless.setGeometry(point)
    headless.setAttributes([other.id, None])
    layer.dataProvider().addFeatures([headless])

    result, _ = run(layer, tmp_path, WRITE_EXIF=True, SIZE=1)
    assert counts(result) == (5, 0, 0)
    for image in images:
        path = tmp_path / f"{image.id}_1024.jpg"
        lon, lat, heading = gps(path)
        assert lon == pytest.approx(image.lon, abs=1e-6) and lat == pytest.approx(image.lat, abs=1e-6)
        assert heading == pytest.approx(image.compass_angle % 360, abs=0.01)
        assert gdal.Open(str(path)).ReadAsArray().shape == (3, 192, 256)  # still a picture
    lon, lat, heading = gps(tmp_path / f"{other.id}_1024.jpg")
    assert (lon, lat, heading) == (pytest.approx(other.lon, abs=1e-6), pytest.approx(other.lat, abs=1e-6), None)


def test_exif_writer_keeps_existing_tags_and_replaces_gps(env, tmp_path):
    run(images_layer(env.dataset.images[:1]), tmp_path)
    source = gdal.Open(str(next(tmp_path.iterdir())))
    picture = gdal.GetDriverByName("MEM").CreateCopy("", source)
    picture.SetMetadata({"EXIF_Make": "Acme", "EXIF_ExposureTime": "(0.01)",
                         "EXIF_GPSLatitude": "(1) (2) (3)", "EXIF_GPSLatitudeRef": "N"})
    with_exif = tmp_path / "camera.jpg"
    gdal.GetDriverByName("JPEG").CreateCopy(str(with_exif), picture)
    del picture, source
    written = with_gps_exif(with_exif.read_bytes(), -9.5, -38.25, 359.99999)
    again = tmp_path / "again.jpg"
    again.write_bytes(with_gps_exif(written, 170.123456, 45.654321, 12.5))  # a second write replaces the first
    tags = gdal.Open(str(again)).GetMetadata()
    assert (tags["EXIF_Make"], tags["EXIF_ExposureTime"]) == ("Acme", "(0.01)")
    assert gps(again) == (pytest.approx(170.123456, abs=1e-6), pytest.approx(45.654321, abs=1e-6), 12.5)
    (tmp_path / "once.jpg").write_bytes(written)
    assert gps(tmp_path / "once.jpg")[2] == pytest.approx(0, abs=0.01)  # 359.99999 rounds to north
    with pytest.raises(ValueError):
        with_gps_exif(b"\x89PNG\r\n\x1a\n", 0, 0, 0)


def test_an_unknown_id_fails_alone_and_is_reported_once(env, tmp_path):
    images = env.dataset.images[:4]
    result, feedback = run(images_layer(images, extra_ids=[UNKNOWN_ID]), tmp_path)
    assert counts(result) == (4, 0, 1)
    assert files(tmp_path) == sorted(f"{i.id}_256.jpg" for i in images)
    assert feedback.text.count("could not be downloaded") == 1 and str(UNKNOWN_ID) in feedback.text


def test_an_expired_link_is_refreshed(env, tmp_path):
    images = env.dataset.images[:3]
    env.inject("status", host="graph", path_contains="/cdn/", status=403, body=b"URL signature expired")
    result, _ = run(images_layer(images), tmp_path)
    assert counts(result) == (3, 0, 0)
    refreshed = [r for r in env.requests if re.fullmatch(r"/\d+", r.path)]
    assert len(refreshed) == 1 and refreshed[0].query["fields"] == ["thumb_256_url"]
    assert len(cdn_requests(env)) == 4


def test_cancel_leaves_only_whole_files_and_a_rerun_finishes(env, tmp_path):
    images = env.dataset.images[:12]
    env.inject("slow", host="graph", count=None, path_contains="/cdn/", delay=0.3)
    feedback = RecordingFeedback(cancel_on_progress=True)
    started = time.monotonic()
    result, feedback = run(images_layer(images), tmp_path, feedback)
    assert time.monotonic() - started < 2.5  # 12 slow pictures, four at a time, would take a second and more
    assert "Cancelled" in feedback.text
    downloaded = result["DOWNLOADED"]
    assert 0 < downloaded < len(images)
    saved = files(tmp_path)
    time.sleep(1)  # downloads still on the way when the run stopped write nothing
    assert files(tmp_path) == saved and len(saved) == downloaded
    jpeg = (tmp_path / saved[0]).read_bytes()
    assert jpeg.startswith(JPEG_MAGIC) and jpeg.endswith(b"\xff\xd9")
    assert all((tmp_path / name).read_bytes() == jpeg for name in saved)  # whole, no temporary files

    env.clear_faults()
    result, _ = run(images_layer(images), tmp_path)
    assert counts(result) == (len(images) - downloaded, downloaded, 0)
    assert files(tmp_path) == sorted(f"{i.id}_256.jpg" for i in images)


def test_the_rate_limit_stops_the_run_with_one_report(env, tmp_path):
    env.inject("rate_limit", host="graph", count=None, path_contains="image_ids", status=429, retry_after=0)
    result, feedback = run(images_layer(env.dataset.images[:60]), tmp_path)  # two batches
    assert counts(result) == (0, 0, 0) and files(tmp_path) == []
    assert feedback.text.count("request limit") == 1
    assert len([r for r in env.requests if r.path == "/images"]) == 4  # the client retried thrice, then stopped


def test_a_rejected_token_is_a_plain_error(env, tmp_path):
    env.revoke_token(env.token)
    with pytest.raises(QgsProcessingException, match="rejected") as raised:
        run(images_layer(env.dataset.images[:3]), tmp_path)
    assert "Traceback" not in str(raised.value) and env.token not in str(raised.value)
    assert files(tmp_path) == [] and cdn_requests(env) == []


def test_no_token_in_feedback_logs_or_results(env, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    env.inject("status", host="graph", path_contains="/cdn/", count=None, status=410, body=b"gone")
    result, feedback = run(images_layer(env.dataset.images[:2], extra_ids=[UNKNOWN_ID]), tmp_path,
                           WRITE_EXIF=True)
    assert counts(result) == (0, 0, 3)
    assert feedback.text.count("could not be downloaded") == 1  # one report for the three, not one each
    for text in (feedback.text, caplog.text, repr(result)):
        assert env.token not in text and quote(env.token, safe="") not in text
