"""Bulk-appending points to a GeoPackage: read back by GDAL exactly, index working, GDAL's validator content."""

import random
import sqlite3

import pytest

gdal = pytest.importorskip("osgeo.gdal")
ogr = pytest.importorskip("osgeo.ogr")
osr = pytest.importorskip("osgeo.osr")

from mapillary_qgis.core import gpkg  # noqa: E402
from mapillary_qgis.core.gpkg import (  # noqa: E402
    GeoPackageError,
    PointAppender,
    append_points,
    feature_tables,
    iso_utc,
    iso_utc_column,
)

NAMES = ("id", "captured_at", "compass_angle", "sequence_id", "is_pano")
ROWS = [  # (lon, lat, id, captured_at, compass_angle, sequence_id, is_pano)
    (-9.1393, 38.7223, 178993950747668, "2015-07-11T21:14:50.123Z", 359.5, "seq-a", True),
    (-9.1400, 38.7230, 2**62 + 1, "1999-12-31T23:59:59.999Z", 0.0, "seq-a", False),
    (-9.1500, 38.7300, 3, None, None, None, None),
]


def make_gpkg(path, with_index=True):
    """A GeoPackage as QGIS's file writer leaves it: an empty point layer with fields and spatial index."""
    dataset = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4326)
    layer = dataset.CreateLayer("images", srs, ogr.wkbPoint, [f"SPATIAL_INDEX={'YES' if with_index else 'NO'}"])
    for name, kind in (("id", ogr.OFTInteger64), ("captured_at", ogr.OFTDateTime), ("compass_angle", ogr.OFTReal),
                       ("sequence_id", ogr.OFTString), ("is_pano", ogr.OFTInteger)):
        field = ogr.FieldDefn(name, kind)
        if name == "is_pano":
            field.SetSubType(ogr.OFSTBoolean)
        layer.CreateField(field)
    dataset = None
    return str(path)


def iso(feature, name):
    """GDAL's reading of a date-time field as ISO text; only UTC (time zone flag 100) is accepted."""
    if not feature.IsFieldSetAndNotNull(name):
        return None
    year, month, day, hour, minute, second, zone = feature.GetFieldAsDateTime(name)
    assert zone == 100, "not read as UTC"
    return f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:{second:06.3f}Z"


def read(path, spatial_filter=None):
    dataset = gdal.OpenEx(path, gdal.OF_VECTOR)
    layer = dataset.GetLayer(0)
    if spatial_filter:
        layer.SetSpatialFilterRect(*spatial_filter)
    rows = []
    for feature in layer:
        point = feature.GetGeometryRef()
        rows.append((point.GetX(), point.GetY(), feature.GetFieldAsInteger64("id"),
                     iso(feature, "captured_at"),
                     feature.GetField("compass_angle"), feature.GetField("sequence_id"),
                     None if not feature.IsFieldSetAndNotNull("is_pano") else bool(feature.GetField("is_pano"))))
    extent = layer.GetExtent()
    count = layer.GetFeatureCount()
    dataset = None
    return rows, extent, count


def test_rows_read_back_exactly(tmp_path):
    path = make_gpkg(tmp_path / "out.gpkg")
    assert append_points(path, "images", NAMES, ROWS) == 3
    rows, extent, count = read(path)
    assert rows == ROWS
    assert count == 3
    assert extent == pytest.approx((-9.15, -9.1393, 38.7223, 38.73))


def test_the_spatial_index_finds_the_points_and_later_writes_still_index(tmp_path):
    path = make_gpkg(tmp_path / "out.gpkg")
    append_points(path, "images", NAMES, ROWS)
    rows, _, _ = read(path, spatial_filter=(-9.141, 38.722, -9.139, 38.724))
    assert [r[2] for r in rows] == [178993950747668, 2**62 + 1]
    # The index triggers are back: a feature GDAL adds afterwards is indexed too.
    dataset = gdal.OpenEx(path, gdal.OF_VECTOR | gdal.OF_UPDATE)
    layer = dataset.GetLayer(0)
    feature = ogr.Feature(layer.GetLayerDefn())
    feature.SetField("id", 4)
    feature.SetGeometry(ogr.CreateGeometryFromWkt("POINT (10 50)"))
    layer.CreateFeature(feature)
    dataset = None
    assert [r[2] for r in read(path, spatial_filter=(9, 49, 11, 51))[0]] == [4]
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT COUNT(*) FROM rtree_images_geom").fetchone() == (4,)
        assert connection.execute("SELECT feature_count FROM gpkg_ogr_contents").fetchone() == (4,)


