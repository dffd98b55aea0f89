"""The session store: exact rows, one per id, lines that merge across loads, and SQL filters that agree
with the Python ones on every record."""

import sqlite3
import threading
from contextlib import closing
from datetime import date, datetime, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from osgeo import ogr

from mapillary_qgis.core.filters import Filters, feature_matcher, image_matcher, sql_where
from mapillary_qgis.core.records import ImageRecord, MapFeatureRecord, SequenceRecord
from mapillary_qgis.core.session_store import COLUMNS, PARTS_TABLE, SessionStore, StoreError

BIG = 178993950747668
MS = 1436622890123  # 2015-07-11T13:54:50.123Z


@pytest.fixture
def store(tmp_path):
    return SessionStore.create(tmp_path / "mapillary-session-test.gpkg")


def rows(store, table, where=""):
    with closing(sqlite3.connect(store.path)) as connection:
        sql = f"SELECT id FROM {table}" + (f" WHERE {where}" if where else "")
        return {row[0] for row in connection.execute(sql)}


def gdal_features(store, table):
    dataset = ogr.Open(str(store.path))
    layer = dataset.GetLayerByName(table)
    found = []
    for feature in layer:
        values = {name: feature.GetField(name) for name, _kind in COLUMNS[table]}
        values["fid"] = feature.GetFID()
        geometry = feature.GetGeometryRef()
        values["wkt"] = geometry.ExportToIsoWkt() if geometry else None
        found.append(values)
    count, extent = layer.GetFeatureCount(), layer.GetExtent()
    return found, count, extent


def test_gdal_reads_the_rows_back_exactly(store):
    image = ImageRecord(BIG, -9.1, 38.7, MS, 12.5, "seq1", True, 2**40 + 1, 2**33)
    assert store.add("images", [image, ImageRecord(5, -9.2, 38.8, 0)]).rows == 2
    found, count, extent = gdal_features(store, "images")
    assert count == 2 and extent == (-9.2, -9.1, 38.7, 38.8)
    by_id = {f["id"]: f for f in found}
    assert by_id[BIG]["fid"] == BIG and by_id[BIG]["creator_id"] == 2**40 + 1
    assert by_id[BIG]["captured_at"] == "2015/07/11 13:54:50.123+00"
    with closing(sqlite3.connect(store.path)) as connection:  # a quarter ms more: every reader's ms is right
        assert connection.execute(f"SELECT captured_at FROM images WHERE fid = {BIG}").fetchone() == (
            "2015-07-11T13:54:50.12325Z",)
    assert by_id[BIG]["is_pano"] == 1 and by_id[BIG]["wkt"] == "POINT (-9.1 38.7)"
    assert by_id[5]["captured_at"] is None and by_id[5]["is_pano"] is None  # 0: no capture time


def test_an_id_met_again_is_kept_once(store):
    first = ImageRecord(7, 1.0, 2.0, MS)
    assert store.add("images", [first, first]).rows == 1
    assert store.add("images", [first._replace(lon=3.0), ImageRecord(8, 1.0, 2.0, MS)]).rows == 1
    found, count, _ = gdal_features(store, "images")
    assert count == 2 and sorted(f["id"] for f in found) == [7, 8]
    assert [f["wkt"] for f in found if f["id"] == 7] == ["POINT (1 2)"]


def test_the_spatial_index_finds_what_was_added(store):
    store.add("images", [ImageRecord(i, -9 + i * 0.001, 38 + i * 0.001, MS) for i in range(1, 2001)])
    store.add("images", [ImageRecord(i, -9 + i * 0.001, 38 + i * 0.001, MS) for i in range(1500, 2501)])
    with closing(sqlite3.connect(store.path)) as connection:
        assert connection.execute("SELECT rtreecheck('rtree_images_geom')").fetchone() == ("ok",)
    dataset = ogr.Open(str(store.path))  # kept: its layers die with it
    layer = dataset.GetLayerByName("images")
    layer.SetSpatialFilterRect(-8.0005, 38.9995, -7.4995, 39.5005)  # ids 1000..1500
    assert sorted(f.GetField("id") for f in layer) == list(range(1000, 1501))


