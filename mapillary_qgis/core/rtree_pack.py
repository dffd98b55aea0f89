"""Fill an empty SQLite R*Tree in one go, as a packed tree, instead of one row at a time.

A GeoPackage's spatial index is an SQLite `rtree` virtual table. Inserting
10,000 points into it row by row costs about 40 ms, most of it SQLite
choosing a leaf and splitting nodes for every row. Here the tree is built
in memory with numpy (Sort-Tile-Recursive packing: sorted by x into
vertical slices, each slice by y) and written straight into the rtree's
three shadow tables, as GDAL does for its own GeoPackage indexes (GDAL
issue #7614):

- `<name>_node(nodeno, data)`: one blob per node, `node size` bytes: a 16-bit
  depth of the tree (root only), a 16-bit cell count, then cells of a 64-bit
  rowid or child node number and four 32-bit floats (min x, max x, min y,
  max y), all big-endian. The root is node 1.
- `<name>_rowid(rowid, nodeno)`: the leaf holding each entry.
- `<name>_parent(nodeno, parentnode)`: the parent of every node but the root.

Leaf boxes are rounded outwards to 32-bit floats exactly as SQLite rounds
them (`rtreeValueDown` / `rtreeValueUp`), so each leaf cell holds the values
a row-by-row insert would have stored. SQLite's own `rtreecheck()` accepts
the result (tested).

Only for an empty 2-D rtree that this connection has not used as a virtual
table yet (an open rtree caches nodes), and points without NaN; anything
else answers False and the caller inserts the rows one by one.
"""

from __future__ import annotations

import math
import re
import sqlite3
from typing import Sequence

from .sqlite_batch import insert_rows, quote

try:
    import numpy as np
except ImportError:  # pragma: no cover - numpy comes with GDAL's Python bindings
    np = None

__all__ = ["pack_into"]

_CELL_BYTES = 8 + 4 * 4  # rowid, then min x, max x, min y, max y
_TOWARDS_ZERO = 1.0 - 1.0 / 8388608.0  # SQLite's RNDTOWARDS and RNDAWAY (rtree.c)
_AWAY_FROM_ZERO = 1.0 + 1.0 / 8388608.0
_NODES_A_SLICE = 2048  # nodes made and written at a time: about 2.5 MB of blobs
_ROWS_A_SLICE = 65536  # index rows turned into Python objects at a time
_RTREE_2D = re.compile(r"USING\s+rtree\s*\(\s*[^,()]+(,\s*[^,()]+){4}\s*\)\s*$", re.IGNORECASE)


def pack_into(connection: sqlite3.Connection, name: str, ids: Sequence[int],
              xs: Sequence[float], ys: Sequence[float]) -> bool:
    """Write the points `(ids[i], xs[i], ys[i])` into the empty rtree `name`; False if it cannot be done here.

    Runs inside the caller's transaction; on False nothing has been written.
    """
    if np is None or not len(ids):
        return False
    node_size = _empty_2d_rtree_node_size(connection, name)
    if node_size is None:
        return False
    per_node = (node_size - 4) // _CELL_BYTES
    if per_node < 2:
        return False
    xs = np.asarray(xs, dtype=np.float64)
    ys = np.asarray(ys, dtype=np.float64)
    if np.isnan(xs).any() or np.isnan(ys).any():
        return False  # SQLite stores NaN as 0; a NaN box here would hide its node's points from every query
    entries = _Level(np.asarray(ids, dtype=np.int64), _down(xs), _up(xs), _down(ys), _up(ys))
    del xs, ys
    levels = []  # leaves first: (entries of each node in order, where each node's entries start)
    while len(entries.ids) > per_node:
        entries, starts, nodes = _pack(entries, per_node)
        levels.append((entries, starts))
        entries = nodes
    # `entries` is now what the root holds; number the nodes: root 1, then level by level from the top.
    numbers = [None] * len(levels)
    next_number = 2
    for depth in range(len(levels) - 1, -1, -1):
        count = len(levels[depth][1])
        numbers[depth] = np.arange(next_number, next_number + count, dtype=np.int64)
        next_number += count
    _write(connection, name, node_size, per_node, levels, numbers, entries)
    return True


class _Level:
    """Entries of one level of the tree: ids (rowids or node numbers) and their 32-bit boxes."""

    def __init__(self, ids, min_x, max_x, min_y, max_y):
        self.ids, self.min_x, self.max_x, self.min_y, self.max_y = ids, min_x, max_x, min_y, max_y

    def take(self, order) -> _Level:
        return _Level(self.ids[order], self.min_x[order], self.max_x[order], self.min_y[order], self.max_y[order])

    def part(self, start: int, end: int) -> _Level:
        return self.take(slice(start, end))