def test_gdal_triggers_are_put_back_unchanged(tmp_path):
    path = make_gpkg(tmp_path / "out.gpkg")
    query = "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name"
    with sqlite3.connect(path) as connection:
        before = connection.execute(query).fetchall()
    append_points(path, "images", NAMES, ROWS)
    with sqlite3.connect(path) as connection:
        assert connection.execute(query).fetchall() == before
    assert any(name.startswith("rtree_images_geom_") for name, _ in before)


def test_appending_twice_adds_and_grows_the_extent(tmp_path):
    path = make_gpkg(tmp_path / "out.gpkg")
    append_points(path, "images", NAMES, ROWS[:1])
    append_points(path, "images", NAMES, [(10.0, 50.0, 9, None, None, None, None)])
    rows, extent, count = read(path)
    assert [r[2] for r in rows] == [178993950747668, 9] and count == 2
    assert extent == pytest.approx((-9.1393, 10.0, 38.7223, 50.0))


def test_appending_in_parts_commits_once_at_the_end(tmp_path):
    path = make_gpkg(tmp_path / "out.gpkg")
    with PointAppender(path, "images", NAMES) as appender:
        appender.add(ROWS[:1])
        appender.add([])
        appender.add(ROWS[1:])
        assert read(path)[2] == 0  # nothing visible to others before the end
    assert appender.count == 3 and read(path)[0] == ROWS


def test_an_error_in_the_block_writes_nothing(tmp_path):
    path = make_gpkg(tmp_path / "out.gpkg")
    with pytest.raises(KeyError), PointAppender(path, "images", NAMES) as appender:
        appender.add(ROWS)
        raise KeyError("cancelled by a bug")
    assert read(path)[2] == 0
    assert append_points(path, "images", NAMES, ROWS) == 3  # triggers and file intact


def test_gdal_validator_accepts_the_file(tmp_path):
    validate = pytest.importorskip("osgeo_utils.samples.validate_gpkg", reason="GDAL's validate_gpkg is not installed")
    path = make_gpkg(tmp_path / "out.gpkg")
    append_points(path, "images", NAMES, ROWS)
    validate.check(path, extra_checks=True, warning_as_error=True)  # raises on any problem


def test_without_a_spatial_index(tmp_path):
    path = make_gpkg(tmp_path / "out.gpkg", with_index=False)
    assert append_points(path, "images", NAMES, ROWS) == 3
    assert read(path)[0] == ROWS


def test_no_rows(tmp_path):
    path = make_gpkg(tmp_path / "out.gpkg")
    assert append_points(path, "images", NAMES, []) == 0
    assert read(path)[2] == 0


def test_a_failure_leaves_the_file_as_it_was(tmp_path):
    path = make_gpkg(tmp_path / "out.gpkg")
    append_points(path, "images", NAMES, ROWS[:1])
    bad = [ROWS[1], (0.0, 0.0, 5, None, None, None, None, "one value too many")]
    with pytest.raises(GeoPackageError):
        append_points(path, "images", NAMES, bad)
    rows, _, count = read(path)
    assert [r[2] for r in rows] == [178993950747668] and count == 1
    with sqlite3.connect(path) as connection:  # the index triggers were put back by the rollback
        triggers = connection.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'rtree_%'")
        assert len(triggers.fetchall()) >= 4


@pytest.mark.parametrize("table, names", [("nope", NAMES), ("images", ("id", "no_such_column"))])
def test_unknown_table_or_column(tmp_path, table, names):
    path = make_gpkg(tmp_path / "out.gpkg")
    with pytest.raises(GeoPackageError, match="nope|no_such_column"):
        append_points(path, table, names, [])


