"""Rows inserted a hundred a statement: every row, in order, whatever the count and SQLite's limit on values."""

import sqlite3

import pytest

from mapillary_qgis.core import sqlite_batch
from mapillary_qgis.core.sqlite_batch import insert_rows


def table():
    connection = sqlite3.connect(":memory:")
    connection.execute('CREATE TABLE "a ""t""" (n INTEGER PRIMARY KEY, x REAL, s TEXT, b BLOB)')
    return connection


@pytest.mark.parametrize("count", [0, 1, 99, 100, 101, 250, 1_000])
def test_every_row_in_order(count):
    connection = table()
    rows = [(i, i / 3, None if i % 7 else f"s{i}", bytes([i % 256]) * 3) for i in range(count)]
    insert_rows(connection, 'INSERT INTO "a ""t""" (n, x, s, b)', rows)
    assert connection.execute('SELECT * FROM "a ""t""" ORDER BY rowid').fetchall() == rows


def test_a_small_limit_on_bound_values_gives_smaller_statements(monkeypatch):
    monkeypatch.setattr(sqlite_batch, "_variable_limit", lambda connection: 9)  # two rows of four a statement
    connection = table()
    statements = []
    connection.set_trace_callback(statements.append)
    rows = [(i, 0.5, "x", b"") for i in range(5)]
    insert_rows(connection, 'INSERT INTO "a ""t""" (n, x, s, b)', rows)
    assert connection.execute('SELECT count(*) FROM "a ""t"""').fetchone()[0] == 5
    inserts = [statement for statement in statements if statement.startswith("INSERT")]
    assert [statement.count("), (") + 1 for statement in inserts] == [2, 2, 1]


def test_a_failing_row_raises_and_the_caller_rolls_back():
    connection = table()
    with pytest.raises(sqlite3.IntegrityError):
        insert_rows(connection, 'INSERT INTO "a ""t""" (n, x, s, b)', [(1, 0, "", b""), (1, 0, "", b"")])


def test_rows_of_different_widths_are_refused_before_anything_is_written():
    connection = table()
    rows = [(i, 0.5, "x", b"") for i in range(150)]
    rows[120] = (120, 0.5, "x")
    with pytest.raises(ValueError):
        insert_rows(connection, 'INSERT INTO "a ""t""" (n, x, s, b)', rows)
    assert connection.execute('SELECT count(*) FROM "a ""t"""').fetchone()[0] == 0