def test_a_sequence_crossing_tiles_loaded_apart_is_one_line(store):
    west = SequenceRecord("s1", (((0.0, 0.0), (1.0, 0.0)),), image_id=BIG, captured_at=MS, is_pano=False)
    east = SequenceRecord("s1", (((1.0, 0.0), (2.0, 0.5)),), image_id=1, captured_at=1)
    other = SequenceRecord("s2", (((5.0, 5.0), (6.0, 6.0)),))
    assert store.add("sequences", [west, other]).rows == 2
    added = store.add("sequences", [east])
    assert (added.rows, added.sequences) == (0, 1)  # s1 rebuilt, s2 untouched
    assert store.add("sequences", [east]).sequences == 0  # nothing new: nothing rebuilt
    found, count, extent = gdal_features(store, "sequences")
    assert count == 2 and extent == (0.0, 6.0, 0.0, 6.0)
    s1 = next(f for f in found if f["id"] == "s1")
    assert s1["image_id"] == BIG  # the first occurrence's properties
    assert s1["wkt"] == "MULTILINESTRING ((0 0,1 0),(1 0,2.0 0.5))"
    with closing(sqlite3.connect(store.path)) as connection:
        assert connection.execute(f"SELECT COUNT(*) FROM {PARTS_TABLE}").fetchone() == (3,)
        assert connection.execute("SELECT rtreecheck('rtree_sequences_geom')").fetchone() == ("ok",)


def test_lines_are_built_by_the_given_function(tmp_path):
    seen = []
    store = SessionStore.create(tmp_path / "s.gpkg", lines_wkb=lambda parts: seen.append(parts))
    store.add("sequences", [SequenceRecord("s", (((0.0, 0.0), (1.0, 1.0)),))])
    assert seen == [[[(0.0, 0.0), (1.0, 1.0)]]]
    assert gdal_features(store, "sequences")[0][0]["wkt"] is None  # no line: no geometry, no index entry


def test_map_feature_classes_are_listed_once(store):
    store.add("map_features", [MapFeatureRecord(1, 0, 0, "object--bench"), MapFeatureRecord(2, 0, 0, "object--bench")])
    store.add("traffic_signs", [MapFeatureRecord(3, 0, 0, "regulatory--stop--g1", layer="traffic_sign")])
    assert store.values() == ["object--bench", "regulatory--stop--g1"]


def test_two_writers_at_once_wait_for_each_other(store):
    errors = []

    def write(start):
        try:
            for n in range(5):
                store.add("images", [ImageRecord(start + n * 100 + i, 0.0, 0.0, MS) for i in range(100)])
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(k * 1000,)) for k in range(3)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert errors == [] and store.count("images") == 1500


def test_a_store_deleted_meanwhile_is_a_store_error(store):
    store.delete()
    assert not store.path.exists()
    with pytest.raises(StoreError):
        store.add("images", [ImageRecord(1, 0.0, 0.0, MS)])


def test_the_sql_filter_of_nothing_is_empty():
    assert {sql_where(Filters(), t) for t in COLUMNS} == {""}
    with pytest.raises(ValueError):
        sql_where(Filters(), "nope")


# -- the SQL filters decide as the Python ones, record by record -----------------------------

ZONE = "America/Los_Angeles"
NOW = datetime(2020, 3, 8, 12, 0, tzinfo=timezone.utc)
times = st.one_of(st.just(0), st.integers(1, 2**41), st.sampled_from([MS, MS + 1, MS - 1]))
days = st.one_of(st.none(), st.dates(date(1969, 12, 25), date(2040, 1, 1)))
angles = st.one_of(st.none(), st.sampled_from([0.0, 90.0, 359.9, 360.0, 10.0, 350.0]), st.floats(0, 400))
images = st.builds(ImageRecord, st.integers(1, 2**62), st.just(0.0), st.just(0.0), times, angles,
                   st.sampled_from(["a", "b", None]), st.sampled_from([True, False, None]),
                   st.sampled_from([1, 2**40, None]), st.sampled_from([7, None]))
