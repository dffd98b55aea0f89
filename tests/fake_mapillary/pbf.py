"""The few protobuf operations on vector tiles that GDAL does not do for us."""

from collections.abc import Iterator, Sequence

_VARINT, _FIXED64, _LENGTH, _FIXED32 = 0, 1, 2, 5
_TILE_LAYER, _LAYER_VALUE = 3, 4
_UINT_VALUE_TAG = 5 << 3 | _VARINT
_INT_VALUE_TAG = 4 << 3 | _VARINT


def read_varint(buf: bytes, pos: int) -> tuple[int, int]:
    """Decode a varint at ``pos``; return ``(value, next position)``."""
    value = shift = 0
    while True:
        byte = buf[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, pos


def iter_fields(buf: bytes, start: int = 0, end: int = -1) -> Iterator[tuple[int, int, int, int]]:
    """Yield ``(field number, wire type, value start, value end)`` of a message.

    For varints the value range covers the varint bytes, for length-delimited
    fields it covers the payload.
    """
    pos, end = start, len(buf) if end < 0 else end
    while pos < end:
        key, pos = read_varint(buf, pos)
        number, wire = key >> 3, key & 7
        if wire == _VARINT:
            _, value_end = read_varint(buf, pos)
        elif wire == _LENGTH:
            length, pos = read_varint(buf, pos)
            value_end = pos + length
        elif wire == _FIXED64:
            value_end = pos + 8
        elif wire == _FIXED32:
            value_end = pos + 4
        else:
            raise ValueError(f"unsupported protobuf wire type {wire}")
        yield number, wire, pos, value_end
        pos = value_end


def uint_values_as_int(tile: bytes) -> bytes:
    """Re-tag every ``uint_value`` of an MVT as ``int_value``, as Mapillary sends them.

    GDAL writes non-negative integers as ``uint_value`` (field 5); Mapillary
    uses ``int_value`` (field 4). Below 2**63 both carry the same varint, so
    only the one-byte key changes and no length prefix moves.
    """
    out = bytearray(tile)
    for number, wire, start, end in iter_fields(out):
        if number != _TILE_LAYER or wire != _LENGTH:
            continue
        for field, field_wire, value_start, _ in iter_fields(out, start, end):
            if field == _LAYER_VALUE and field_wire == _LENGTH and out[value_start] == _UINT_VALUE_TAG:
                out[value_start] = _INT_VALUE_TAG
    return bytes(out)


def reorder_layers(tile: bytes, names: Sequence[str]) -> bytes:
    """Put the layers of an MVT in the order of ``names`` (GDAL writes them sorted by name)."""
    layers, field_start = [], 0
    for _, _, start, end in iter_fields(tile):
        name = next((tile[s:e].decode() for number, _, s, e in iter_fields(tile, start, end) if number == 1), "")
        layers.append((name, tile[field_start:end]))
        field_start = end
    rank = {name: index for index, name in enumerate(names)}
    layers.sort(key=lambda layer: rank.get(layer[0], len(rank)))
    return b"".join(chunk for _, chunk in layers)


def _varint(value: int) -> bytes:
    out = bytearray()
    while value >= 0x80:
        out.append(value & 0x7F | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def _zigzag(value: int) -> int:
    return value << 1 if value >= 0 else (-value << 1) - 1


def _field(number: int, payload: bytes) -> bytes:
    return _varint(number << 3 | _LENGTH) + _varint(len(payload)) + payload


def _varint_field(number: int, value: int) -> bytes:
    return _varint(number << 3 | _VARINT) + _varint(value)


def detection_geometry(box: tuple[int, int, int, int], extent: int = 4096) -> bytes:
    """The MVT a detection's ``geometry`` holds (before base64).

    Same layout as real captures: one layer ``mpy-or`` (version 1), one
    POLYGON feature tagged ``type=polygon``, clockwise ring in image pixels
    scaled to ``extent``.
    """
    x0, y0, x1, y1 = box
    commands = [1 << 3 | 1, _zigzag(x0), _zigzag(y0), 3 << 3 | 2]  # MoveTo(1), LineTo(3)
    for dx, dy in ((x1 - x0, 0), (0, y1 - y0), (x0 - x1, 0)):
        commands += [_zigzag(dx), _zigzag(dy)]
    commands.append(1 << 3 | 7)  # ClosePath
    packed = b"".join(_varint(c) for c in commands)
    feature = _field(2, _varint(0) + _varint(0)) + _varint_field(3, 3) + _field(4, packed)
    layer = (
        _field(1, b"mpy-or")
        + _field(2, feature)
        + _field(3, b"type")
        + _field(4, _field(1, b"polygon"))
        + _varint_field(5, extent)
        + _varint_field(15, 1)
    )
    return _field(3, layer)
