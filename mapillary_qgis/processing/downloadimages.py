"""`mapillary:downloadimages`: the JPEGs of an images layer saved into a folder; resumable; GPS in EXIF.

The thumbnail URLs come from the Graph API, `BATCH` images per request; the
pictures themselves from the CDN (no token goes there) through
`core.thumbnails.fetch_thumbnail`, which replaces a link that has expired.
Each file is written to a temporary name and renamed, so a file named
`<id>_<size>.jpg` is always whole, and a second run downloads only what is
missing. The EXIF writer here is pure Python (no Pillow, no GDAL).
"""

from __future__ import annotations

import math
import os
import struct
import tempfile
import threading
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple

from qgis.core import (
    QgsFeatureRequest,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFolderDestination,
)

from ..core.graph import images_details
from ..core.thumbnails import SIZES, fetch_thumbnail, thumb_field
from ..errors import InvalidTokenError, MapillaryError, RateLimitError
from .common import WGS84, MapillaryAlgorithm, tr
from .imagedetails import _batches, _image_id

INPUT, ID_FIELD, SIZE, FOLDER, WRITE_EXIF = "INPUT", "ID_FIELD", "SIZE", "FOLDER", "WRITE_EXIF"
DOWNLOADED, SKIPPED, FAILED = "DOWNLOADED", "SKIPPED", "FAILED"
HEADING_FIELD = "compass_angle"
BATCH = 50  # ids per `GET /images?image_ids=`
WORKERS = 4  # downloads at once
POLL_S = 0.2  # how often a wait looks at the cancel button
EXAMPLES = 5  # failed ids named in the report
DEFAULT_SIZE = 1  # 1024

NOT_FOUND = "Mapillary has no such image, or it is not public."
NO_PICTURE = "Mapillary has no picture of this image in this size."
NO_ID = "The feature has no valid image id."


@dataclass(frozen=True)
class Wanted:
    """One image to save: its id, its file, and what goes into its EXIF (EPSG:4326 degrees)."""

    image_id: str
    path: str
    lon: Optional[float] = None
    lat: Optional[float] = None
    heading: Optional[float] = None


class _Tally:
    """Counts, and the failures kept for one report."""

    def __init__(self, total: int, skipped: int):
        self.total, self.skipped = total, skipped
        self.written: Dict[str, bool] = {}  # image id: whether its EXIF could be written; set under the write lock
        self.failed: List[Tuple[str, str]] = []  # (image id or "", reason)
        self.stopped = False

    @property
    def downloaded(self) -> int:
        return len(self.written)

    def fail(self, image_id: str, reason: str) -> None:
        self.failed.append((image_id, reason))

    def rate_limited(self, error: MapillaryError, feedback) -> None:
        """Say once that the run stops on Mapillary's rate limit."""
        if not self.stopped:
            self.stopped = True
            feedback.reportError(tr("{} The images downloaded so far are kept; run again later for the rest.")
                                 .format(error.message), False)

    @property
    def done(self) -> int:
        return self.skipped + self.downloaded + len(self.failed)

    def report(self, feedback) -> None:
        if self.failed:
            named = [i for i, _ in self.failed if i][:EXAMPLES]
            more = " …" if len(self.failed) > len(named) else ""
            ids = tr(" (ids {}{})").format(", ".join(named), more) if named else ""
            feedback.reportError(tr("{} of {} images could not be downloaded{}. First error: {}").format(
                len(self.failed), self.total, ids, self.failed[0][1]), False)
        without_exif = sum(not readable for readable in list(self.written.values()))
        if without_exif:
            feedback.reportError(tr("{} pictures are not JPEGs that could be read: they were saved without "
                                    "EXIF.").format(without_exif), False)


