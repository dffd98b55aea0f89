"""Processing algorithms against the fake Mapillary: exact values, filters, areas, failures, token hygiene."""

import logging
import math
import sqlite3
import time
from datetime import datetime, timezone

import pytest
from osgeo import ogr
from qgis.core import (
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeature,
    QgsFeatureRequest,
    QgsGeometry,
    QgsPointXY,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProject,
    QgsRectangle,
    QgsVectorLayer,
    QgsWkbTypes,
)

from mapillary_qgis.client import Client
from mapillary_qgis.qgis_glue.token_store import TokenStore
from tests.fake_mapillary.dataset import DEMO_BBOX, DEMO_CENTER
from tests.fake_mapillary.tilemath import tile_bounds, tile_for

CX, CY = tile_for(*DEMO_CENTER, 14)
WEST, SOUTH, EAST, NORTH = DEMO_BBOX
EXTENT = f"{WEST!r},{EAST!r},{SOUTH!r},{NORTH!r} [EPSG:4326]"
MERCATOR = QgsCoordinateReferenceSystem("EPSG:3857")
WGS84 = QgsCoordinateReferenceSystem("EPSG:4326")


class RecordingFeedback(QgsProcessingFeedback):
    """Keeps every text the algorithm reports; cancels itself at the first progress when asked to."""

    def __init__(self, cancel_on_progress=False):
        super().__init__()
        self.lines = []
        self.cancel_on_progress = cancel_on_progress
        self.progressChanged.connect(self._progress)

    def _progress(self, value):
        if self.cancel_on_progress and value > 0:
            self.cancel()

    def pushInfo(self, info):  # noqa: N802 (QGIS API)
        self.lines.append(info)
        super().pushInfo(info)

    def pushDebugInfo(self, info):  # noqa: N802 (QGIS API)
        self.lines.append(info)
        super().pushDebugInfo(info)

    def reportError(self, error, fatalError=False):  # noqa: N802, N803 (QGIS API)
        self.lines.append(error)
        super().reportError(error, fatalError)

    @property
    def text(self):
        return "\n".join(self.lines)


def run(algorithm, parameters, tmp_path, feedback=None):
    import processing

    feedback = feedback or RecordingFeedback()
    output = str(tmp_path / f"{algorithm}.gpkg")
    result = processing.run(f"mapillary:{algorithm}", {"OUTPUT": output, **parameters}, feedback=feedback)
    return result, QgsVectorLayer(result["OUTPUT"], algorithm, "ogr"), feedback


def ids(layer):
    return {f["id"] for f in layer.getFeatures()}


def inside(lon, lat, bbox=DEMO_BBOX, margin=0.0):
    west, south, east, north = bbox
    return west + margin <= lon <= east - margin and south + margin <= lat <= north - margin


def local_date(ms):
    return datetime.fromtimestamp(ms / 1000, tz=timezone.utc).astimezone().date()


def ogr_times(path, field):
    """{id: epoch ms or None} as the file holds them (GDAL, not QGIS 3.22's reader, which drops the zone)."""
    dataset = ogr.Open(path)
    layer = dataset.GetLayer(0)
    found = {}
    for feature in layer:
        if not feature.IsFieldSetAndNotNull(field):
            found[feature.GetField("id")] = None
            continue
        year, month, day, hour, minute, second, flag = feature.GetFieldAsDateTime(field)
        assert flag == 100  # written as UTC
        moment = datetime(year, month, day, hour, minute, tzinfo=timezone.utc)
        found[feature.GetField("id")] = int(moment.timestamp()) * 1000 + round(second * 1000)
    return found


def test_algorithms_registered_without_a_token_parameter(provider):
    registry = QgsApplication.processingRegistry()
    for name in ("images", "sequences", "mapfeatures", "imagedetails", "downloadimages", "imagesoffeatures",
                 "linecoverage"):
        algorithm = registry.algorithmById(f"mapillary:{name}")
        assert algorithm is not None, name
        assert not any("TOKEN" in p.name().upper() for p in algorithm.parameterDefinitions())


