"""Exact layers: the ids, dates and counts the tiles hold, on whichever QGIS runs the tests."""

from pathlib import Path

import pytest
from osgeo import gdal
from qgis.core import QgsCoordinateReferenceSystem, QgsProject, QgsRectangle, QgsWkbTypes

from mapillary_qgis.client import Client
from mapillary_qgis.core.mvt_decode import TileDecodeError
from mapillary_qgis.core.session_store import SessionStore
from mapillary_qgis.core.tile_source import TileSource
from mapillary_qgis.core.tilemath import tile_bounds_mercator
from mapillary_qgis.errors import InvalidTokenError
from mapillary_qgis.qgis_glue.coverage import find_layers
from mapillary_qgis.qgis_glue.exact_layers import exact_layer, merged_lines_wkb
from mapillary_qgis.qgis_glue.live_layers import LiveLayers
from tests.fake_mapillary.dataset import DEMO_BBOX, DEMO_CENTER
from tests.fake_mapillary.tilemath import tile_for

CX, CY = tile_for(*DEMO_CENTER, 14)
REAL_TILE = "tiles/mly1_public_unknown-zxy_10231-images.mvt"


def gdal_images(data: bytes, z, x, y):
    """GDAL's own reading of a tile's `image` layer: {id: captured_at}."""
    path = f"/vsimem/reference_{z}_{x}_{y}.mvt"
    gdal.FileFromMemBuffer(path, data)
    try:
        dataset = gdal.OpenEx(path, gdal.OF_VECTOR, open_options=[f"X={x}", f"Y={y}", f"Z={z}"])
        layer = dataset.GetLayerByName("image")
        found = {}
        for feature in layer:
            index = feature.GetFieldIndex("id")
            found[feature.GetFieldAsInteger64(index)] = feature.GetFieldAsInteger64("captured_at")
        return found
    finally:
        gdal.Unlink(path)


@pytest.fixture
def source(fake_env, tmp_path):
    from mapillary_qgis.core.tile_cache import TileCache

    client = Client(fake_env.token, graph_url=fake_env.graph_url, tiles_url=fake_env.tiles_url, max_retries=0)
    return TileSource(client, TileCache(tmp_path / "tiles"))


@pytest.fixture
def store(tmp_path):
    return SessionStore.create(tmp_path / "mapillary-session-1-1.gpkg", merged_lines_wkb)


def stored_layer(store, key, records):
    store.add(key, records)
    return exact_layer(key, store)


def test_real_tile_gives_exact_ids_dates_and_count(fixtures_dir, fake_env, source, store):
    data = (fixtures_dir / REAL_TILE).read_bytes()
    fake_env.serve_tile_bytes("mly1_public", data)
    result = source.load("mly1_public", [(14, CX, CY)], ["image"])
    layer = stored_layer(store, "images", result.records["image"])
    assert layer.isValid() and layer.providerType() == "ogr"

    reference = gdal_images(data, 14, CX, CY)
    inside = {r.id for r in result.records["image"]}
    assert len(reference) == 10231
    assert inside <= set(reference)  # points in the tile's buffer belong to its neighbours
    assert layer.featureCount() == len(inside) > 10000

    by_id = {f["id"]: f for f in layer.getFeatures()}
    assert set(by_id) == inside
    assert max(by_id) > 2**31  # 64-bit ids survive, whatever QGIS's vector-tile decoder does
    zero_dates = 0
    for image_id, feature in by_id.items():
        captured = reference[image_id]
        if captured == 0:
            zero_dates += 1
            assert feature["captured_at"] is None or feature.attribute("captured_at").isNull()
        else:
            assert feature["captured_at"].toMSecsSinceEpoch() == captured
    assert zero_dates >= 1


def test_demo_block_each_image_once_with_exact_values(fake_env, source, store):
    tiles = [(14, CX + dx, CY + dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1)]
    result = source.load("mly1_public", tiles, ["image", "sequence"])
    layer = stored_layer(store, "images", result.records["image"])
    expected = {image.id: image for image in fake_env.dataset.images
                if DEMO_BBOX[0] <= image.lon < DEMO_BBOX[2] and DEMO_BBOX[1] < image.lat <= DEMO_BBOX[3]}
    ids = [f["id"] for f in layer.getFeatures()]
    assert len(ids) == len(set(ids)) == len(expected)
    for feature in layer.getFeatures():
        image = expected[feature["id"]]
        if image.captured_at:
            assert feature["captured_at"].toMSecsSinceEpoch() == image.captured_at

    sequences = stored_layer(store, "sequences", result.records["sequence"])
    seq_ids = [f["id"] for f in sequences.getFeatures()]
    assert len(seq_ids) == len(set(seq_ids)) > 0
    assert all(QgsWkbTypes.geometryType(f.geometry().wkbType()) == QgsWkbTypes.GeometryType.LineGeometry
               for f in sequences.getFeatures())