class DownloadImagesAlgorithm(MapillaryAlgorithm):
    NAME = "downloadimages"
    DISPLAY_NAME = "Download images"
    HELP = ("Saves the pictures of a layer of Mapillary images (for example the output of Images) into a folder, "
            "as <id>_<size>.jpg, in 256, 1024 or 2048 pixels wide or as the original. Files already in the "
            "folder are kept and not downloaded again, so a cancelled or failed run can simply be run again. "
            "Optionally writes the image's position (the feature's point, in WGS 84) and its heading (the "
            "compass_angle field) into the EXIF GPS tags. Images that fail are counted and reported once; "
            "the others are saved. Uses MAPILLARY_ACCESS_TOKEN or the token saved in the Mapillary panel.")

    def initAlgorithm(self, config=None):  # noqa: N802 (QGIS API)
        self.addParameter(QgsProcessingParameterFeatureSource(
            INPUT, tr("Mapillary images"), [QgsProcessing.SourceType.TypeVectorPoint]))
        self.addParameter(QgsProcessingParameterField(ID_FIELD, tr("Image id field"), "id", INPUT, optional=True))
        self.addParameter(QgsProcessingParameterEnum(
            SIZE, tr("Size"), [tr("256 pixels"), tr("1024 pixels"), tr("2048 pixels"), tr("Original")],
            defaultValue=DEFAULT_SIZE))
        self.addParameter(QgsProcessingParameterBoolean(
            WRITE_EXIF, tr("Write position and heading into EXIF"), defaultValue=False))
        self.addParameter(QgsProcessingParameterFolderDestination(FOLDER, tr("Folder")))
        self.addOutput(QgsProcessingOutputNumber(DOWNLOADED, tr("Images downloaded")))
        self.addOutput(QgsProcessingOutputNumber(SKIPPED, tr("Images already in the folder")))
        self.addOutput(QgsProcessingOutputNumber(FAILED, tr("Images that could not be downloaded")))

    def process(self, parameters, context, feedback):
        source = self.parameterAsSource(parameters, INPUT, context)
        if source is None:
            raise QgsProcessingException(self.invalidSourceError(parameters, INPUT))
        id_field = self.parameterAsString(parameters, ID_FIELD, context) or "id"
        if source.fields().indexOf(id_field) < 0:
            raise QgsProcessingException(tr("The input has no field {!r} of image ids.").format(id_field))
        size = SIZES[self.parameterAsEnum(parameters, SIZE, context)]
        exif = self.parameterAsBool(parameters, WRITE_EXIF, context)
        folder = self.parameterAsString(parameters, FOLDER, context)
        try:
            os.makedirs(folder, exist_ok=True)
        except OSError as exc:
            message = tr("The folder {} could not be made: {}").format(folder, exc.strerror or exc)
            raise QgsProcessingException(message) from None

        wanted, invalid = self._wanted(source, id_field, size, folder, exif, context)
        todo = [w for w in wanted if not _present(w.path)]
        tally = _Tally(len(wanted) + invalid, len(wanted) - len(todo))
        for _ in range(invalid):
            tally.fail("", tr(NO_ID))
        feedback.pushInfo(tr("{} images: {} already in the folder, {} to download.").format(
            len(wanted), tally.skipped, len(todo)))
        self._download(todo, size, exif, tally, feedback)
        feedback.pushInfo(tr("{} images downloaded, {} already in the folder, {} failed.").format(
            tally.downloaded, tally.skipped, len(tally.failed)))
        tally.report(feedback)
        return {FOLDER: folder, DOWNLOADED: tally.downloaded, SKIPPED: tally.skipped, FAILED: len(tally.failed)}

    def _wanted(self, source, id_field: str, size, folder: str, exif: bool, context) -> Tuple[List[Wanted], int]:
        """The images to have, one per id (the first feature of each), and how many features had no id."""
        fields = source.fields()
        heading_index = fields.indexOf(HEADING_FIELD) if exif else -1
        request = QgsFeatureRequest().setSubsetOfAttributes(
            [i for i in (fields.indexOf(id_field), heading_index) if i >= 0])
        if exif:
            request.setDestinationCrs(WGS84, context.transformContext())
        else:
            request.setFlags(QgsFeatureRequest.Flag.NoGeometry)
        wanted: Dict[str, Wanted] = {}
        invalid = 0
        for feature in source.getFeatures(request):
            image_id = _image_id(feature[id_field])
            if not image_id:
                invalid += 1
                continue
            if image_id in wanted:
                continue
            path = os.path.join(folder, f"{image_id}_{size}.jpg")
            lon = lat = heading = None
            if exif:
                lon, lat = _lonlat(feature.geometry()) if feature.hasGeometry() else (None, None)
                heading = _number(feature[HEADING_FIELD]) if heading_index >= 0 else None
            wanted[image_id] = Wanted(image_id, path, lon, lat, heading)
        return list(wanted.values()), invalid

    def _download(self, todo: Sequence[Wanted], size, exif: bool, tally: _Tally, feedback) -> None:
        """Look the URLs up a batch ahead, download `WORKERS` at a time; stop within `POLL_S` of a cancel."""
        field = thumb_field(size)
        stop = threading.Event()
        write_lock = threading.Lock()  # a cancel waits for a file being written, then no other starts

        def lookup(batch: Sequence[Wanted]) -> Dict[str, dict]:
            found = images_details(self.client, [w.image_id for w in batch], [field], batch=BATCH)
            return {str(d.get("id")): d for d in found}

        def fetch(wanted: Wanted, details: dict) -> None:
            """Download, add the EXIF, write; nothing is written once the run stops."""
            data = fetch_thumbnail(self.client, None, wanted.image_id, size, details)
            readable = True
            if exif and (wanted.lat is not None or wanted.heading is not None):
                try:
                    data = with_gps_exif(data, wanted.lon, wanted.lat, wanted.heading)
                except ValueError:
                    readable = False
            with write_lock:
                if not stop.is_set():
                    _write_atomically(wanted.path, data)
                    tally.written[wanted.image_id] = readable

        lookups = ThreadPoolExecutor(1, thread_name_prefix="mapillary-lookup")
        downloads = ThreadPoolExecutor(WORKERS, thread_name_prefix="mapillary-download")
        pending: Dict = {}
        batches = list(_batches(todo, BATCH))
        try:
            upcoming = lookups.submit(lookup, batches[0]) if batches else None
            for number, batch in enumerate(batches):
                details = self._batch_details(upcoming, batch, tally, pending, feedback)
                if details is None:
                    break
                upcoming = lookups.submit(lookup, batches[number + 1]) if number + 1 < len(batches) else None
                for wanted in batch:
                    found = details.get(wanted.image_id)
                    if found is None:
                        tally.fail(wanted.image_id, tr(NOT_FOUND))
                    elif not found.get(field):
                        tally.fail(wanted.image_id, tr(NO_PICTURE))
                    else:
                        pending[downloads.submit(fetch, wanted, found)] = wanted
                feedback.setProgress(100 * tally.done / max(1, tally.total))
                if not self._drain(pending, WORKERS, tally, feedback):
                    break
            else:
                self._drain(pending, 0, tally, feedback)
        finally:
            stop.set()
            with write_lock:  # no file is being written once this is held; none will be after
                pass
            lookups.shutdown(wait=False, cancel_futures=True)
            downloads.shutdown(wait=False, cancel_futures=True)
        self._collect(pending, tally, feedback)  # failures while stopping; files written are in `tally.written`
        if feedback.isCanceled():
            feedback.pushInfo(tr("Cancelled: {} images downloaded; run again to download the rest.").format(
                tally.downloaded))

    def _batch_details(self, future, batch, tally: _Tally, pending, feedback) -> Optional[Dict[str, dict]]:
        """The Graph details of a batch ({} when its lookup failed); None to stop (cancelled, rate limited)."""
        while True:
            if not self._drain(pending, None, tally, feedback):
                return None
            done, _ = wait([future, *pending], timeout=POLL_S, return_when=FIRST_COMPLETED)
            if future in done:
                break
        try:
            return future.result()
        except InvalidTokenError as exc:
            raise QgsProcessingException(exc.message) from None
        except RateLimitError as exc:
            tally.rate_limited(exc, feedback)
            return None
        except MapillaryError as exc:
            for wanted in batch:
                tally.fail(wanted.image_id, exc.message)
            return {}

    def _drain(self, pending: Dict, down_to: Optional[int], tally: _Tally, feedback) -> bool:
        """Collect finished downloads until at most `down_to` are pending (None: just those finished).

        False when the run must stop: cancelled, or rate limited. A rejected token raises.
        """
        while True:
            if feedback.isCanceled() or not self._collect(pending, tally, feedback):
                return False
            if down_to is None or len(pending) <= down_to:
                return True
            wait(list(pending), timeout=POLL_S, return_when=FIRST_COMPLETED)

    def _collect(self, pending: Dict, tally: _Tally, feedback) -> bool:
        """Count the finished downloads; False when rate limited. A rejected token raises."""
        finished = [f for f in pending if f.done()]
        go_on = True
        for future in finished:
            wanted = pending.pop(future)
            if future.cancelled():
                continue
            try:
                future.result()  # a file written is counted by the worker, under the write lock
            except InvalidTokenError as exc:
                raise QgsProcessingException(exc.message) from None
            except RateLimitError as exc:
                tally.fail(wanted.image_id, exc.message)
                tally.rate_limited(exc, feedback)
                go_on = False
            except MapillaryError as exc:
                tally.fail(wanted.image_id, exc.message)
            except OSError as exc:
                tally.fail(wanted.image_id, tr("The file {} could not be written: {}").format(
                    wanted.path, exc.strerror or exc))
        if finished:
            feedback.setProgress(100 * tally.done / max(1, tally.total))
        return go_on


def _present(path: str) -> bool:
    try:
        return os.path.getsize(path) > 0
    except OSError:
        return False


def _write_atomically(path: str, data: bytes) -> None:
    """`data` into `path` through a temporary file in the same folder and a rename."""
    folder, name = os.path.split(path)
    handle, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".part", dir=folder or ".")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass  # already gone
        raise


def _number(value) -> Optional[float]:
    try:
        number = float(value)
    except (TypeError, ValueError):  # NULL comes as a QVariant or None
        return None
    return number if math.isfinite(number) else None


def _lonlat(geometry) -> Tuple[Optional[float], Optional[float]]:
    if geometry is None or geometry.isEmpty():
        return None, None
    point = geometry.centroid().asPoint()  # the point itself for a point
    lon, lat = point.x(), point.y()
    if math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90:
        return lon, lat
    return None, None


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