def _pack(entries: _Level, per_node: int):
    """(entries in node order, index where each node starts, the nodes as entries of the level above).

    Node ids of the level above are placeholders (their index); `pack_into` numbers them.
    """
    count = len(entries.ids)
    nodes = -(-count // per_node)
    slices = math.ceil(math.sqrt(nodes))
    slice_of = np.empty(count, dtype=np.int64)
    slice_of[np.argsort(entries.min_x / 2 + entries.max_x / 2, kind="stable")] = np.arange(count) // (slices * per_node)
    ordered = entries.take(np.lexsort((entries.min_y / 2 + entries.max_y / 2, slice_of)))
    del slice_of
    starts = (np.arange(nodes, dtype=np.int64) * count) // nodes  # nodes as equally full as can be
    boxes = _Level(np.arange(nodes, dtype=np.int64),
                   np.minimum.reduceat(ordered.min_x, starts), np.maximum.reduceat(ordered.max_x, starts),
                   np.minimum.reduceat(ordered.min_y, starts), np.maximum.reduceat(ordered.max_y, starts))
    return ordered, starts, boxes


def _write(connection, name: str, node_size: int, per_node: int, levels: list, numbers: list, root: _Level) -> None:
    """Write the nodes, then which leaf holds each rowid and the parent of each node, a slice at a time
    (memory stays bounded for millions of points)."""
    cell = np.dtype([("id", ">i8"), ("box", ">f4", (4,))])
    node = np.dtype([("depth", ">u2"), ("count", ">u2"), ("cells", cell, (per_node,)),
                     ("pad", "u1", (node_size - 4 - per_node * _CELL_BYTES,))])

    def blobs(entries: _Level, starts, depth: int) -> list:
        ends = np.append(starts[1:], len(entries.ids))
        out = np.zeros(len(starts), dtype=node)
        out["depth"][0] = depth  # meaningful in the root only, which is a level of one node
        out["count"] = ends - starts
        slot = np.arange(len(entries.ids)) - np.repeat(starts, ends - starts)
        which = np.repeat(np.arange(len(starts)), ends - starts)
        out["cells"]["id"][which, slot] = entries.ids
        out["cells"]["box"][which, slot] = np.stack(
            [entries.min_x, entries.max_x, entries.min_y, entries.max_y], axis=1)
        data = out.tobytes()
        return [data[i * node_size:(i + 1) * node_size] for i in range(len(starts))]

    quoted = {part: _shadow(name, part) for part in ("node", "rowid", "parent")}
    # Child node numbers replace the placeholders (indexes) of each level above the leaves.
    for depth in range(1, len(levels)):
        entries, _starts = levels[depth]
        entries.ids = numbers[depth - 1][entries.ids]
    if levels:
        root.ids = numbers[-1][root.ids]
    root_blob = blobs(root, np.array([0], dtype=np.int64), len(levels))[0]
    connection.execute(f"UPDATE {quoted['node']} SET data = ? WHERE nodeno = 1", (root_blob,))
    for depth, (entries, starts) in enumerate(levels):
        ends = np.append(starts[1:], len(entries.ids))
        for first in range(0, len(starts), _NODES_A_SLICE):
            last = min(first + _NODES_A_SLICE, len(starts))
            part = entries.part(int(starts[first]), int(ends[last - 1]))
            insert_rows(connection, f"INSERT INTO {quoted['node']} (nodeno, data)",
                        list(zip(numbers[depth][first:last].tolist(),
                                 blobs(part, starts[first:last] - starts[first], 0))))
    # Which leaf holds each rowid (in rowid order: SQLite's fastest insert), and the parent of each node.
    leaf_numbers = numbers[0] if levels else np.array([1], dtype=np.int64)
    leaf_entries, leaf_starts = levels[0] if levels else (root, np.array([0], dtype=np.int64))
    holders = np.repeat(leaf_numbers, np.diff(np.append(leaf_starts, len(leaf_entries.ids))))
    by_rowid = np.argsort(leaf_entries.ids, kind="stable")
    _insert_pairs(connection, f"INSERT INTO {quoted['rowid']} (rowid, nodeno)",
                  leaf_entries.ids[by_rowid], holders[by_rowid])
    del holders, by_rowid
    for depth in range(len(levels)):
        parents = numbers[depth + 1] if depth + 1 < len(levels) else np.array([1], dtype=np.int64)
        above, above_starts = levels[depth + 1] if depth + 1 < len(levels) else (root, np.array([0]))
        _insert_pairs(connection, f"INSERT INTO {quoted['parent']} (nodeno, parentnode)",
                      above.ids, np.repeat(parents, np.diff(np.append(above_starts, len(above.ids)))))


def _insert_pairs(connection, insert: str, first, second) -> None:
    """Rows `(first[i], second[i])` from two integer arrays, a slice at a time."""
    for start in range(0, len(first), _ROWS_A_SLICE):
        end = start + _ROWS_A_SLICE
        insert_rows(connection, insert, list(zip(first[start:end].tolist(), second[start:end].tolist())))


def _empty_2d_rtree_node_size(connection: sqlite3.Connection, name: str):
    """The node size of the rtree `name` if it is a 2-D rtree with no entries; else None."""
    row = connection.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone()
    if row is None or not _RTREE_2D.search(row[0] or ""):
        return None
    node, rowid = _shadow(name, "node"), _shadow(name, "rowid")
    try:
        root = connection.execute(f"SELECT data FROM {node} WHERE nodeno = 1").fetchone()
        others = connection.execute(f"SELECT EXISTS (SELECT 1 FROM {node} WHERE nodeno != 1)").fetchone()[0]
        entries = connection.execute(f"SELECT EXISTS (SELECT 1 FROM {rowid})").fetchone()[0]
    except sqlite3.Error:
        return None
    if root is None or not isinstance(root[0], bytes) or len(root[0]) < 4 or others or entries:
        return None
    if int.from_bytes(root[0][2:4], "big") != 0:
        return None
    return len(root[0])


def _shadow(name: str, part: str) -> str:
    """The quoted name of one of the rtree's shadow tables."""
    return quote(f"{name}_{part}")


def _down(values):
    """SQLite's rtreeValueDown: the 32-bit float at or below each value."""
    rounded = values.astype(np.float32)
    below = values * np.where(values < 0, _AWAY_FROM_ZERO, _TOWARDS_ZERO)
    return np.where(rounded.astype(np.float64) > values, below.astype(np.float32), rounded)


def _up(values):
    """SQLite's rtreeValueUp: the 32-bit float at or above each value."""
    rounded = values.astype(np.float32)
    above = values * np.where(values < 0, _TOWARDS_ZERO, _AWAY_FROM_ZERO)
    return np.where(rounded.astype(np.float64) < values, above.astype(np.float32), rounded)