image_filters = st.builds(
    Filters, date_from=days, date_to=days,
    relative=st.one_of(st.none(), st.tuples(st.integers(1, 30), st.sampled_from(["days", "months", "years"]))),
    panoramas=st.sampled_from(["all", "only", "exclude"]),
    creator_ids=st.sampled_from([(), (1,), (2**40, 5)]), organization_ids=st.sampled_from([(), (7,)]),
    sequence_ids=st.sampled_from([(), ("a",), ("a", "it's")]),
    angle_from=st.sampled_from([None, 0.0, 350.0, 90.0]), angle_to=st.sampled_from([None, 10.0, 360.0, 180.0]))
features = st.builds(MapFeatureRecord, st.integers(1, 2**62), st.just(0.0), st.just(0.0),
                     st.sampled_from(["regulatory--stop--g1", "regulatory--yield--g1", "object--bench", "a_b"]),
                     st.one_of(st.none(), st.integers(1, 2**41)), st.one_of(st.none(), st.integers(1, 2**41)))
# a feature time of 0 is stored as NULL, as the memory layers showed it; Mapillary sends none
feature_filters = st.builds(Filters, seen_from=days, seen_to=days, feature_classes=st.sampled_from(
    [(), ("object--bench",), ("regulatory--",), ("regulatory--*", "a_b"), ("a_",)]))


def _unique(records):
    return list({r.id: r for r in records}.values())


@settings(max_examples=150, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(records=st.lists(images, min_size=1, max_size=30), filters=image_filters)
def test_image_filters_in_sql_pass_what_the_matcher_passes(tmp_path_factory, records, filters):
    store = _shared_store(tmp_path_factory, "images")
    records = _unique(records)
    _refill(store, "images", records)
    if filters.angle_from is None or filters.angle_to is None:
        filters = Filters(**{**filters.__dict__, "angle_from": None, "angle_to": None})
    match = image_matcher(filters, ZONE, NOW)
    assert rows(store, "images", sql_where(filters, "images", ZONE, NOW)) == {r.id for r in records if match(r)}


@settings(max_examples=150, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(records=st.lists(features, min_size=1, max_size=30), filters=feature_filters)
def test_feature_filters_in_sql_pass_what_the_matcher_passes(tmp_path_factory, records, filters):
    store = _shared_store(tmp_path_factory, "map_features")
    records = _unique(records)
    _refill(store, "map_features", records)
    match = feature_matcher(filters, ZONE, NOW)
    where = sql_where(filters, "map_features", ZONE, NOW)
    assert rows(store, "map_features", where) == {r.id for r in records if match(r)}


def test_sequence_filters_use_the_sequence_id(store):
    store.add("sequences", [SequenceRecord("a", (((0.0, 0.0), (1.0, 1.0)),), captured_at=MS, is_pano=True),
                            SequenceRecord("b", (((0.0, 0.0), (1.0, 2.0)),), captured_at=MS, is_pano=False)])
    assert rows(store, "sequences", sql_where(Filters(sequence_ids=("b",)), "sequences")) == {"b"}
    assert rows(store, "sequences", sql_where(Filters(panoramas="only"), "sequences")) == {"a"}
    both = Filters(angle_from=0.0, angle_to=10.0)  # no angle on lines: the filter does not apply
    assert rows(store, "sequences", sql_where(both, "sequences")) == {"a", "b"}


_STORES = {}


def _shared_store(factory, table):
    if table not in _STORES:
        _STORES[table] = SessionStore.create(factory.mktemp("store") / "s.gpkg")
    return _STORES[table]


def _refill(store, table, records):
    with closing(sqlite3.connect(store.path)) as connection:
        connection.execute(f"DELETE FROM {table}")
        connection.execute(f"DELETE FROM rtree_{table}_geom")
        connection.commit()
    store.add(table, records)