def test_second_pass_over_the_same_area_makes_no_request(fake_env, source):
    tiles = [(14, CX, CY), (14, CX + 1, CY)]
    source.load("mly1_public", tiles, ["image"])
    before = len(fake_env.requests)
    again = source.load("mly1_public", tiles, ["image"])
    assert len(fake_env.requests) == before
    assert again.from_cache == 2 and again.requested == 0


def test_a_garbage_tile_is_skipped_and_the_rest_kept(fake_env, source):
    fake_env.inject("garbage", host="tiles", count=None, path_contains=f"/14/{CX}/{CY}")
    tiles = [(14, CX, CY), (14, CX + 1, CY), (14, CX - 1, CY)]
    result = source.load("mly1_public", tiles, ["image"])
    assert list(result.failures) == [(14, CX, CY)]
    assert isinstance(result.failures[(14, CX, CY)], TileDecodeError)
    assert sorted(result.tiles) == sorted([(14, CX + 1, CY), (14, CX - 1, CY)])
    assert result.records["image"]


def test_a_403_tile_stops_the_load_with_one_token_error(fake_env, source):
    fake_env.inject("status", host="tiles", count=None, status=403)
    tiles = [(14, CX + dx, CY + dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1)]
    result = source.load("mly1_public", tiles, ["image"])
    assert isinstance(result.fatal, InvalidTokenError)
    assert len(fake_env.requests) < len(tiles)


def view_middle_of(canvas, x, y, size=300):
    """A small view in the middle of one z14 tile, so that only this tile is needed."""
    west, south, east, north = tile_bounds_mercator(14, x, y)
    cx, cy = (west + east) / 2, (south + north) / 2
    canvas.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:3857"))
    canvas.setExtent(QgsRectangle(cx - size, cy - size, cx + size, cy + size))


def demo_canvas_extent(canvas):
    view_middle_of(canvas, CX, CY)


def test_live_layers_follow_the_map_in_the_background(qtbot, qgis_canvas, fake_env, source):
    project = QgsProject()
    view_middle_of(qgis_canvas, CX - 1, CY)
    live = LiveLayers(qgis_canvas, lambda: source, project=project, debounce_ms=50)
    try:
        layer = live.enable("images")
        qtbot.waitUntil(lambda: not live._tasks and layer.featureCount() > 0, timeout=20000)
        first = layer.featureCount()
        requests = len(fake_env.requests)

        qgis_canvas.setExtent(qgis_canvas.extent())  # the same view again: nothing to fetch
        qtbot.wait(300)
        assert len(fake_env.requests) == requests and layer.featureCount() == first

        assert [r.path.split("/")[-2:] for r in fake_env.requests] == [[str(CX - 1), str(CY)]]
        view_middle_of(qgis_canvas, CX + 1, CY)  # pan: one new tile
        qtbot.waitUntil(lambda: not live._tasks and layer.featureCount() > first, timeout=20000)
        ids = [f["id"] for f in layer.getFeatures()]
        assert len(ids) == len(set(ids))
        assert find_layers("images", project) == [layer]
    finally:
        live.shutdown()
        project.removeAllMapLayers()  # OGR layers must not outlive QGIS (a crash at exit)


def test_zoomed_out_view_asks_to_zoom_in(qtbot, qgis_canvas, fake_env, source):
    project = QgsProject()
    qgis_canvas.setExtent(QgsRectangle(-2e6, 3e6, 2e6, 6e6))
    live = LiveLayers(qgis_canvas, lambda: source, project=project, debounce_ms=50)
    messages = []
    live.status.connect(lambda level, text: messages.append(text))
    try:
        live.enable("images")
        assert any("Zoom in" in m for m in messages)
        assert fake_env.requests == []
    finally:
        live.shutdown()
        project.removeAllMapLayers()  # OGR layers must not outlive QGIS (a crash at exit)


def test_invalid_token_is_one_message(qtbot, qgis_canvas, fake_env, source):
    fake_env.inject("invalid_token", host="tiles", count=None)
    project = QgsProject()
    demo_canvas_extent(qgis_canvas)
    live = LiveLayers(qgis_canvas, lambda: source, project=project, debounce_ms=50)
    messages = []
    live.status.connect(lambda level, text: messages.append((level, text)))
    try:
        live.enable("images")
        qtbot.waitUntil(lambda: not live._tasks and any(level == "error" for level, _ in messages), timeout=20000)
        errors = [text for level, text in messages if level == "error"]
        assert len(errors) == 1 and "token" in errors[0]
    finally:
        live.shutdown()
        project.removeAllMapLayers()  # OGR layers must not outlive QGIS (a crash at exit)