def test_another_coordinate_system_is_refused(tmp_path):
    path = make_gpkg(tmp_path / "out.gpkg")
    with pytest.raises(GeoPackageError, match="SRS 4326, not 3857"):
        append_points(path, "images", NAMES, ROWS, srs_id=3857)
    assert append_points(path, "images", NAMES, ROWS, srs_id=4326) == 3


def test_values_sqlite_cannot_store_are_a_plain_error(tmp_path):
    path = make_gpkg(tmp_path / "out.gpkg")
    for bad in ("lone surrogate \udcff", 2**64):
        with pytest.raises(GeoPackageError):
            append_points(path, "images", NAMES, [(0.0, 0.0, 1, None, None, bad, None)])
    assert read(path)[2] == 0


def test_not_a_geopackage(tmp_path):
    text = tmp_path / "notes.gpkg"
    text.write_text("not sqlite")
    for path in (text, tmp_path / "missing.gpkg"):
        with pytest.raises(GeoPackageError, match="not a writable GeoPackage"):
            append_points(str(path), "images", NAMES, ROWS)
    assert not (tmp_path / "missing.gpkg").exists()


def test_any_characters_in_the_path(tmp_path):
    folder = tmp_path / "Lisboa 2015 #1 ?%20 ção"
    folder.mkdir()
    path = make_gpkg(folder / "out.gpkg")
    assert append_points(path, "images", NAMES, ROWS) == 3
    assert read(path)[0] == ROWS


def test_feature_tables(tmp_path):
    assert feature_tables(make_gpkg(tmp_path / "out.gpkg")) == ["images"]


@pytest.mark.parametrize("ms, text", [
    (1436649290123, "2015-07-11T21:14:50.123Z"),
    (1436649290000, "2015-07-11T21:14:50.000Z"),
    (1, "1970-01-01T00:00:00.001Z"),
    (0, None),  # Mapillary's "no capture time"
    (None, None),
    (-1, None),
    (253402300799999, "9999-12-31T23:59:59.999Z"),
    (253402300800000, None),
])
def test_iso_utc(ms, text):
    assert iso_utc(ms) == text
    assert iso_utc_column([ms]) == [text]


def test_iso_utc_column_is_iso_utc_of_each(monkeypatch):
    rnd = random.Random(5)
    values = [rnd.randrange(-10**13, 3 * 10**14) for _ in range(5_000)] + [0, 1, 253402300799999, 253402300800000,
                                                                          2**63 - 1, -2**63]
    expected = [iso_utc(ms) for ms in values]
    assert iso_utc_column(values) == expected
    assert iso_utc_column(values + [None]) == expected + [None]  # one at a time, same answers
    assert iso_utc_column([2**70, 5]) == [None, iso_utc(5)]
    mixed = values * 3  # several chunks of numpy's work, one of which has to go value by value
    mixed[9_000] = None
    assert iso_utc_column(mixed) == [None if ms is None else iso_utc(ms) for ms in mixed]
    monkeypatch.setattr(gpkg, "np", None)
    assert iso_utc_column(values) == expected


def test_columns_in_and_rows_in_give_the_same_file(tmp_path):
    by_rows, by_columns = make_gpkg(tmp_path / "rows.gpkg"), make_gpkg(tmp_path / "columns.gpkg")
    append_points(by_rows, "images", NAMES, ROWS)
    with PointAppender(by_columns, "images", NAMES) as appender:
        appender.add_columns(*map(list, zip(*ROWS)))
    assert read(by_rows) == read(by_columns)


@pytest.mark.parametrize("columns", [
    ([1.0], [2.0], [1], [None], [None], [None]),  # one column short
    ([1.0], [2.0, 3.0], [1], [None], [None], [None], [None]),  # lengths differ
])
def test_columns_that_do_not_fit_are_refused(tmp_path, columns):
    path = make_gpkg(tmp_path / "out.gpkg")
    with pytest.raises(GeoPackageError), PointAppender(path, "images", NAMES) as appender:
        appender.add_columns(*columns)
    with pytest.raises(GeoPackageError), PointAppender(path, "images", NAMES) as appender:
        appender.add([ROWS[0], ROWS[1][:-1]])
    assert read(path)[2] == 0


