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
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ..core.exif import with_gps_exif
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

NOT_FOUND = QT_TRANSLATE_NOOP("MapillaryProcessing", "Mapillary has no such image, or it is not public.")
NO_PICTURE = QT_TRANSLATE_NOOP("MapillaryProcessing", "Mapillary has no picture of this image in this size.")
NO_ID = QT_TRANSLATE_NOOP("MapillaryProcessing", "The feature has no valid image id.")


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
    DISPLAY_NAME = QT_TRANSLATE_NOOP("MapillaryProcessing", "Download images")
    HELP = QT_TRANSLATE_NOOP(
        "MapillaryProcessing",
        "Saves the pictures of a layer of Mapillary images (for example the output of Images) into a folder, "
        "as <id>_<size>.jpg, in 256, 1024 or 2048 pixels wide or as the original. Files already in the "
        "folder are kept and not downloaded again, so a cancelled or failed run can simply be run again. "
        "Optionally writes the image's position (the feature's point, in WGS 84) and its heading (the "
        "compass_angle field) into the EXIF GPS tags. Images that fail are counted and reported once; "
        "the others are saved.")

    EXAMPLE = (
        'qgis_process run mapillary:downloadimages -- INPUT=images.gpkg SIZE=1 WRITE_EXIF=true '
        'FOLDER=pictures')
    PARAMETER_HELP = {
        "SIZE": QT_TRANSLATE_NOOP("MapillaryProcessing", '0: 256, 1: 1024, 2: 2048 pixels wide, 3: the original.'),
        "WRITE_EXIF": QT_TRANSLATE_NOOP("MapillaryProcessing",
                                        "Writes the feature's point and its compass_angle into the EXIF GPS tags."),
        "FOLDER": QT_TRANSLATE_NOOP("MapillaryProcessing",
                                    'Where the pictures go, as <id>_<size>.jpg; files already '
                                    'there are kept.'),
    }

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
        source, id_field = self.id_source(parameters, context, INPUT, ID_FIELD)
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
