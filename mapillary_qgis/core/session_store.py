"""The session store: one GeoPackage on disk that holds the exact records the map has loaded.

Why on disk: the exact layers used to be memory layers, filled on the GUI
thread with a `QgsFeature` per record (a dense 3x3 view, 92,000 images,
froze QGIS for 1.4 s) and holding every record twice in memory, forever.
Here a worker thread writes the records straight into SQLite, and the exact
layers are ordinary OGR layers on this file: QGIS draws, identifies and
opens the attribute table from its own threads, and the resident size does
not grow with the number of images seen. The file is in WAL mode, so the
writer and QGIS's readers work at once.

The file is a cache: made anew in each QGIS session, filled again from the
tile cache, deleted with it. Only this module writes it, so GDAL's triggers
(the spatial index through GDAL's SQL functions, which a plain SQLite
connection lacks, and a feature-count UPDATE per row) are dropped once, and
the writer keeps the spatial index, the feature count and the extent itself.

Tables (the layer names), with the exact layers' fields:
- `images`, `map_features`, `traffic_signs`: points; the feature id (`fid`)
  is the Mapillary id, so a record met again in a later tile is a key
  already there and is skipped.
- `sequences`: one line per sequence id. The parts each tile holds are kept
  in `mapillary_sequence_parts` (no GeoPackage layer); a tile with new parts
  of a sequence rebuilds that sequence's line only.

Values are stored as GDAL reads them back exactly: 64-bit integers, booleans
0/1, date-times as ISO 8601 UTC text, `2015-07-11T13:54:50.12325Z`: the
millisecond and a quarter. GDAL parses the seconds into a 32-bit float, and
QGIS 3.22 then truncates its fraction to milliseconds (`.273` came back as
272 ms); newer readers round it. A quarter of a millisecond more (far above
the float's error, 0.004 ms at 59 s, far below half a millisecond) makes both
read the exact millisecond. All stored times have this form, so they sort as
text in time order (`stored_time` makes the bounds the filters compare with).
"""

from __future__ import annotations

import sqlite3
import struct
from array import array
from contextlib import closing
from dataclasses import dataclass
from operator import attrgetter
from pathlib import Path
from typing import Callable, Dict, Iterable, List, Optional, Sequence, Tuple

from . import rtree_pack
from .gpkg import iso_utc_column
from .records import SequenceRecord
from .sqlite_batch import insert_rows, quote

__all__ = ["COLUMNS", "PARTS_TABLE", "SessionStore", "StoreError", "multilinestring_wkb", "stored_time",
           "stored_times"]

PARTS_TABLE = "mapillary_sequence_parts"
_BUSY_MS = 60000  # a second writer (another tileset loading) waits for the first, never fails
_IDS_A_QUERY = 500  # bound values per "which of these ids are there" query
_HEADER = struct.Struct("<2sBBi")  # GeoPackage binary: magic, version 0, flags, srs id
_POINT = struct.Struct("<BIdd")

# Column kinds: "int64", "real", "text", "bool", "datetime" (ISO UTC text). Names are the records' attributes.
COLUMNS: Dict[str, Tuple[Tuple[str, str], ...]] = {
    "images": (("id", "int64"), ("captured_at", "datetime"), ("compass_angle", "real"), ("sequence_id", "text"),
               ("is_pano", "bool"), ("creator_id", "int64"), ("organization_id", "int64")),
    "sequences": (("id", "text"), ("image_id", "int64"), ("captured_at", "datetime"), ("is_pano", "bool"),
                  ("creator_id", "int64"), ("organization_id", "int64")),
    "map_features": (("id", "int64"), ("value", "text"), ("first_seen_at", "datetime"),
                     ("last_seen_at", "datetime")),
    "traffic_signs": (("id", "int64"), ("value", "text"), ("first_seen_at", "datetime"),
                      ("last_seen_at", "datetime")),
}
GEOMETRY = {"images": "POINT", "sequences": "MULTILINESTRING", "map_features": "POINT", "traffic_signs": "POINT"}


def stored_times(values: Sequence[Optional[int]]) -> list:
    """The stored text of epoch milliseconds (see the module's notes); None for missing, 0 or out of range."""
    return [None if text is None else text[:-1] + "25Z" for text in iso_utc_column(values)]


