"""Bulk-append points to an existing GeoPackage table, with exact values.

Writing 10,000 points feature by feature through QGIS and OGR takes about
half a second, and QGIS 3.22 drops the milliseconds and the time zone of
date-times on the way. Here one SQLite transaction inserts the rows as the
GeoPackage standard stores them (OGC 12-128r18): geometries as GeoPackage
binary (`GP` header, no envelope, little-endian WKB Point), date-times as
ISO 8601 UTC text with milliseconds, booleans as 0/1.

The table must exist (QGIS's file writer made it, with its fields and
spatial index). The spatial index triggers call GDAL's SQL functions
(`ST_IsEmpty`, `ST_MinX`, ...), which a plain SQLite connection lacks, and
GDAL's feature-count triggers run one UPDATE per row; so both are set aside
for the transaction, the index filled directly at the end (a point's box is
the point; an empty index is written as a packed tree at once,
`rtree_pack.py`), the count and the layer's extent in `gpkg_contents` set
once, and the triggers put back unchanged.
"""

from __future__ import annotations

import sqlite3
import struct
import time
from array import array
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Iterable, Iterator, Optional, Sequence, Tuple

from . import rtree_pack
from .sqlite_batch import insert_rows, quote

try:
    import numpy as np
except ImportError:  # pragma: no cover - numpy comes with GDAL's Python bindings
    np = None

__all__ = ["GeoPackageError", "PointAppender", "append_points", "iso_utc", "iso_utc_column", "feature_tables"]

_INDEX_ROWS_A_SLICE = 65536  # spatial index rows made at a time when they are inserted one by one
_FIRST_MS, _LAST_MS = 0, 253402300799999  # 1970-01-01 to 9999-12-31T23:59:59.999Z
_HEADER = struct.Struct("<2sBBi")  # magic, version 0, flags, srs id
_FLAGS = 0b00000001  # little-endian, no envelope, not empty, standard binary
_WKB_POINT = struct.Struct("<BIdd")  # byte order 1, type 1 (Point), x, y


class GeoPackageError(Exception):
    """The file is not a GeoPackage with the expected table, or SQLite refused the write."""


def iso_utc(ms: Optional[int]) -> Optional[str]:
    """`2015-07-11T21:14:50.000Z` from epoch milliseconds; None for missing, 0 (unknown) or out of range."""
    if not ms or not _FIRST_MS <= ms <= _LAST_MS:
        return None
    seconds, milliseconds = divmod(int(ms), 1000)
    year, month, day, hour, minute, second = time.gmtime(seconds)[:6]
    return f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}.{milliseconds:03d}Z"


_ISO_CHUNK = 4096  # values per numpy call: each holds the GIL (92k at once: 30 ms that no other thread runs)


def iso_utc_column(values: Sequence[Optional[int]]) -> list:
    """`iso_utc` of each value; with numpy about five times faster for a dense tile's 10,000 times."""
    if np is None:
        return list(map(iso_utc, values))
    texts: list = []
    for start in range(0, len(values), _ISO_CHUNK):
        texts += _iso_utc_chunk(values[start:start + _ISO_CHUNK])
    return texts


def _iso_utc_chunk(values: Sequence[Optional[int]]) -> list:
    try:
        milliseconds = np.array(values, dtype=np.int64)
    except (TypeError, ValueError, OverflowError):  # None among them, or not integers: one at a time
        return list(map(iso_utc, values))
    valid = ((milliseconds > _FIRST_MS) & (milliseconds <= _LAST_MS)).tolist()
    texts = np.datetime_as_string(np.where(valid, milliseconds, 0).astype("datetime64[ms]"), unit="ms")
    return [text + "Z" if ok else None for text, ok in zip(texts.tolist(), valid)]


def feature_tables(path: str) -> list:
    """The feature tables of a GeoPackage, in `gpkg_contents` order."""
    with closing(_connect(path)) as connection:
        return [row[0] for row in connection.execute(
            "SELECT table_name FROM gpkg_contents WHERE data_type = 'features' ORDER BY rowid")]


def append_points(path: str, table: str, names: Sequence[str], rows: Iterable[Tuple],
                  srs_id: Optional[int] = None) -> int:
    """Insert `rows` of `(x, y, *values for names)` into `table`; returns how many. All or nothing.

    With `srs_id`, the table's coordinate system must be that one.
    """
    with PointAppender(path, table, names, srs_id) as appender:
        appender.add(rows)
    return appender.count


