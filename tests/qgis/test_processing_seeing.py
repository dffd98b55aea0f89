"""mapillary:imagesoffeatures against the fake: which images see each feature, exact ids, pictures once."""

import math

import pytest
from osgeo import ogr
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeature,
    QgsField,
    QgsGeometry,
    QgsPointXY,
    QgsProject,
    QgsVectorLayer,
)

from mapillary_qgis.qgis_glue.compat import TEXT

M_PER_DEG = 6_371_008.8 * math.pi / 180
WGS84 = QgsCoordinateReferenceSystem("EPSG:4326")


def ahead(image, metres, turn=0.0):
    angle = math.radians(image.compass_angle + turn)
    return (image.lon + metres * math.sin(angle) / (M_PER_DEG * math.cos(math.radians(image.lat))),
            image.lat + metres * math.cos(angle) / M_PER_DEG)


def assets(kind, crs, places):
    """A memory layer of `kind` ("Point" or "Polygon") with a `name` field, from (name, lon, lat)."""
    layer = QgsVectorLayer(f"{kind}?crs={crs}", "assets", "memory")
    layer.dataProvider().addAttributes([QgsField("name", TEXT)])
    layer.updateFields()
    to_layer = QgsCoordinateTransform(WGS84, QgsCoordinateReferenceSystem(crs), QgsProject.instance())
    for name, lon, lat in places:
        feature = QgsFeature(layer.fields())
        feature["name"] = name
        point = to_layer.transform(QgsPointXY(lon, lat))
        geometry = QgsGeometry.fromPointXY(point)
        size = 1e-5 if crs == "EPSG:4326" else 1.0  # about a metre
        feature.setGeometry(geometry if kind == "Point" else geometry.buffer(size, 8))
        layer.dataProvider().addFeature(feature)
    return layer


def run(parameters, tmp_path, name="seen"):
    import processing

    from tests.qgis.test_processing import RecordingFeedback

    feedback = RecordingFeedback()
    output = str(tmp_path / f"{name}.gpkg")
    result = processing.run("mapillary:imagesoffeatures", {"OUTPUT": output, **parameters}, feedback=feedback)
    return result["OUTPUT"], feedback


def rows(path):
    dataset = ogr.Open(path)
    layer = dataset.GetLayer(0)
    found = [(f.GetField("name"), f.GetFieldAsInteger64("image_id") if f.IsFieldSetAndNotNull("image_id") else None,
              f.GetField("image_distance_m"), f.GetField("image_path")) for f in layer]
    return found


@pytest.fixture
def perspective(env):
    return [i for i in env.dataset.images if not i.is_pano and i.compass_angle is not None]


def test_each_feature_gets_the_images_that_see_it(env, tmp_path, perspective):
    a, b = perspective[0], perspective[5]
    layer = assets("Point", "EPSG:3857", [("lamp", *ahead(a, 8)), ("buoy", -30.0, 0.0), ("bin", *ahead(b, 6))])
    path, feedback = run({"INPUT": layer, "PER_FEATURE": 2}, tmp_path)
    found = rows(path)
    lamp = [r for r in found if r[0] == "lamp"]
    assert 1 <= len(lamp) <= 2 and a.id in [r[1] for r in lamp]
    assert [r[1] for r in found if r[0] == "buoy"] == [None]  # kept once, no image
    assert b.id in [r[1] for r in found if r[0] == "bin"]
    assert all(r[2] is None or r[2] <= 30 for r in found)
    assert "1 features no image sees" in feedback.text
    # far apart (Lisbon and mid-Atlantic): only the tiles around them, not the thousands between
    tiles = [r for r in env.requests if r.host == "tiles"]
    assert 0 < len(tiles) <= 8


def test_lines_and_polygons_and_the_looking_rule(env, tmp_path, perspective):
    a = perspective[1]
    layer = assets("Polygon", "EPSG:4326", [("front", *ahead(a, 9)), ("behind", *ahead(a, 9, turn=180))])
    path, _ = run({"INPUT": layer, "PER_FEATURE": 50}, tmp_path)
    found = rows(path)
    assert a.id in [r[1] for r in found if r[0] == "front"]
    assert a.id not in [r[1] for r in found if r[0] == "behind"]
    path, _ = run({"INPUT": layer, "PER_FEATURE": 50, "LOOKING_AT": False}, tmp_path, "all")
    assert a.id in [r[1] for r in rows(path) if r[0] == "behind"]


def test_pictures_are_downloaded_once_and_reused(env, tmp_path, perspective):
    a = perspective[2]
    layer = assets("Point", "EPSG:4326", [("sign", *ahead(a, 7))])
    folder = tmp_path / "pictures"
    path, _ = run({"INPUT": layer, "THUMBNAILS": 1, "FOLDER": str(folder)}, tmp_path)
    (row,) = rows(path)
    assert row[3] == str(folder / f"{row[1]}_256.jpg") and (folder / f"{row[1]}_256.jpg").read_bytes()[:3] == \
        b"\xff\xd8\xff"
    env.clear_requests()
    run({"INPUT": layer, "THUMBNAILS": 1, "FOLDER": str(folder)}, tmp_path, "again")
    assert not [r for r in env.requests if r.path.startswith("/cdn/")]  # the file was there already
    assert all("access_token" not in r.query for r in env.requests if r.path.startswith("/cdn/"))