def stored_time(ms: Optional[int]) -> Optional[str]:
    return stored_times([ms])[0]


class StoreError(Exception):
    """The store could not be made or written (disk full, file gone, not a store)."""


LinesWkb = Callable[[Sequence[Sequence[Tuple[float, float]]]], Optional[bytes]]


def multilinestring_wkb(parts: Sequence[Sequence[Tuple[float, float]]]) -> Optional[bytes]:
    """ISO WKB of a MultiLineString of the parts with two points or more; None when none has."""
    lines = [part for part in parts if len(part) >= 2]
    if not lines:
        return None
    out = [struct.pack("<BII", 1, 5, len(lines))]
    for line in lines:
        out.append(struct.pack("<BII", 1, 2, len(line)))
        out.append(array("d", [value for point in line for value in point]).tobytes())
    return b"".join(out)


@dataclass
class Added:
    """What one write added: new rows per table, and the sequences whose lines changed."""

    rows: int = 0
    sequences: int = 0


class SessionStore:
    """One store file. `create` makes it; `add_*` may be called from any thread (each opens its own connection)."""

    def __init__(self, path: Path, lines_wkb: LinesWkb = multilinestring_wkb):
        self.path = Path(path)
        self.lines_wkb = lines_wkb

    # -- making it -------------------------------------------------------------------

    @classmethod
    def create(cls, path: Path, lines_wkb: LinesWkb = multilinestring_wkb) -> SessionStore:
        """A new, empty store at `path` (replacing any file there). Raises StoreError."""
        from osgeo import gdal, ogr, osr

        path = Path(path)
        try:
            for old in (path, *_side_files(path)):
                old.unlink(missing_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create {path}: {exc.strerror or exc}") from None
        kinds = {"int64": ogr.OFTInteger64, "real": ogr.OFTReal, "text": ogr.OFTString, "bool": ogr.OFTInteger,
                 "datetime": ogr.OFTDateTime}
        shapes = {"POINT": ogr.wkbPoint, "MULTILINESTRING": ogr.wkbMultiLineString}
        with _gdal_errors(gdal):
            dataset = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
            if dataset is None:
                raise StoreError(f"cannot create {path}: {gdal.GetLastErrorMsg()}")
            wgs84 = osr.SpatialReference()
            wgs84.ImportFromEPSG(4326)
            for table, columns in COLUMNS.items():
                layer = dataset.CreateLayer(table, wgs84, shapes[GEOMETRY[table]],
                                            ["FID=fid", "GEOMETRY_NAME=geom", "SPATIAL_INDEX=YES"])
                if layer is None:
                    raise StoreError(f"cannot create {path}: {gdal.GetLastErrorMsg()}")
                for name, kind in columns:
                    field = ogr.FieldDefn(name, kinds[kind])
                    if kind == "bool":
                        field.SetSubType(ogr.OFSTBoolean)
                    layer.CreateField(field)
                layer.SyncToDisk()
            dataset = None  # closed: the spatial indexes GDAL defers are made now
        try:
            with closing(_connect(path)) as connection:
                connection.execute("PRAGMA journal_mode = WAL")
                for (name,) in connection.execute(
                        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND "
                        "(name LIKE 'rtree_%' OR name LIKE 'trigger_%_feature_count_%')").fetchall():
                    connection.execute(f"DROP TRIGGER {quote(name)}")
                connection.execute("CREATE UNIQUE INDEX sequences_id ON sequences (id)")
                connection.execute(f"CREATE TABLE {PARTS_TABLE} (sequence_id TEXT NOT NULL, part BLOB NOT NULL, "
                                   "UNIQUE (sequence_id, part))")
                connection.execute("UPDATE gpkg_ogr_contents SET feature_count = 0")
        except sqlite3.Error as exc:
            raise StoreError(f"cannot create {path}: {exc}") from None
        return cls(path, lines_wkb)

    def delete(self) -> None:
        """Remove the file and SQLite's side files (readers that still have it open keep their view)."""
        for old in (self.path, *_side_files(self.path)):
            try:
                old.unlink(missing_ok=True)
            except OSError:
                pass

    def uri(self, table: str) -> str:
        """The OGR data source of one table."""
        return f"{self.path}|layername={table}"

    # -- reading ---------------------------------------------------------------------

    def count(self, table: str) -> int:
        with closing(_connect(self.path)) as connection:
            return connection.execute(f"SELECT COUNT(*) FROM {quote(table)}").fetchone()[0]

    def values(self, tables: Iterable[str] = ("map_features", "traffic_signs")) -> List[str]:
        """The distinct map-feature classes held, sorted."""
        selects = " UNION ".join(f"SELECT value FROM {quote(t)} WHERE value IS NOT NULL AND value != ''"
                                 for t in tables)
        with closing(_connect(self.path)) as connection:
            return sorted(row[0] for row in connection.execute(selects))

    # -- writing (any thread) --------------------------------------------------------

    def add(self, table: str, records: Sequence) -> Added:
        """Add the records of one exact layer's table; ones whose id is there already are skipped."""
        if not records:
            return Added()
        try:
            with closing(_connect(self.path)) as connection:
                connection.execute("BEGIN IMMEDIATE")
                try:
                    if table == "sequences":
                        added = self._add_sequences(connection, records)
                    else:
                        added = Added(rows=self._add_points(connection, table, records))
                    connection.execute("COMMIT")
                except BaseException:
                    connection.execute("ROLLBACK")
                    raise
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: {exc}") from None
        except MemoryError:
            raise StoreError(f"{self.path}: not enough memory") from None
        return added

    def _add_points(self, connection, table: str, records: Sequence) -> int:
        unique = list({record.id: record for record in records}.values())
        there = _existing(connection, table, "fid", [r.id for r in unique])
        new = [r for r in unique if r.id not in there] if there else unique
        if not new:
            return 0
        names = [name for name, _kind in COLUMNS[table]]
        columns = [_column(new, name, kind) for name, kind in COLUMNS[table]]
        xs, ys = [r.lon for r in new], [r.lat for r in new]
        header = _HEADER.pack(b"GP", 0, 1, 4326)
        pack = _POINT.pack
        geometries = [header + pack(1, 1, x, y) for x, y in zip(xs, ys)]
        ids = [r.id for r in new]
        insert_rows(connection, f"INSERT INTO {quote(table)} (fid, geom, {', '.join(map(quote, names))})",
                    list(zip(ids, geometries, *columns)))
        index = f"rtree_{table}_geom"
        connection.execute("SAVEPOINT pack")
        try:  # the first rows (the usual first view) as a packed tree: 5x faster than row by row
            packed = rtree_pack.pack_into(connection, index, ids, xs, ys)
        except (sqlite3.Error, MemoryError):
            packed = False
            connection.execute("ROLLBACK TO pack")
        connection.execute("RELEASE pack")
        if not packed:  # about 8 us a point, in this worker
            insert_rows(connection, f"INSERT INTO {quote(index)}", list(zip(ids, xs, xs, ys, ys)))
        _grow(connection, table, len(new), (min(xs), min(ys), max(xs), max(ys)))
        return len(new)

    def _add_sequences(self, connection, records: Sequence[SequenceRecord]) -> Added:
        parts = [(r.id, array("d", [v for point in part for v in point]).tobytes())
                 for r in records for part in r.parts if part]
        before = connection.total_changes
        insert_rows(connection, f"INSERT OR IGNORE INTO {PARTS_TABLE} (sequence_id, part)", parts)
        if connection.total_changes == before:
            return Added()  # every part known: no line changes
        first = {}
        for record in records:
            first.setdefault(record.id, record)
        there = _existing(connection, "sequences", "id", list(first), select="id, fid")
        new_rows, index_rows, count = [], [], 0
        next_fid = connection.execute("SELECT COALESCE(MAX(fid), 0) FROM sequences").fetchone()[0] + 1
        header = _HEADER.pack(b"GP", 0, 1, 4326)
        box = None
        for sequence_id, record in first.items():
            lines = [_points(blob) for (blob,) in connection.execute(
                f"SELECT part FROM {PARTS_TABLE} WHERE sequence_id = ? ORDER BY rowid", (sequence_id,))]
            wkb = self.lines_wkb(lines)
            geometry = header + wkb if wkb else None
            bounds = _bounds(lines)
            fid = there.get(sequence_id)
            if fid is None:
                fid, next_fid = next_fid, next_fid + 1
                count += 1
                new_rows.append((fid, geometry, *(_value(getattr(record, name), kind)
                                                  for name, kind in COLUMNS["sequences"])))
            else:
                connection.execute("UPDATE sequences SET geom = ? WHERE fid = ?", (geometry, fid))
            if bounds is not None and geometry is not None:
                index_rows.append((fid, bounds[0], bounds[2], bounds[1], bounds[3]))
                box = bounds if box is None else _union(box, bounds)
        names = ", ".join(quote(name) for name, _kind in COLUMNS["sequences"])
        insert_rows(connection, f"INSERT INTO sequences (fid, geom, {names})", new_rows)
        insert_rows(connection, "INSERT OR REPLACE INTO rtree_sequences_geom", index_rows)
        _grow(connection, "sequences", count, box)
        return Added(rows=count, sequences=len(first))


# -- helpers ---------------------------------------------------------------------------------


def _side_files(path: Path) -> Tuple[Path, Path, Path]:
    return Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")


class _gdal_errors:
    """GDAL errors as StoreError, whatever the bindings' exception setting."""

    def __init__(self, gdal):
        self.gdal = gdal

    def __enter__(self):
        self.gdal.ErrorReset()

    def __exit__(self, kind, value, traceback):
        if kind is not None and kind is not StoreError and issubclass(kind, Exception):
            raise StoreError(str(value)) from None
        return False


def _connect(path: Path) -> sqlite3.Connection:
    try:
        connection = sqlite3.connect(Path(path).resolve().as_uri() + "?mode=rw", uri=True, isolation_level=None,
                                     check_same_thread=False, timeout=_BUSY_MS / 1000)
    except sqlite3.Error as exc:
        raise StoreError(f"{path}: {exc}") from None
    return connection


def _existing(connection, table: str, key: str, keys: list, select: Optional[str] = None):
    """The keys of `keys` present in `table` (a set), or with `select="key, fid"` a dict key -> fid."""
    found = {} if select else set()
    for start in range(0, len(keys), _IDS_A_QUERY):
        chunk = keys[start:start + _IDS_A_QUERY]
        rows = connection.execute(f"SELECT {select or key} FROM {quote(table)} WHERE {quote(key)} IN "
                                  f"({', '.join('?' * len(chunk))})", chunk).fetchall()
        if select:
            found.update(rows)
        else:
            found.update(row[0] for row in rows)
    return found


def _value(value, kind: str):
    if kind == "datetime":
        return stored_time(value)
    if kind == "bool":
        return None if value is None else int(bool(value))
    return value


def _column(records: list, name: str, kind: str) -> list:
    values = list(map(attrgetter(name), records))
    if kind == "datetime":
        return stored_times(values)
    if kind == "bool":
        return [None if v is None else int(bool(v)) for v in values]
    return values


def _points(blob: bytes) -> List[Tuple[float, float]]:
    values = array("d")
    values.frombytes(blob)
    return list(zip(values[0::2], values[1::2]))


def _bounds(lines: List[List[Tuple[float, float]]]) -> Optional[tuple]:
    xs = [x for line in lines for x, _y in line]
    ys = [y for line in lines for _x, y in line]
    return (min(xs), min(ys), max(xs), max(ys)) if xs else None


def _union(box: tuple, other: tuple) -> tuple:
    return min(box[0], other[0]), min(box[1], other[1]), max(box[2], other[2]), max(box[3], other[3])


def _grow(connection, table: str, count: int, box: Optional[tuple]) -> None:
    """The feature count and extent GDAL reads from the GeoPackage's tables (it trusts both)."""
    if count:
        connection.execute("UPDATE gpkg_ogr_contents SET feature_count = feature_count + ? "
                           "WHERE lower(table_name) = lower(?)", (count, table))
    if box is not None:
        old = connection.execute("SELECT min_x, min_y, max_x, max_y FROM gpkg_contents WHERE table_name = ?",
                                 (table,)).fetchone()
        if old and None not in old:
            box = _union(box, old)
        connection.execute("UPDATE gpkg_contents SET min_x = ?, min_y = ?, max_x = ?, max_y = ?, "
                           "last_change = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE table_name = ?", (*box, table))