def test_images_in_extent_are_exact(env, tmp_path):
    result, layer, feedback = run("images", {"EXTENT": EXTENT}, tmp_path)
    expected = {i.id: i for i in env.dataset.images if inside(i.lon, i.lat)}
    assert ids(layer) == set(expected) and layer.featureCount() == len(expected) > 500
    assert layer.crs().authid() == "EPSG:4326"
    fields = {f.name(): f.typeName() for f in layer.fields()}
    assert fields["id"] == "Integer64" and fields["captured_at"] == "DateTime"
    for feature in layer.getFeatures():
        image = expected[feature["id"]]
        assert (feature["sequence_id"], feature["is_pano"], feature["creator_id"]) == (
            image.sequence_id, image.is_pano, image.creator.id)
        assert feature["compass_angle"] == pytest.approx(image.compass_angle, abs=1e-6)
    times = ogr_times(result["OUTPUT"], "captured_at")
    assert times == {i: (image.captured_at or None) for i, image in expected.items()}
    assert None in times.values()  # a capture time of 0 is no time, not 1970


def test_computed_positions(env, tmp_path):
    _, layer, _ = run("images", {"EXTENT": EXTENT, "COMPUTED": True}, tmp_path)
    moved = 0
    for feature in layer.getFeatures():
        image = env.dataset.image(feature["id"])
        lon, lat = image.computed_lonlat or (image.lon, image.lat)
        point = feature.geometry().asPoint()
        assert (point.x(), point.y()) == (pytest.approx(lon, abs=1e-5), pytest.approx(lat, abs=1e-5))
        if image.computed_compass_angle is not None:
            assert feature["compass_angle"] == pytest.approx(image.computed_compass_angle, abs=1e-6)
            moved += 1
    assert moved > 500 and layer.featureCount() == len(env.dataset.images)


def test_extent_in_another_crs(env, tmp_path):
    west, south, east, north = tile_bounds(14, CX, CY)
    box = QgsCoordinateTransform(WGS84, MERCATOR, QgsProject.instance()).transformBoundingBox(
        QgsRectangle(west, south, east, north))
    extent = f"{box.xMinimum()!r},{box.xMaximum()!r},{box.yMinimum()!r},{box.yMaximum()!r} [EPSG:3857]"
    env.clear_requests()
    _, layer, _ = run("images", {"EXTENT": extent}, tmp_path)
    margin = 1e-7
    found = ids(layer)
    assert {i.id for i in env.dataset.images if inside(i.lon, i.lat, (west, south, east, north), margin)} <= found
    assert {i.id for i in env.dataset.images if inside(i.lon, i.lat, (west, south, east, north), -margin)} >= found
    assert len([r for r in env.requests if r.host == "tiles"]) == 1


def test_dates_are_inclusive_local_days(env, tmp_path):
    first, last = "2015-07-11", "2015-11-22"
    _, layer, _ = run("images", {"EXTENT": EXTENT, "START_DATE": first, "END_DATE": last}, tmp_path)
    expected = {i.id for i in env.dataset.images
                if i.captured_at and first <= local_date(i.captured_at).isoformat() <= last}
    assert ids(layer) == expected
    assert 0 < len(expected) < len(env.dataset.images)


def test_panoramas_creators_and_organizations(env, tmp_path):
    _, layer, feedback = run("images", {"EXTENT": EXTENT, "PANORAMAS": 1, "CREATOR": "alfama360, nobody_at_all"},
                             tmp_path)
    assert ids(layer) == {i.id for i in env.dataset.images if i.is_pano and i.creator.username == "alfama360"}
    assert layer.featureCount() > 0
    assert "nobody_at_all" in feedback.text  # said plainly, not silently dropped
    organization = env.dataset.organizations[0].id
    _, layer, _ = run("images", {"EXTENT": EXTENT, "PANORAMAS": 2, "ORGANIZATION_ID": str(organization)}, tmp_path)
    expected = {i.id for i in env.dataset.images
                if not i.is_pano and i.organization is not None and i.organization.id == organization}
    assert ids(layer) == expected and expected