def rtree_check(path):
    with sqlite3.connect(path) as connection:
        return connection.execute("SELECT rtreecheck('rtree_images_geom')").fetchone()[0], connection.execute(
            "SELECT count(*) FROM rtree_images_geom_node").fetchone()[0]


def many_rows(count):
    return [(-9.2 + (i % 100) * 1e-3, 38.7 + (i // 100) * 1e-3, 10**14 + i, None, None, None, None)
            for i in range(count)]


def test_a_new_index_is_written_as_a_packed_tree(tmp_path):
    path = make_gpkg(tmp_path / "out.gpkg")
    rows = many_rows(5_000)
    with PointAppender(path, "images", NAMES) as appender:
        appender.add(rows[:3_000])
        appender.add(rows[3_000:])
    check, nodes = rtree_check(path)
    assert check == "ok"
    assert nodes == 99 + 2 + 1  # 5,000 points, at most 51 a node: 99 leaves, 2 nodes above them, the root
    found, _extent, _count = read(path, spatial_filter=(-9.2 + 0.0105, 38.7 + 0.0105, -9.2 + 0.0125, 38.7 + 0.0125))
    assert sorted(row[2] for row in found) == [10**14 + y * 100 + x for y in (11, 12) for x in (11, 12)]


def test_if_sqlite_refuses_the_packed_tree_the_rows_are_indexed_one_by_one(tmp_path, monkeypatch):
    from mapillary_qgis.core import rtree_pack

    real = rtree_pack.pack_into

    def half_written_then_refused(connection, *args):
        real(connection, *args)
        raise sqlite3.OperationalError("table rtree_images_geom_node may not be modified")

    monkeypatch.setattr(rtree_pack, "pack_into", half_written_then_refused)
    path = make_gpkg(tmp_path / "out.gpkg")
    assert append_points(path, "images", NAMES, many_rows(500)) == 500
    check, nodes = rtree_check(path)
    assert check == "ok"
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT count(*) FROM rtree_images_geom").fetchone()[0] == 500
    found, _extent, _count = read(path, spatial_filter=(-9.2 + 0.0105, 38.7 + 0.0005, -9.2 + 0.0115, 38.7 + 0.0015))
    assert [row[2] for row in found] == [10**14 + 111]


@pytest.mark.parametrize("failure", [MemoryError, sqlite3.OperationalError])
def test_if_packing_fails_for_any_reason_the_rows_are_indexed_in_slices(tmp_path, monkeypatch, failure):
    from mapillary_qgis.core import rtree_pack

    def refuse(*args):
        raise failure("no")

    monkeypatch.setattr(rtree_pack, "pack_into", refuse)
    monkeypatch.setattr(gpkg, "_INDEX_ROWS_A_SLICE", 64)
    path = make_gpkg(tmp_path / "out.gpkg")
    assert append_points(path, "images", NAMES, many_rows(500)) == 500
    assert rtree_check(path)[0] == "ok"
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT count(*) FROM rtree_images_geom").fetchone()[0] == 500


def test_nan_coordinates_keep_the_other_points_findable(tmp_path):
    path = make_gpkg(tmp_path / "out.gpkg")
    rnd = random.Random(1)
    rows = [(rnd.uniform(0, 10), rnd.uniform(0, 10), i, None, None, None, None) for i in range(200)]
    rows.insert(100, (float("nan"), 5.0, 999, None, None, None, None))
    assert append_points(path, "images", NAMES, rows) == 201
    with sqlite3.connect(path) as connection:  # what the index answers for a box around all valid points
        assert connection.execute("SELECT count(*) FROM rtree_images_geom WHERE maxx >= -1 AND minx <= 11 "
                                  "AND maxy >= -1 AND miny <= 11").fetchone()[0] >= 200
