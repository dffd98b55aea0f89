"""The "Mapillary" expression functions: registered with the plugin, evaluated against the fake, in threads
and in a print layout atlas exported to PDF."""

import shutil
import threading

import pytest
from osgeo import gdal
from qgis.core import (
    QgsExpression,
    QgsExpressionContext,
    QgsExpressionContextUtils,
    QgsFeature,
    QgsField,
    QgsGeometry,
    QgsLayoutExporter,
    QgsLayoutItemPicture,
    QgsLayoutObject,
    QgsLayoutPoint,
    QgsLayoutSize,
    QgsPointXY,
    QgsPrintLayout,
    QgsProject,
    QgsProperty,
    QgsUnitTypes,
    QgsVectorLayer,
)

import mapillary_qgis
from mapillary_qgis.client import Client
from mapillary_qgis.processing.common import cache_dir
from mapillary_qgis.qgis_glue.compat import TEXT

NAMES = ("mapillary_url", "mapillary_thumbnail", "mapillary_image_details")


@pytest.fixture
def plugin(iface, fake_env, monkeypatch):
    monkeypatch.setenv("MAPILLARY_ACCESS_TOKEN", fake_env.token)
    shutil.rmtree(cache_dir() / "thumbnails", ignore_errors=True)  # every picture comes from the fake
    loaded = mapillary_qgis.classFactory(iface)
    loaded.initGui()
    yield loaded
    loaded.unload()
    QgsProject.instance().clear()


def evaluate(text: str, context: QgsExpressionContext | None = None):
    expression = QgsExpression(text)
    assert not expression.hasParserError(), expression.parserErrorString()
    value = expression.evaluate(context or QgsExpressionContext())
    return value, expression.evalErrorString()


def is_null(value) -> bool:
    return value is None or (hasattr(value, "isNull") and value.isNull())


def test_registered_with_help_and_removed_on_unload(iface, fake_env):
    plugin = mapillary_qgis.classFactory(iface)
    plugin.initGui()
    try:
        for name in NAMES:
            assert QgsExpression.isFunctionName(name)
            index = QgsExpression.functionIndex(name)
            function = QgsExpression.Functions()[index]
            assert function.group() == "Mapillary"
            assert name in function.helpText() and "Syntax" in function.helpText()  # what the builder shows
    finally:
        plugin.unload()
    assert not any(QgsExpression.isFunctionName(name) for name in NAMES)


def test_url(plugin):
    assert evaluate("mapillary_url(178993950747668)") == ("https://www.mapillary.com/app/?pKey=178993950747668", "")
    assert evaluate("mapillary_url('178993950747668')")[0].endswith("pKey=178993950747668")
    value, error = evaluate("mapillary_url('not an id')")
    assert is_null(value) and "not a Mapillary image id" in error
    assert is_null(evaluate("mapillary_url(NULL)")[0])


def test_thumbnail_is_a_cached_jpeg_fetched_once(plugin, fake_env):
    image_id = fake_env.dataset.images[0].id
    path, error = evaluate(f"mapillary_thumbnail({image_id}, 256)")
    assert error == "" and path.endswith(f"{image_id}.jpg")
    with open(path, "rb") as stream:
        assert stream.read(3) == b"\xff\xd8\xff"
    fake_env.clear_requests()
    assert evaluate(f"mapillary_thumbnail('{image_id}', 256)")[0] == path
    assert fake_env.requests == []
    assert evaluate(f"mapillary_thumbnail({image_id})")[0].endswith(f"thumb_1024/{image_id % 100}/"
                                                                     f"{image_id // 100 % 100}/{image_id}.jpg")


def test_thumbnail_failures_are_null_with_a_reason_and_no_token(plugin, fake_env):
    value, error = evaluate("mapillary_thumbnail(999999999999999, 256)")
    assert is_null(value) and error and fake_env.token not in error
    value, error = evaluate(f"mapillary_thumbnail({fake_env.dataset.images[0].id}, 512)")
    assert is_null(value) and "256, 1024 or 2048" in error


def test_without_a_token_it_says_so(plugin, fake_env, monkeypatch):
    monkeypatch.delenv("MAPILLARY_ACCESS_TOKEN")
    Client.set_token(None)
    value, error = evaluate(f"mapillary_thumbnail({fake_env.dataset.images[1].id}, 256)")
    assert is_null(value) and "token" in error.lower()


def test_details(plugin, fake_env):
    image = fake_env.dataset.images[0]
    assert evaluate(f"mapillary_image_details({image.id}, 'captured_at')")[0] == image.captured_at
    assert evaluate(f"mapillary_image_details({image.id}, 'id')")[0] == str(image.id)
    value, _ = evaluate(f"mapillary_image_details({image.id}, 'no_such_field')")
    assert is_null(value)


def test_with_a_feature_and_in_threads_at_once(plugin, fake_env):
    layer = QgsVectorLayer("Point?crs=EPSG:4326", "points", "memory")
    layer.dataProvider().addAttributes([QgsField("image_id", TEXT)])
    layer.updateFields()
    ids = [image.id for image in fake_env.dataset.images[:6]]
    features = []
    for image_id in ids:
        feature = QgsFeature(layer.fields())
        feature["image_id"] = str(image_id)
        features.append(feature)
    results, errors = {}, []

    def render_thread(feature):  # what a render thread does with a label or a data-defined symbol
        try:
            context = QgsExpressionContext(QgsExpressionContextUtils.globalProjectLayerScopes(layer))
            context.setFeature(feature)
            results[feature["image_id"]] = evaluate("mapillary_thumbnail(\"image_id\", 256)", context)
        except Exception as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=render_thread, args=(f,)) for f in features]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert sorted(results) == sorted(str(i) for i in ids)
    assert all(path.endswith(f"{key}.jpg") and error == "" for key, (path, error) in results.items())