def test_an_area_the_user_picks_is_loaded_whatever_the_view(qtbot, qgis_canvas, fake_env, source):
    project = QgsProject()
    qgis_canvas.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:3857"))
    qgis_canvas.setExtent(QgsRectangle(-2e6, 3e6, 2e6, 6e6))  # zoomed far out: the view loads nothing
    live = LiveLayers(qgis_canvas, lambda: source, project=project, debounce_ms=50)
    try:
        layer = live.enable("images")
        assert layer.featureCount() == 0
        west, south, _, _ = tile_bounds_mercator(14, CX - 1, CY + 1)
        _, _, east, north = tile_bounds_mercator(14, CX + 1, CY - 1)
        assert live.load_area(QgsRectangle(west + 1, south + 1, east - 1, north - 1),
                              QgsCoordinateReferenceSystem("EPSG:3857"))
        qtbot.waitUntil(lambda: not live._tasks and layer.featureCount() > 0, timeout=20000)
        in_bbox = [i for i in fake_env.dataset.images
                   if DEMO_BBOX[0] <= i.lon < DEMO_BBOX[2] and DEMO_BBOX[1] < i.lat <= DEMO_BBOX[3]]
        assert layer.featureCount() == len(in_bbox)
        assert not live.load_area(QgsRectangle(-2e6, 3e6, 2e6, 6e6), QgsCoordinateReferenceSystem("EPSG:3857"))
    finally:
        live.shutdown()
        project.removeAllMapLayers()  # OGR layers must not outlive QGIS (a crash at exit)


def test_the_layers_tab_picks_an_area_with_a_rectangle_tool(qtbot, qgis_canvas, fake_env, source):
    from qgis.gui import QgsMapToolExtent, QgsMapToolPan

    from mapillary_qgis.core.tile_server import LocalTileServer
    from mapillary_qgis.gui.layers_tab import LayersTab
    from mapillary_qgis.qgis_glue.token_store import TokenStore

    project = QgsProject()
    live = LiveLayers(qgis_canvas, lambda: source, project=project, debounce_ms=50)
    server = LocalTileServer(source).start()
    tab = LayersTab(live, server, None, TokenStore(), project=project)
    qtbot.addWidget(tab)
    pan = QgsMapToolPan(qgis_canvas)
    qgis_canvas.setMapTool(pan)
    try:
        tab.boxes["images"].setChecked(True)
        tab.area_button.click()
        tool = qgis_canvas.mapTool()
        assert isinstance(tool, QgsMapToolExtent)
        west, south, east, north = tile_bounds_mercator(14, CX, CY)
        tool.extentChanged.emit(QgsRectangle(west + 1, south + 1, east - 1, north - 1))
        assert qgis_canvas.mapTool() is pan  # the user's tool is back
        (layer,) = find_layers("images", project)
        qtbot.waitUntil(lambda: not live._tasks and layer.featureCount() > 0, timeout=20000)
    finally:
        qgis_canvas.unsetMapTool(pan)
        live.shutdown()
        project.removeAllMapLayers()  # OGR layers must not outlive QGIS (a crash at exit)
        tab.shutdown()
        server.stop()


def test_a_saved_project_reopens_on_this_sessions_store_and_fills_it(qtbot, qgis_canvas, fake_env, source, tmp_path):
    project = QgsProject()
    view_middle_of(qgis_canvas, CX, CY)
    live = LiveLayers(qgis_canvas, lambda: source, project=project, debounce_ms=50, store_dir=tmp_path / "one")
    try:
        layer = live.enable("images")
        qtbot.waitUntil(lambda: not live.busy() and layer.featureCount() > 0, timeout=20000)
        count, first_store, tip = layer.featureCount(), live.store().path, layer.mapTipTemplate()
        assert first_store.parent == tmp_path / "one" and layer.source().startswith(str(first_store))
        saved = tmp_path / "project" / "exact.qgs"
        saved.parent.mkdir()
        assert project.write(str(saved))
        text = saved.read_text()
        assert fake_env.token not in text and "mapillary-session-" in text
        # nothing of ours beside the project (QGIS 3.40 writes its own <project>_attachments.zip there)
        assert [p.name for p in saved.parent.iterdir() if not p.name.endswith("_attachments.zip")] == [saved.name]

        project.clear()  # the same session: the same store, tiles loaded again
        assert project.read(str(saved))
        (reopened,) = find_layers("images", project)
        assert reopened.isValid() and reopened.source().startswith(str(first_store))
        assert reopened.mapTipTemplate() == tip and "mapillary_thumbnail" in tip  # the map tip is kept
        qtbot.waitUntil(lambda: not live.busy() and reopened.featureCount() == count, timeout=20000)
    finally:
        project.removeAllMapLayers()  # always: OGR layers must not outlive QGIS (a crash at exit)
        live.shutdown()
    assert not first_store.exists()  # no layer used it any more

    # another QGIS session: its own store, which the reopened project's layers use and fill
    live = LiveLayers(qgis_canvas, lambda: source, project=project, debounce_ms=50, store_dir=tmp_path / "two")
    try:
        assert project.read(str(saved))
        (reopened,) = find_layers("images", project)
        assert reopened.isValid() and reopened.source().startswith(str(live.store().path))
        assert live.store().path.parent == tmp_path / "two"
        qtbot.waitUntil(lambda: not live.busy() and reopened.featureCount() == count, timeout=20000)
        assert reopened.readOnly()
    finally:
        project.removeAllMapLayers()
        live.shutdown()