def test_area_polygons_in_another_crs(env, tmp_path):
    west, south, east, north = tile_bounds(14, CX, CY)
    to_mercator = QgsCoordinateTransform(WGS84, MERCATOR, QgsProject.instance())
    triangle = QgsGeometry.fromPolygonXY([[QgsPointXY(west, south), QgsPointXY(east, south),
                                           QgsPointXY(west, north), QgsPointXY(west, south)]])
    triangle.transform(to_mercator)
    polygons = QgsVectorLayer("Polygon?crs=EPSG:3857", "area", "memory")
    feature = QgsFeature()
    feature.setGeometry(triangle)
    polygons.dataProvider().addFeatures([feature])
    env.clear_requests()

    _, layer, _ = run("images", {"AREA": polygons}, tmp_path)

    def in_triangle(image):
        point = QgsGeometry.fromPointXY(QgsPointXY(image.lon, image.lat))
        point.transform(to_mercator)
        return triangle.intersects(point)

    expected = {i.id for i in env.dataset.images if in_triangle(i)}
    in_tile = {i.id for i in env.dataset.images if inside(i.lon, i.lat, (west, south, east, north))}
    assert ids(layer) == expected and 0 < len(expected) < len(in_tile)
    assert len([r for r in env.requests if r.host == "tiles"]) == 1  # only the tile under the polygon


def test_sequences_one_feature_each(env, tmp_path):
    _, layer, _ = run("sequences", {"EXTENT": EXTENT}, tmp_path)
    assert layer.wkbType() == QgsWkbTypes.Type.MultiLineString
    found = [f["id"] for f in layer.getFeatures()]
    assert sorted(found) == sorted(s.id for s in env.dataset.sequences)
    first_images = {s.id: env.dataset.image(s.image_ids[0]) for s in env.dataset.sequences}
    for feature in layer.getFeatures():
        assert feature["image_id"] == first_images[feature["id"]].id
        assert feature.geometry().constGet().partCount() >= 1 and feature.geometry().length() > 0


def test_traffic_signs_by_class_prefix(env, tmp_path):
    _, layer, _ = run("mapfeatures", {"EXTENT": EXTENT, "KIND": 1, "CLASSES": "regulatory--"}, tmp_path)
    expected = {f.id for f in env.dataset.traffic_signs
                if f.lonlat and inside(*f.lonlat) and f.value.startswith("regulatory--")}
    assert ids(layer) == expected and expected
    assert {f["value"].split("--")[0] for f in layer.getFeatures()} == {"regulatory"}


def test_map_features_by_exact_class(env, tmp_path):
    _, layer, _ = run("mapfeatures", {"EXTENT": EXTENT, "CLASSES": "object--bench"}, tmp_path)
    assert ids(layer) == {f.id for f in env.dataset.map_features if inside(*f.lonlat) and f.value == "object--bench"}


def test_no_token_in_feedback_logs_or_results(env, tmp_path, caplog):
    env.inject("garbage", host="tiles", path_contains=f"/{CX}/{CY}")
    caplog.set_level(logging.DEBUG)
    result, _, feedback = run("images", {"EXTENT": EXTENT, "CREATOR": "alfama360,nobody_at_all"}, tmp_path)
    assert feedback.lines
    for text in (feedback.text, caplog.text, repr(result)):
        assert env.token not in text


def test_missing_token_is_a_plain_error(fake_env, provider, monkeypatch, tmp_path):
    monkeypatch.delenv("MAPILLARY_ACCESS_TOKEN", raising=False)
    Client.set_token(None)
    with pytest.raises(QgsProcessingException, match="MAPILLARY_ACCESS_TOKEN") as raised:
        run("images", {"EXTENT": EXTENT}, tmp_path)
    assert "Traceback" not in str(raised.value)
    assert fake_env.requests == []


def test_stored_token_is_used_headless(fake_env, provider, monkeypatch, tmp_path):
    monkeypatch.delenv("MAPILLARY_ACCESS_TOKEN", raising=False)
    TokenStore().save(fake_env.token)
    Client.set_token(None)  # as in qgis_process: no plugin has loaded it
    _, layer, _ = run("images", {"EXTENT": EXTENT}, tmp_path)
    assert layer.featureCount() > 500


def test_too_large_an_area(env, tmp_path):
    with pytest.raises(QgsProcessingException, match="too large"):
        run("images", {"EXTENT": "-10,-8,38,40 [EPSG:4326]"}, tmp_path)
    assert env.requests == []