def test_an_atlas_of_pictures_exports_to_pdf(plugin, fake_env, tmp_path):
    """The documented recipe: a point layer with image ids, an atlas over it, a picture item on
    mapillary_thumbnail("image_id", 1024); each page of the PDF shows its own picture."""
    project = QgsProject.instance()
    layer = QgsVectorLayer("Point?crs=EPSG:4326", "assets", "memory")
    layer.dataProvider().addAttributes([QgsField("image_id", TEXT)])
    layer.updateFields()
    images = fake_env.dataset.images[:3]
    for image in images:
        feature = QgsFeature(layer.fields())
        feature["image_id"] = str(image.id)
        feature.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(image.lon, image.lat)))
        layer.dataProvider().addFeature(feature)
    project.addMapLayer(layer)

    layout = QgsPrintLayout(project)
    layout.initializeDefaults()
    picture = QgsLayoutItemPicture(layout)
    picture.attemptMove(QgsLayoutPoint(20, 20, QgsUnitTypes.LayoutUnit.LayoutMillimeters))
    picture.attemptResize(QgsLayoutSize(160, 120, QgsUnitTypes.LayoutUnit.LayoutMillimeters))
    picture.dataDefinedProperties().setProperty(
        QgsLayoutObject.DataDefinedProperty.PictureSource,
        QgsProperty.fromExpression('mapillary_thumbnail("image_id", 1024)'))
    layout.addLayoutItem(picture)
    atlas = layout.atlas()
    atlas.setCoverageLayer(layer)
    atlas.setEnabled(True)

    pdf = tmp_path / "atlas.pdf"
    settings = QgsLayoutExporter.PdfExportSettings()
    settings.dpi = 72
    result, error = QgsLayoutExporter.exportToPdf(atlas, str(pdf), settings)
    assert result == QgsLayoutExporter.ExportResult.Success, error

    dataset = gdal.Open(str(pdf))
    pages = dataset.GetMetadata("SUBDATASETS")
    count = len([key for key in pages if key.endswith("_NAME")]) or 1
    assert count == len(images)
    dataset = None
    for number in range(1, count + 1):
        page = gdal.Open(f"PDF:{number}:{pdf}")
        red = page.GetRasterBand(1)
        mm = page.RasterXSize / 297  # an A4 landscape page
        # the frame, 20-180 mm across and 20-140 mm down, inset by 5 mm; the fake's picture ramps red 0 -> 255
        frame = red.ReadAsArray(int(25 * mm), int(25 * mm), int(150 * mm), int(110 * mm)).astype(float)
        left, right = frame[:, : frame.shape[1] // 10].mean(), frame[:, -frame.shape[1] // 10:].mean()
        assert left < 80 and right > 170, f"page {number}: not the picture (red {left:.0f} -> {right:.0f})"
        page = None


def test_the_exact_images_layer_has_a_map_tip_with_the_picture(plugin, fake_env, qtbot, tmp_path):
    from mapillary_qgis.core.records import ImageRecord
    from mapillary_qgis.core.session_store import SessionStore
    from mapillary_qgis.qgis_glue.exact_layers import exact_layer, merged_lines_wkb

    image = fake_env.dataset.images[2]
    store = SessionStore.create(tmp_path / "mapillary-session-1-1.gpkg", merged_lines_wkb)
    store.add("images", [ImageRecord(image.id, image.lon, image.lat, 1436622890000, 10.0, "s", False, 1, None)])
    layer = exact_layer("images", store)
    feature = next(layer.getFeatures())
    context = QgsExpressionContext(QgsExpressionContextUtils.globalProjectLayerScopes(layer))
    context.setFeature(feature)

    def tip():  # what QGIS's map tip does with the template, on the GUI thread
        return QgsExpression.replaceExpressionText(layer.mapTipTemplate(), context)

    first = tip()
    assert "[%" not in first  # every block evaluated (an error would leave it as written)
    assert "Loading the picture" in first and "2015-07-11 13:54 UTC" in first  # at once: it never waits
    assert f"pKey={image.id}" in first
    qtbot.waitUntil(lambda: "Loading" not in tip(), timeout=10000)  # the next hover shows it
    shown = tip()
    assert f'src="file:///{str(cache_dir()).lstrip("/")}/thumbnails/thumb_256/' in shown
    assert shown.count(f"{image.id}.jpg") == 1 and "[%" not in shown and fake_env.token not in shown


def test_no_wait_is_null_without_error_until_the_picture_is_there(plugin, fake_env, qtbot):
    image_id = fake_env.dataset.images[3].id
    fake_env.inject("slow", path_contains="/cdn/", delay=0.5)
    assert evaluate(f"mapillary_thumbnail({image_id}, 256, false)") == (None, "")
    qtbot.waitUntil(lambda: evaluate(f"mapillary_thumbnail({image_id}, 256, false)")[0] is not None, timeout=10000)