def test_clearing_the_cache_moves_the_layers_to_an_empty_store(qtbot, qgis_canvas, fake_env, source, tmp_path):
    project = QgsProject()
    view_middle_of(qgis_canvas, CX, CY)
    live = LiveLayers(qgis_canvas, lambda: source, project=project, debounce_ms=50, store_dir=tmp_path / "store")
    try:
        layer = live.enable("images")
        qtbot.waitUntil(lambda: not live.busy() and layer.featureCount() > 0, timeout=20000)
        count, old = layer.featureCount(), live.store().path
        live.clear_store()
        assert layer.isValid() and layer.featureCount() == 0
        assert old.exists()  # deleted later: a render may still read it
        live.clear_store()
        assert not old.exists()
        live.load_view()
        qtbot.waitUntil(lambda: not live.busy() and layer.featureCount() == count, timeout=20000)
        assert layer.source().startswith(str(live.store().path))
    finally:
        project.removeAllMapLayers()
        live.shutdown()
    assert [p.name for p in (tmp_path / "store").iterdir()] == []  # no layer uses it any more: deleted


def test_stores_of_ended_sessions_are_deleted_at_start(qgis_canvas, source, tmp_path):
    import os

    folder = tmp_path / "store"
    folder.mkdir()
    dead = folder / "mapillary-session-999999999-1.gpkg"
    alive = folder / f"mapillary-session-{os.getppid()}-1.gpkg"
    other = folder / "notes.txt"
    for path in (dead, Path(f"{dead}-wal"), alive, other):
        path.write_text("x")
    live = LiveLayers(qgis_canvas, lambda: source, project=QgsProject(), store_dir=folder)
    live.shutdown()
    assert sorted(p.name for p in folder.iterdir()) == sorted([alive.name, other.name])


def test_the_loaded_layer_selects_and_exports_exact_values(qtbot, qgis_canvas, fake_env, source, tmp_path):
    from osgeo import ogr
    from qgis.core import QgsCoordinateTransformContext, QgsVectorFileWriter

    project = QgsProject()
    view_middle_of(qgis_canvas, CX, CY)
    live = LiveLayers(qgis_canvas, lambda: source, project=project, debounce_ms=50, store_dir=tmp_path / "store")
    try:
        layer = live.enable("images")
        qtbot.waitUntil(lambda: not live.busy() and layer.featureCount() > 0, timeout=20000)
        assert [c.name for c in layer.attributeTableConfig().columns() if c.hidden and c.name] == ["fid"]
        expected = {f["id"]: f["captured_at"].toMSecsSinceEpoch() for f in layer.getFeatures()
                    if f["captured_at"]}
        big = sorted(i for i in expected if i > 2**31)[:5]
        layer.selectByIds(big)  # the feature id is the Mapillary id
        assert sorted(f["id"] for f in layer.selectedFeatures()) == big

        options = QgsVectorFileWriter.SaveVectorOptions()
        options.driverName, options.onlySelectedFeatures = "GPKG", True
        out = str(tmp_path / "export.gpkg")
        error = QgsVectorFileWriter.writeAsVectorFormatV3(layer, out, QgsCoordinateTransformContext(), options)
        assert error[0] == QgsVectorFileWriter.WriterError.NoError
        dataset = ogr.Open(out)
        exported = {f.GetFieldAsInteger64("id") for f in dataset.GetLayer(0)}
        assert exported == set(big)
    finally:
        project.removeAllMapLayers()
        live.shutdown()