def test_a_field_name_taken_is_a_plain_error(env, tmp_path):
    from qgis.core import QgsProcessingException

    layer = QgsVectorLayer("Point?crs=EPSG:4326&field=image_id:string", "taken", "memory")
    with pytest.raises(QgsProcessingException, match="image_id"):
        run({"INPUT": layer}, tmp_path)


def street(crs, vertices):
    layer = QgsVectorLayer(f"LineString?crs={crs}", "roads", "memory")
    layer.dataProvider().addAttributes([QgsField("name", TEXT)])
    layer.updateFields()
    to_layer = QgsCoordinateTransform(WGS84, QgsCoordinateReferenceSystem(crs), QgsProject.instance())
    for name, points in vertices:
        feature = QgsFeature(layer.fields())
        feature["name"] = name
        feature.setGeometry(QgsGeometry.fromPolylineXY([to_layer.transform(QgsPointXY(*p)) for p in points]))
        layer.dataProvider().addFeature(feature)
    return layer


def coverage_rows(path):
    dataset = ogr.Open(path)
    found = {}
    for f in dataset.GetLayer(0):
        found[f.GetField("name")] = (f.GetField("covered_share"), f.GetField("image_count"),
                                     f.GetField("oldest_capture"), f.GetField("newest_capture"))
    return found


def coverage_of(env, tmp_path, crs):
    import processing

    sequence = sorted((i for i in env.dataset.images if i.sequence_id == env.dataset.images[0].sequence_id),
                      key=lambda i: i.captured_at)  # a street the camera drove along: through its images
    layer = street(crs, [("along", [(i.lon, i.lat) for i in sequence]),
                         ("nowhere", [(-30.0, 0.0), (-30.0, 0.001)])])
    output = str(tmp_path / f"coverage_{crs[5:]}.gpkg")
    processing.run("mapillary:linecoverage", {"INPUT": layer, "MAX_DISTANCE": 20, "OUTPUT": output})
    found = coverage_rows(output)
    share, count, oldest, newest = found["along"]
    assert share > 0.95 and count >= len(sequence) and oldest <= newest
    assert found["nowhere"][:2] == (0.0, 0) and found["nowhere"][2] is None
    return found


def test_line_coverage_is_in_metres_whatever_the_crs(env, tmp_path):
    a = coverage_of(env, tmp_path, "EPSG:4326")
    b = coverage_of(env, tmp_path, "EPSG:3857")
    assert a["along"][1] == b["along"][1] and a["along"][0] == pytest.approx(b["along"][0], abs=0.01)


def test_a_date_filter_shows_the_streets_without_recent_imagery(env, tmp_path):
    import processing

    first = env.dataset.images[0]
    layer = street("EPSG:4326", [("street", [(first.lon, first.lat), (first.lon + 0.0005, first.lat)])])
    output = str(tmp_path / "recent.gpkg")
    processing.run("mapillary:linecoverage", {"INPUT": layer, "START_DATE": "2099-01-01", "OUTPUT": output})
    assert coverage_rows(output)["street"][:2] == (0.0, 0)


def test_the_result_makes_an_atlas_of_pictures(env, tmp_path, perspective):
    """The output in a print layout atlas: a picture item on image_path, one page a feature, its picture on it."""
    from osgeo import gdal
    from qgis.core import (
        QgsLayoutExporter,
        QgsLayoutItemPicture,
        QgsLayoutObject,
        QgsLayoutPoint,
        QgsLayoutSize,
        QgsPrintLayout,
        QgsProperty,
        QgsUnitTypes,
    )

    layer = assets("Point", "EPSG:4326", [(f"asset{k}", *ahead(perspective[k * 3], 7)) for k in range(3)])
    path, _ = run({"INPUT": layer, "THUMBNAILS": 1, "FOLDER": str(tmp_path / "pictures")}, tmp_path)
    result = QgsVectorLayer(path, "assets with images", "ogr")
    assert result.featureCount() == 3 and all(f["image_path"] for f in result.getFeatures())
    project = QgsProject.instance()
    project.addMapLayer(result)
    try:
        layout = QgsPrintLayout(project)
        layout.initializeDefaults()
        picture = QgsLayoutItemPicture(layout)
        picture.attemptMove(QgsLayoutPoint(20, 20, QgsUnitTypes.LayoutUnit.LayoutMillimeters))
        picture.attemptResize(QgsLayoutSize(160, 120, QgsUnitTypes.LayoutUnit.LayoutMillimeters))
        picture.dataDefinedProperties().setProperty(QgsLayoutObject.DataDefinedProperty.PictureSource,
                                                    QgsProperty.fromField("image_path"))
        layout.addLayoutItem(picture)
        layout.atlas().setCoverageLayer(result)
        layout.atlas().setEnabled(True)
        pdf = tmp_path / "atlas.pdf"
        settings = QgsLayoutExporter.PdfExportSettings()
        settings.dpi = 72
        outcome, error = QgsLayoutExporter.exportToPdf(layout.atlas(), str(pdf), settings)
        assert outcome == QgsLayoutExporter.ExportResult.Success, error
        for number in (1, 2, 3):
            page = gdal.Open(f"PDF:{number}:{pdf}")
            mm = page.RasterXSize / 297
            frame = page.GetRasterBand(1).ReadAsArray(int(25 * mm), int(25 * mm), int(150 * mm), int(110 * mm))
            left, right = frame[:, : frame.shape[1] // 10].mean(), frame[:, -frame.shape[1] // 10:].mean()
            assert left < 80 and right > 170, f"page {number}: not the picture"  # the fake's red ramp
    finally:
        project.removeMapLayer(result.id())
