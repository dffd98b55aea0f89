"""A packed R*Tree written into SQLite's shadow tables: the same entries as row-by-row inserts, a valid tree."""

import random
import sqlite3

import pytest

pytest.importorskip("numpy")

from mapillary_qgis.core import rtree_pack  # noqa: E402
from mapillary_qgis.core.rtree_pack import pack_into  # noqa: E402

NAME = 'rtree_my "images"_geom'  # quotes and spaces in the name, as a layer name may have
QUOTED = '"' + NAME.replace('"', '""') + '"'


def rtree(columns="id, minx, maxx, miny, maxy"):
    connection = sqlite3.connect(":memory:", isolation_level=None)
    connection.execute(f"CREATE VIRTUAL TABLE {QUOTED} USING rtree({columns})")
    return connection


def points(count, seed=0, box=(-180.0, 180.0, -90.0, 90.0)):
    rnd = random.Random(seed)
    return [(3 * i + 7, rnd.uniform(box[0], box[1]), rnd.uniform(box[2], box[3])) for i in range(count)]


def packed(rows):
    connection = rtree()
    connection.execute("BEGIN")
    assert pack_into(connection, NAME, [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows])
    connection.execute("COMMIT")
    return connection


def inserted(rows):
    connection = rtree()
    connection.executemany(f"INSERT INTO {QUOTED} VALUES (?, ?, ?, ?, ?)", [(i, x, x, y, y) for i, x, y in rows])
    return connection


def entries(connection):
    return connection.execute(f"SELECT * FROM {QUOTED} ORDER BY id").fetchall()


def check(connection):
    return connection.execute("SELECT rtreecheck(?)", (NAME,)).fetchone()[0]


def search(connection, west, east, south, north):
    return [row[0] for row in connection.execute(
        f"SELECT id FROM {QUOTED} WHERE maxx >= ? AND minx <= ? AND maxy >= ? AND miny <= ? ORDER BY id",
        (west, east, south, north))]


@pytest.mark.parametrize("count", [1, 2, 50, 51, 52, 101, 2601, 2602, 10_231, 40_000])
def test_same_entries_as_row_by_row_and_a_valid_tree(count):
    rows = points(count, seed=count)
    ours, sqlites = packed(rows), inserted(rows)
    assert entries(ours) == entries(sqlites)  # the same 32-bit boxes, rounded outwards as SQLite rounds them
    assert check(ours) == "ok"
    for box in ((-10, 10, -5, 5), (100, 180, 0, 90), (-180, 180, -90, 90), (0, 0.001, 0, 0.001)):
        assert search(ours, *box) == search(sqlites, *box)


def test_depth_and_fill_of_the_tree():
    rows = points(10_231)
    connection = packed(rows)
    node_table = '"' + f"{NAME}_node".replace('"', '""') + '"'
    blobs = [data for (data,) in connection.execute(f"SELECT data FROM {node_table}")]
    root = connection.execute(f"SELECT data FROM {node_table} WHERE nodeno = 1").fetchone()[0]
    assert int.from_bytes(root[:2], "big") == 2  # 10,231 points, 51 a node: leaves, one level, the root
    counts = sorted(int.from_bytes(blob[2:4], "big") for blob in blobs if blob != root)
    assert counts[0] >= 51 // 2  # no nearly empty node: entries spread evenly over a level's nodes
    assert all(len(blob) == len(root) for blob in blobs)


def test_later_inserts_updates_and_deletes_keep_a_valid_tree():
    rows = points(5_000, seed=1)
    connection = packed(rows)
    connection.executemany(f"INSERT INTO {QUOTED} VALUES (?, ?, ?, ?, ?)",
                           [(i, x, x, y, y) for i, x, y in points(3_000, seed=2, box=(0, 1, 0, 1))
                            if i > 3 * 5_000 + 7])
    connection.execute(f"DELETE FROM {QUOTED} WHERE id % 2 = 0")
    connection.execute(f"UPDATE {QUOTED} SET minx = 5, maxx = 6 WHERE id = 7")
    assert check(connection) == "ok"
    assert 7 in search(connection, 5.5, 5.5, -90, 90)


@pytest.mark.parametrize("coordinates", [
    (0.1, -0.1), (1e-40, -1e-40), (179.99999999, -179.99999999), (38.7223, -9.1393), (1e30, -1e30), (0.0, -0.0),
])
def test_rounding_matches_sqlite_for_awkward_values(coordinates):
    rows = [(i + 1, x, y) for i, (x, y) in enumerate([coordinates, coordinates[::-1]])]
    assert entries(packed(rows)) == entries(inserted(rows))


def test_not_empty_or_not_2d_or_no_points_is_refused_and_writes_nothing():
    connection = inserted(points(3))
    assert not pack_into(connection, NAME, [100], [1.0], [2.0])
    assert len(entries(connection)) == 3
    connection = rtree("id, minx, maxx, miny, maxy, minz, maxz")
    assert not pack_into(connection, NAME, [1], [1.0], [2.0])
    assert entries(connection) == []
    assert not pack_into(rtree(), NAME, [], [], [])
    assert not pack_into(rtree(), "no such table", [1], [1.0], [2.0])


def test_an_index_emptied_by_deletes_is_packed_again():
    connection = inserted(points(200))
    connection.execute(f"DELETE FROM {QUOTED}")  # SQLite shrinks the tree back to an empty root
    assert pack_into(connection, NAME, [1, 2], [1.0, 3.0], [2.0, 4.0])
    assert entries(connection) == [(1, 1.0, 1.0, 2.0, 2.0), (2, 3.0, 3.0, 4.0, 4.0)]
    assert check(connection) == "ok"


def test_without_numpy_the_caller_inserts_rows(monkeypatch):
    monkeypatch.setattr(rtree_pack, "np", None)
    assert not pack_into(rtree(), NAME, [1], [1.0], [2.0])


def test_points_with_nan_are_left_to_row_by_row_inserts():
    rows = points(200)
    connection = rtree()
    assert not pack_into(connection, NAME, [r[0] for r in rows] + [9999], [r[1] for r in rows] + [float("nan")],
                         [r[2] for r in rows] + [1.0])
    assert entries(connection) == []


def test_slices_of_nodes_and_rows_give_the_same_tree(monkeypatch):
    rows = points(20_000, seed=3)
    whole = packed(rows)
    monkeypatch.setattr(rtree_pack, "_NODES_A_SLICE", 7)
    monkeypatch.setattr(rtree_pack, "_ROWS_A_SLICE", 1_000)
    sliced = packed(rows)
    assert check(sliced) == "ok" and entries(sliced) == entries(whole)
    dump = 'SELECT * FROM "{}" ORDER BY 1'
    for part in ("node", "rowid", "parent"):
        table = f"{NAME}_{part}".replace('"', '""')
        assert sliced.execute(dump.format(table)).fetchall() == whole.execute(dump.format(table)).fetchall()