def test_cancel_stops_early_and_keeps_what_was_loaded(env, tmp_path):
    env.inject("slow", host="tiles", count=None, delay=1.0)
    feedback = RecordingFeedback(cancel_on_progress=True)
    started = time.monotonic()
    _, layer, feedback = run("images", {"EXTENT": EXTENT}, tmp_path, feedback)
    assert time.monotonic() - started < 5  # nine slow tiles with four threads would take three seconds and more
    assert "Cancelled" in feedback.text
    assert 0 < layer.featureCount() < len(env.dataset.images)


def test_garbage_tile_reported_and_the_rest_kept(env, tmp_path):
    env.inject("garbage", host="tiles", count=None, path_contains=f"/{CX}/{CY}")
    _, layer, feedback = run("images", {"EXTENT": EXTENT}, tmp_path)
    centre = tile_bounds(14, CX, CY)
    found = ids(layer)
    margin = 1e-7
    assert not any(inside(i.lon, i.lat, centre, margin) for i in env.dataset.images if i.id in found)
    assert {i.id for i in env.dataset.images if not inside(i.lon, i.lat, centre, -margin)} <= found
    assert "1 of 9 tiles could not be loaded" in feedback.text
    assert feedback.text.count("could not be loaded") == 1  # one report, not one per tile


def test_image_details_in_batches(env, tmp_path):
    result, images, _ = run("images", {"EXTENT": EXTENT, "PANORAMAS": 2}, tmp_path)
    env.clear_requests()
    env.inject("rate_limit", host="graph", path_contains="image_ids", status=429, retry_after=0)
    _, layer, _ = run("imagedetails", {"INPUT": result["OUTPUT"]}, tmp_path)
    assert layer.featureCount() == images.featureCount()
    batches = [r for r in env.requests if r.host == "graph" and "image_ids" in r.query]
    assert len(batches) == math.ceil(images.featureCount() / 50) + 1  # one retried after the rate limit
    for feature in layer.getFeatures():
        image = env.dataset.image(feature["id"])
        assert (feature["make"] or None, feature["width"], feature["creator_username"]) == (
            image.make, image.width, image.creator.username)


def test_images_from_the_real_tile_are_exact(env, tmp_path, fixtures_dir):
    from mapillary_qgis.core.mvt_decode import decode_tile
    from mapillary_qgis.core.tilemath import tile_bounds_lonlat

    data = (fixtures_dir / "tiles" / "mly1_public_unknown-zxy_10231-images.mvt").read_bytes()
    env.serve_tile_bytes("mly1_public", data)
    x, y = 7776, 6278
    west, south, east, north = tile_bounds_lonlat(14, x, y)
    pad = (east - west) / 1000  # inside the one tile
    extent = f"{west + pad},{east - pad},{south + pad},{north - pad} [EPSG:4326]"
    result, layer, _ = run("images", {"EXTENT": extent}, tmp_path)
    reference = {r.id: r for r in decode_tile(data, 14, x, y, ["image"])["image"]
                 if west + pad <= r.lon <= east - pad and south + pad <= r.lat <= north - pad}
    assert ids(layer) == set(reference) and len(reference) > 9000
    assert max(reference) > 2**31
    times = ogr_times(result["OUTPUT"], "captured_at")
    assert times == {i: (r.captured_at or None) for i, r in reference.items()}
    # 9,000+ points: the spatial index is a packed tree of three levels, valid for SQLite and found by QGIS.
    with sqlite3.connect(result["OUTPUT"]) as connection:
        index = connection.execute("SELECT name FROM sqlite_master WHERE name LIKE 'rtree%_node'").fetchone()[0][:-5]
        assert connection.execute("SELECT rtreecheck(?)", (index,)).fetchone()[0] == "ok"
        assert connection.execute(f'SELECT count(*) FROM "{index}"').fetchone()[0] == len(reference)
    box = QgsRectangle(west + (east - west) / 3, south + (north - south) / 3, east, north)
    found = {f["id"] for f in layer.getFeatures(QgsFeatureRequest().setFilterRect(box))}
    assert found == {i for i, r in reference.items() if box.contains(QgsPointXY(r.lon, r.lat))} != set()


# -- outputs: GeoPackages are written directly (core/gpkg.py), every other format through QGIS ------------------

def expected_images(env):
    return {i.id: (i.captured_at or None) for i in env.dataset.images if inside(i.lon, i.lat)}