class PointAppender:
    """`append_points` in parts: `add` rows as they come; all committed when the `with` block ends.

    An exception in the block (or in `add`) rolls everything back: the file is left as it was.
    """

    def __init__(self, path: str, table: str, names: Sequence[str], srs_id: Optional[int] = None):
        self.path, self.table, self.names, self.srs_id = path, table, tuple(names), srs_id
        self.count = 0
        self._connection: Optional[sqlite3.Connection] = None
        self._triggers: list = []
        self._box: Optional[tuple] = None
        self._ids, self._xs, self._ys = array("q"), array("d"), array("d")  # for the spatial index, at the end

    def __enter__(self) -> PointAppender:
        self._connection = _connect(self.path)
        try:
            with _errors(self.path):
                self._begin()
        except BaseException:
            if self._connection.in_transaction:
                self._connection.execute("ROLLBACK")
            self._connection.close()
            raise
        return self

    def __exit__(self, kind, value, traceback) -> None:
        connection, self._connection = self._connection, None
        try:
            with _errors(self.path):
                if kind is None:
                    self._fill_index(connection)
                    for _name, sql in self._triggers:
                        connection.execute(sql)
                    _update_contents(connection, self.table, self._box)
                    connection.execute("COMMIT")
                else:
                    connection.execute("ROLLBACK")
        except BaseException:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise
        finally:
            connection.close()

    def add(self, rows: Iterable[Tuple]) -> None:
        """Insert rows `(x, y, *values)`; on failure the whole append is rolled back when the block ends."""
        rows = list(rows)
        if not rows:
            return
        if len(set(map(len, rows))) != 1:
            raise GeoPackageError(f"{self.path}: rows of different lengths")
        self.add_columns(*map(list, zip(*rows)))

    def add_columns(self, xs: Sequence[float], ys: Sequence[float], *values: Sequence) -> None:
        """Insert a row per point: `xs[i]`, `ys[i]` and the i-th of each column of `values` (one per name).

        On failure the whole append is rolled back when the block ends.
        """
        count = len(xs)
        if len(values) != len(self.names) or any(len(column) != count for column in (ys, *values)):
            raise GeoPackageError(f"{self.path}: expected {len(self.names) + 2} columns of {count} values")
        if not count:
            return
        first_id, pack, header = self._next_id, _WKB_POINT.pack, self._header
        with _errors(self.path):
            geometries = [header + pack(1, 1, x, y) for x, y in zip(xs, ys)]
            # Handed to SQLite a hundred rows a statement: its work then runs without the GIL for long
            # stretches instead of taking it back for every row (decoding threads want it too).
            insert_rows(self._connection, self._insert,
                        list(zip(range(first_id, first_id + count), geometries, *values)))
            box = (min(xs), min(ys), max(xs), max(ys))
        self.count += count
        self._next_id += count
        self._box = _union(self._box, box)
        if self._index is not None:  # indexed all at once at the end; kept as 24 bytes a point meanwhile
            self._ids.extend(range(first_id, first_id + count))
            self._xs.extend(xs)
            self._ys.extend(ys)

    def _fill_index(self, connection: sqlite3.Connection) -> None:
        """The spatial index entries of the rows added: a packed tree written at once when the index was
        empty, else (or if SQLite refuses that) one row at a time."""
        ids, xs, ys = self._ids, self._xs, self._ys
        if self._index is None or not ids:
            return
        connection.execute("SAVEPOINT pack_index")
        try:
            packed = rtree_pack.pack_into(connection, self._index, ids, xs, ys)
        except (sqlite3.Error, MemoryError):  # SQLite protecting its shadow tables ("defensive" mode)
            packed = False
            connection.execute("ROLLBACK TO pack_index")
        connection.execute("RELEASE pack_index")
        if not packed:
            insert = f"INSERT INTO {quote(self._index)}"
            for start in range(0, len(ids), _INDEX_ROWS_A_SLICE):
                end = start + _INDEX_ROWS_A_SLICE
                part_xs, part_ys = xs[start:end], ys[start:end]
                insert_rows(connection, insert, list(zip(ids[start:end], part_xs, part_xs, part_ys, part_ys)))

    def _begin(self) -> None:
        connection, table = self._connection, self.table
        connection.execute("BEGIN IMMEDIATE")  # explicit: the trigger changes belong to the transaction too
        self._geometry_column, srs_id = _geometry_column(connection, table)
        if self.srs_id is not None and srs_id != self.srs_id:
            raise GeoPackageError(f"table {table!r} is in SRS {srs_id}, not {self.srs_id}")
        _check_columns(connection, table, self.names)
        self._header = _HEADER.pack(b"GP", 0, _FLAGS, srs_id)  # the same for every point
        columns = ", ".join(quote(name) for name in (self._geometry_column, *self.names))
        self._insert = f"INSERT INTO {quote(table)} (rowid, {columns})"
        self._triggers = connection.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ? AND (name LIKE ? OR name = ?)",
            (table, f"rtree_{table}_{self._geometry_column}_%", f"trigger_insert_feature_count_{table}")).fetchall()
        for name, _sql in self._triggers:
            connection.execute(f"DROP TRIGGER {quote(name)}")
        index = f"rtree_{table}_{self._geometry_column}"
        found = connection.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (index,)).fetchone()
        self._index = index if found else None
        self._next_id = connection.execute(f"SELECT COALESCE(MAX(rowid), 0) FROM {quote(table)}").fetchone()[0] + 1


