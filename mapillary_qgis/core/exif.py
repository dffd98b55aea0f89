"""GPS position and heading written into a JPEG's EXIF, in pure Python (no imaging library).

An existing Exif segment keeps its tags; a GPS IFD is added or replaced.
"""

from __future__ import annotations

import struct
from typing import List, Optional, Tuple

# -- EXIF -------------------------------------------------------------------------------------------
#
# An Exif APP1 segment holds a TIFF structure: a header (byte order, 42, offset of IFD0), then IFDs of
# 12-byte entries (tag, type, count, value or offset). IFD0 points to the GPS IFD with tag 0x8825.
# To keep whatever EXIF a picture already has (camera, maker notes …) without moving any of it,
# the new IFD0 (the old entries plus the GPS pointer) and the GPS IFD are appended to the old TIFF
# data and the header is pointed at the new IFD0: every old offset stays valid.
_EXIF_ID = b"Exif\x00\x00"
_APP0, _APP1, _SOS, _EOI = 0xE0, 0xE1, 0xDA, 0xD9
_GPS_POINTER = 0x8825
_BYTE, _ASCII, _LONG, _RATIONAL = 1, 2, 4, 5
_MAX_SEGMENT = 0xFFFF  # the length field of a JPEG segment, itself included
_MICRO = 1_000_000


def with_gps_exif(jpeg: bytes, lon: Optional[float], lat: Optional[float], heading: Optional[float]) -> bytes:
    """The JPEG with GPS latitude, longitude (when both are given) and image direction (true north) in EXIF.

    An Exif segment already there keeps its tags (its GPS ones are replaced); one is added after
    SOI and JFIF otherwise. ValueError when `jpeg` is not a JPEG that can be read.
    """
    if not jpeg.startswith(b"\xff\xd8"):
        raise ValueError("not a JPEG")
    gps = _gps_fields(lon, lat, heading)
    insert_at, existing = 2, None
    for marker, start, end in _segments(jpeg):
        if marker == _APP1 and jpeg[start + 4 : start + 10] == _EXIF_ID:
            existing = (start, end)
            break
        if marker == _APP0 and insert_at == start:
            insert_at = end  # after JFIF (APP0), which wants to come first
    old = jpeg[existing[0] + 10 : existing[1]] if existing else None
    tiff = _tiff_with_gps(old, gps)
    if len(tiff) + 8 > _MAX_SEGMENT and old is not None:
        tiff = _tiff_with_gps(None, gps)  # no room to keep the old tags
    segment = b"\xff\xe1" + struct.pack(">H", len(tiff) + 8) + _EXIF_ID + tiff
    if existing:
        return jpeg[: existing[0]] + segment + jpeg[existing[1] :]
    return jpeg[:insert_at] + segment + jpeg[insert_at:]