def test_geopackage_output_is_valid_and_indexed(env, tmp_path):
    validate = pytest.importorskip("osgeo_utils.samples.validate_gpkg", reason="GDAL's validate_gpkg is not installed")
    result, layer, _ = run("images", {"EXTENT": EXTENT}, tmp_path)
    validate.check(result["OUTPUT"], extra_checks=True, warning_as_error=True)
    # QGIS reads the count and extent GDAL keeps, and its spatial index answers a rectangle query.
    expected = expected_images(env)
    assert layer.featureCount() == len(expected) and layer.hasSpatialIndex()
    box = layer.extent()
    quarter = QgsRectangle(box.xMinimum(), box.yMinimum(), box.center().x(), box.center().y())
    found = {f["id"] for f in layer.getFeatures(QgsFeatureRequest().setFilterRect(quarter))}
    assert found == {f["id"] for f in layer.getFeatures() if quarter.contains(f.geometry().asPoint())} != set()


def test_named_table_added_to_an_existing_geopackage(env, tmp_path):
    import processing

    path = str(tmp_path / "project.gpkg")
    processing.run("mapillary:mapfeatures", {"EXTENT": EXTENT, "OUTPUT": path})
    destination = f"ogr:dbname='{path}' table=\"lisbon_images\" (geom)"
    processing.run("mapillary:images", {"EXTENT": EXTENT, "OUTPUT": destination})
    dataset = ogr.Open(path)
    names = [dataset.GetLayer(i).GetName() for i in range(dataset.GetLayerCount())]
    features = dataset.GetLayerByName("lisbon_images").GetFeatureCount()
    dataset = None
    assert len(names) == 2 and "lisbon_images" in names
    assert features == len(expected_images(env))
    layer = QgsVectorLayer(f"{path}|layername=lisbon_images", "images", "ogr")
    assert ids(layer) == set(expected_images(env))


@pytest.mark.parametrize("output", ["TEMPORARY_OUTPUT", "memory:", "images.fgb", "images.sqlite"])
def test_other_outputs_go_through_qgis(env, tmp_path, output):
    import processing

    destination = str(tmp_path / output) if "." in output else output
    result = processing.run("mapillary:images", {"EXTENT": EXTENT, "OUTPUT": destination})
    layer = result["OUTPUT"]
    if isinstance(layer, str):
        layer = QgsVectorLayer(layer, "images", "ogr")
    expected = expected_images(env)
    assert ids(layer) == set(expected)
    if output.endswith(".sqlite"):  # a file GDAL can update: its date-times are made exact after QGIS wrote them
        assert ogr_times(destination, "captured_at") == expected


def test_only_new_geopackage_tables_are_written_directly(tmp_path):
    """Appending with a field map (and maybe another CRS) and odd destinations stay with QGIS's sink."""
    from qgis.core import QgsProcessingOutputLayerDefinition, QgsRemappingSinkDefinition

    from mapillary_qgis.processing.outputs import geopackage

    path = tmp_path / "out.gpkg"
    ogr.GetDriverByName("GPKG").CreateDataSource(str(path)).CreateLayer("images")
    assert geopackage(str(path), str(path))["path"] == str(path)
    assert geopackage(f"{path}|layername=images", None)["layerName"] == "images"
    remapped = QgsProcessingOutputLayerDefinition(f"ogr:{path}|layername=images")
    remapped.setRemappingDefinition(QgsRemappingSinkDefinition())
    assert geopackage(str(path), remapped) is None
    assert geopackage(str(tmp_path / "missing.gpkg"), None) is None
    assert geopackage(str(tmp_path / "out.fgb"), None) is None


def test_a_destination_naming_a_layer_still_works(env, tmp_path):
    """QGIS 3.22 takes `out.gpkg|layername=x` for a file name; the rows must still reach the file it made."""
    import processing

    processing.run("mapillary:images", {"EXTENT": EXTENT, "OUTPUT": f"{tmp_path / 'out.gpkg'}|layername=x"})
    [written] = [p for p in tmp_path.iterdir() if p.name.startswith("out.gpkg")]
    dataset = ogr.Open(str(written))
    found = {feature.GetField("id") for feature in dataset.GetLayer(0)}
    dataset = None
    assert found == set(expected_images(env))