@contextmanager
def _errors(path: str) -> Iterator[None]:
    """SQLite's errors and values it cannot store (UnicodeError is a ValueError) as `GeoPackageError`."""
    try:
        yield
    except (sqlite3.Error, ValueError, OverflowError, struct.error) as exc:
        raise GeoPackageError(f"{path}: {exc}") from None
    except MemoryError:
        raise GeoPackageError(f"{path}: not enough memory") from None


def _connect(path: str) -> sqlite3.Connection:
    uri = Path(path).resolve().as_uri() + "?mode=rw"  # never creates a file; any character in the path
    try:
        connection = sqlite3.connect(uri, uri=True, isolation_level=None)
    except sqlite3.Error as exc:
        raise GeoPackageError(f"{path} is not a writable GeoPackage: {exc}") from None
    try:
        connection.execute("SELECT 1 FROM gpkg_contents LIMIT 1")
    except sqlite3.Error as exc:
        connection.close()
        raise GeoPackageError(f"{path} is not a writable GeoPackage: {exc}") from None
    return connection


def _geometry_column(connection: sqlite3.Connection, table: str) -> Tuple[str, int]:
    row = connection.execute(
        "SELECT column_name, srs_id FROM gpkg_geometry_columns WHERE table_name = ?", (table,)).fetchone()
    if row is None:
        raise GeoPackageError(f"no feature table {table!r}")
    return row[0], row[1]


def _check_columns(connection: sqlite3.Connection, table: str, names: Sequence[str]) -> None:
    present = {row[1] for row in connection.execute(f"PRAGMA table_info({quote(table)})")}
    missing = [name for name in names if name not in present]
    if missing:
        raise GeoPackageError(f"table {table!r} has no column {', '.join(missing)}")


def _union(box: Optional[tuple], other: Optional[tuple]) -> Optional[tuple]:
    """The rectangle `(min x, min y, max x, max y)` holding both (either may be None)."""
    if box is None or other is None:
        return other if box is None else box
    return min(box[0], other[0]), min(box[1], other[1]), max(box[2], other[2]), max(box[3], other[3])


def _update_contents(connection, table: str, box: Optional[tuple]) -> None:
    if box is not None:
        old = connection.execute(
            "SELECT min_x, min_y, max_x, max_y FROM gpkg_contents WHERE table_name = ?", (table,)).fetchone()
        box = _union(box, old if old and None not in old else None)
        connection.execute(
            "UPDATE gpkg_contents SET min_x = ?, min_y = ?, max_x = ?, max_y = ?, "
            "last_change = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE table_name = ?", (*box, table))
    if connection.execute("SELECT 1 FROM sqlite_master WHERE name = 'gpkg_ogr_contents'").fetchone():
        connection.execute(  # GDAL's cached feature count, which it trusts
            f"UPDATE gpkg_ogr_contents SET feature_count = (SELECT COUNT(*) FROM {quote(table)}) "
            "WHERE lower(table_name) = lower(?)", (table,))