def _segments(jpeg: bytes):
    """`(marker, start, end)` of the segments before the image data."""
    pos = 2
    while pos + 4 <= len(jpeg):
        if jpeg[pos] != 0xFF:
            raise ValueError("corrupt JPEG: no marker where one should be")
        marker = jpeg[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:  # no length
            pos += 2
            continue
        if marker in (_SOS, _EOI):
            return
        (length,) = struct.unpack_from(">H", jpeg, pos + 2)
        if length < 2 or pos + 2 + length > len(jpeg):
            raise ValueError("corrupt JPEG: a segment runs past the end")
        yield marker, pos, pos + 2 + length
        pos += 2 + length
    raise ValueError("corrupt JPEG: no image data")


def _gps_fields(lon, lat, heading) -> List[Tuple[int, int, int, Tuple]]:
    """`(tag, type, count, values)` of the GPS IFD."""
    fields = [(0x0000, _BYTE, 4, (2, 3, 0, 0))]  # GPSVersionID 2.3
    if lon is not None and lat is not None:
        fields += [
            (0x0001, _ASCII, 2, (b"N" if lat >= 0 else b"S",)),
            (0x0002, _RATIONAL, 3, _dms(lat)),
            (0x0003, _ASCII, 2, (b"E" if lon >= 0 else b"W",)),
            (0x0004, _RATIONAL, 3, _dms(lon)),
            (0x0012, _ASCII, 7, (b"WGS-84",)),  # GPSMapDatum
        ]
    if heading is not None:
        fields += [
            (0x0010, _ASCII, 2, (b"T",)),  # GPSImgDirectionRef: true north
            (0x0011, _RATIONAL, 1, ((round(heading % 360 * 10_000) % 3_600_000, 10_000),)),
        ]
    return fields


def _dms(degrees: float) -> Tuple[Tuple[int, int], ...]:
    """Degrees, minutes and seconds (to a millionth of a second) as rationals, of the absolute value."""
    micro = round(abs(degrees) * 3600 * _MICRO)
    whole, rest = divmod(micro, 3600 * _MICRO)
    minutes, seconds = divmod(rest, 60 * _MICRO)
    return (whole, 1), (minutes, 1), (seconds, _MICRO)


def _encode(order: str, kind: int, values: Tuple) -> bytes:
    if kind == _BYTE:
        return bytes(values)
    if kind == _ASCII:
        return values[0] + b"\x00"
    if kind == _LONG:
        return struct.pack(f"{order}{len(values)}I", *values)
    return b"".join(struct.pack(f"{order}II", *pair) for pair in values)


def _tiff_with_gps(old: Optional[bytes], gps: List[Tuple[int, int, int, Tuple]]) -> bytes:
    """TIFF data whose IFD0 points to a GPS IFD of `gps`: `old` with both appended, or new."""
    parsed = _ifd0(old) if old else None
    if parsed is None:
        order, blob, entries, next_ifd = "<", bytearray(b"II*\x00\x08\x00\x00\x00"), [], 0
    else:
        order, entries, next_ifd = parsed
        blob = bytearray(old)
        entries = [e for e in entries if struct.unpack_from(f"{order}H", e)[0] != _GPS_POINTER]
    if len(blob) % 2:
        blob += b"\x00"  # IFDs start on a word boundary
    ifd0_at = len(blob)
    gps_at = ifd0_at + 2 + 12 * (len(entries) + 1) + 4
    entries.append(struct.pack(f"{order}HHII", _GPS_POINTER, _LONG, 1, gps_at))
    entries.sort(key=lambda e: struct.unpack_from(f"{order}H", e)[0])
    blob += struct.pack(f"{order}H", len(entries)) + b"".join(entries) + struct.pack(f"{order}I", next_ifd)
    blob += _ifd(order, gps, gps_at)
    struct.pack_into(f"{order}I", blob, 4, ifd0_at)
    return bytes(blob)


def _ifd(order: str, fields: List[Tuple[int, int, int, Tuple]], at: int) -> bytes:
    """An IFD placed at offset `at`, its values longer than four bytes right after it."""
    data_at = at + 2 + 12 * len(fields) + 4
    entries, extra = [], bytearray()
    for tag, kind, count, values in sorted(fields, key=lambda f: f[0]):
        data = _encode(order, kind, values)
        if len(data) <= 4:
            value = data.ljust(4, b"\x00")
        else:
            value = struct.pack(f"{order}I", data_at + len(extra))
            extra += data + (b"\x00" if len(data) % 2 else b"")
        entries.append(struct.pack(f"{order}HHI", tag, kind, count) + value)
    return struct.pack(f"{order}H", len(fields)) + b"".join(entries) + struct.pack(f"{order}I", 0) + bytes(extra)


def _ifd0(tiff: bytes) -> Optional[Tuple[str, List[bytes], int]]:
    """Byte order, raw 12-byte entries and next-IFD offset of a TIFF's IFD0; None when unreadable."""
    if len(tiff) < 8 or tiff[:2] not in (b"II", b"MM"):
        return None
    order = "<" if tiff[:2] == b"II" else ">"
    magic, at = struct.unpack_from(f"{order}HI", tiff, 2)
    if magic != 42 or at < 8 or at + 2 > len(tiff):
        return None
    (count,) = struct.unpack_from(f"{order}H", tiff, at)
    end = at + 2 + 12 * count
    if end + 4 > len(tiff):
        return None
    entries = [tiff[at + 2 + 12 * i : at + 14 + 12 * i] for i in range(count)]
    (next_ifd,) = struct.unpack_from(f"{order}I", tiff, end)
    return order, entries, next_ifd