def test_every_algorithm_explains_itself_each_parameter_and_an_example(provider):
    from mapillary_qgis.processing.common import HELP_URL
    from tests.qgis_profile import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert HELP_URL.endswith("#processing-algorithms") and "\n## Processing algorithms\n" in readme
    for algorithm in provider.algorithms():
        text = algorithm.shortHelpString()
        assert algorithm.helpUrl() == HELP_URL
        assert "<h3>Parameters</h3>" in text and "<h3>Example</h3>" in text, algorithm.id()
        assert f"qgis_process run {algorithm.id()} --" in text
        for parameter in algorithm.parameterDefinitions():
            assert f"<code>{parameter.name()}</code>" in text, (algorithm.id(), parameter.name())
            item = text.split(f"<code>{parameter.name()}</code>)", 1)[1].split("</li>", 1)[0]
            assert item.startswith(": ") and len(item) > 12, (algorithm.id(), parameter.name())  # says what it is
        assert algorithm.id() in readme  # the README section names it


def test_a_model_chains_images_into_image_details(env, tmp_path):
    """What the graphical modeler builds: mapillary:images -> mapillary:imagedetails, run as one algorithm."""
    from qgis.core import (
        QgsProcessingContext,
        QgsProcessingModelAlgorithm,
        QgsProcessingModelChildAlgorithm,
        QgsProcessingModelChildParameterSource,
        QgsProcessingModelOutput,
        QgsProcessingModelParameter,
        QgsProcessingParameterExtent,
    )

    model = QgsProcessingModelAlgorithm("images with details", "tests")
    model.addModelParameter(QgsProcessingParameterExtent("area", "Area"), QgsProcessingModelParameter("area"))
    images = QgsProcessingModelChildAlgorithm("mapillary:images")
    images.setChildId("images")
    images.addParameterSources("EXTENT", [QgsProcessingModelChildParameterSource.fromModelParameter("area")])
    images.addParameterSources("PANORAMAS", [QgsProcessingModelChildParameterSource.fromStaticValue(2)])
    images.addParameterSources("COMPUTED", [QgsProcessingModelChildParameterSource.fromStaticValue(False)])
    model.addChildAlgorithm(images)
    details = QgsProcessingModelChildAlgorithm("mapillary:imagedetails")
    details.setChildId("details")
    details.addParameterSources("INPUT", [QgsProcessingModelChildParameterSource.fromChildOutput("images", "OUTPUT")])
    output = QgsProcessingModelOutput("result", "Images with details")
    output.setChildOutputName("OUTPUT")
    output.setChildId("details")
    details.setModelOutputs({"result": output})
    model.addChildAlgorithm(details)
    assert model.childAlgorithm("images").algorithm() is not None  # the provider's algorithms resolve by id
    ok, problems = model.validate()
    assert ok, problems

    context, feedback = QgsProcessingContext(), RecordingFeedback()
    target = str(tmp_path / "model.gpkg")
    results, ok = model.run({"area": EXTENT, "details:result": target}, context, feedback)
    assert ok, feedback.text
    # QGIS 3.22 gives the output back as "details:result"; 3.40 names it otherwise: then it is at the target
    path = next((value for key, value in results.items() if key.endswith("result") and value), target)
    layer = QgsVectorLayer(path, "result", "ogr")
    assert layer.isValid() and layer.featureCount() > 0
    assert "make" in layer.fields().names() and "captured_at" in layer.fields().names()
    for feature in layer.getFeatures():
        assert env.dataset.image(feature["id"]).width == feature["width"]
        assert env.dataset.image(feature["id"]).is_pano is False


def test_batch_runs_are_independent(env, tmp_path):
    """The batch dialog runs fresh instances one after the other with their own parameters."""
    import processing

    outputs = []
    for number, panoramas in enumerate((1, 2)):
        target = str(tmp_path / f"batch_{number}.gpkg")
        outputs.append(processing.run("mapillary:images",
                                      {"EXTENT": EXTENT, "PANORAMAS": panoramas, "OUTPUT": target})["OUTPUT"])
    panos, plain = (QgsVectorLayer(path, "b", "ogr") for path in outputs)
    assert panos.featureCount() and plain.featureCount()
    assert {f["is_pano"] for f in panos.getFeatures()} == {True}
    assert {f["is_pano"] for f in plain.getFeatures()} == {False}
