"""mapillary:imagesoffeatures: for each feature, the Mapillary images that see it (core/seeing.py)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from qgis.core import (
    QgsCoordinateTransform,
    QgsFeature,
    QgsFeatureSink,
    QgsField,
    QgsFields,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterFolderDestination,
    QgsProcessingParameterNumber,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ..core.filters import image_matcher
from ..core.identify import tiles_around
from ..core.seeing import DEFAULT_MAX_DISTANCE_M, Grid, columns, seen_from
from ..core.thumbnails import fetch_thumbnail
from ..errors import MapillaryError
from ..qgis_glue.compat import BOOL, DATETIME, DOUBLE, LONG, TEXT
from ..qgis_glue.exact_layers import utc
from .common import OUTPUT, WGS84, MapillaryAlgorithm, tr

INPUT, MAX_DISTANCE, LOOKING_AT, PER_FEATURE = "INPUT", "MAX_DISTANCE", "LOOKING_AT", "PER_FEATURE"
THUMBNAILS, FOLDER = "THUMBNAILS", "FOLDER"
THUMBNAIL_SIZES = (None, 256, 1024, 2048)
IMAGE_FIELDS = (("image_id", LONG), ("image_captured_at", DATETIME), ("image_distance_m", DOUBLE),
                ("image_bearing_offset", DOUBLE), ("image_is_pano", BOOL), ("image_path", TEXT))
DOWNLOADERS = 8


class ImagesOfFeaturesAlgorithm(MapillaryAlgorithm):
    NAME = "imagesoffeatures"
    DISPLAY_NAME = QT_TRANSLATE_NOOP("MapillaryProcessing", "Images of features")
    HELP = QT_TRANSLATE_NOOP(
        "MapillaryProcessing",
        "For each feature of a layer (assets: lamp posts, signs, buildings...), the Mapillary images that "
        "see it, best first: within the distance and, unless turned off, with the feature inside the "
        "image's field of view around its compass angle (60 degrees unless the camera is known; panoramas "
        "see all around). One row per feature and image, the feature's fields and geometry with the "
        "image's exact id, UTC capture time, distance, angle off its view and panorama flag; a feature no "
        "image sees is kept once with empty image fields. Points are used as they are; lines and polygons "
        "by a point on them (QGIS's point on surface). Optionally downloads each image's picture into a "
        "folder, for an attribute form or a print layout atlas (a picture item on image_path).")
    EXAMPLE = ("qgis_process run mapillary:imagesoffeatures -- INPUT=lamps.gpkg MAX_DISTANCE=25 PER_FEATURE=3 "
               "THUMBNAILS=2 FOLDER=pictures OUTPUT=lamps_images.gpkg")
    PARAMETER_HELP = {
        MAX_DISTANCE: QT_TRANSLATE_NOOP("MapillaryProcessing", "Metres between the image and the feature."),
        LOOKING_AT: QT_TRANSLATE_NOOP("MapillaryProcessing",
                                      "Only images whose view holds the feature; off: every image near it."),
        PER_FEATURE: QT_TRANSLATE_NOOP("MapillaryProcessing", "How many images a feature keeps, best first."),
        THUMBNAILS: QT_TRANSLATE_NOOP("MapillaryProcessing",
                                      "0 no pictures, 1: 256, 2: 1024, 3: 2048 pixels wide, into FOLDER."),
        FOLDER: QT_TRANSLATE_NOOP("MapillaryProcessing",
                                  "Where the pictures go, as <id>_<size>.jpg; files already there are used."),
    }

    def initAlgorithm(self, config=None):  # noqa: N802 (QGIS API)
        self.addParameter(QgsProcessingParameterFeatureSource(
            INPUT, tr("Features"), [QgsProcessing.SourceType.TypeVectorAnyGeometry]))
        self.addParameter(QgsProcessingParameterNumber(
            MAX_DISTANCE, tr("Maximum distance (metres)"), QgsProcessingParameterNumber.Type.Double,
            DEFAULT_MAX_DISTANCE_M, minValue=1.0, maxValue=250.0))
        self.addParameter(QgsProcessingParameterBoolean(LOOKING_AT, tr("Only images looking at the feature"),
                                                        defaultValue=True))
        self.addParameter(QgsProcessingParameterNumber(
            PER_FEATURE, tr("Images per feature"), QgsProcessingParameterNumber.Type.Integer, 1,
            minValue=1, maxValue=100))
        self.add_image_filter_parameters()
        self.addParameter(QgsProcessingParameterEnum(
            THUMBNAILS, tr("Download pictures"), [tr("None"), tr("256 pixels"), tr("1024 pixels"), tr("2048 pixels")],
            defaultValue=0))
        self.addParameter(QgsProcessingParameterFolderDestination(FOLDER, tr("Picture folder"), optional=True))
        self.add_output(tr("Features with their images"), QgsProcessing.SourceType.TypeVectorAnyGeometry)

    def process(self, parameters, context, feedback):
        source = self.parameterAsSource(parameters, INPUT, context)
        if source is None:
            raise QgsProcessingException(self.invalidSourceError(parameters, INPUT))
        max_distance = self.parameterAsDouble(parameters, MAX_DISTANCE, context)
        looking_at = self.parameterAsBoolean(parameters, LOOKING_AT, context)
        per_feature = self.parameterAsInt(parameters, PER_FEATURE, context)
        size = THUMBNAIL_SIZES[self.parameterAsEnum(parameters, THUMBNAILS, context)]
        folder = self.parameterAsString(parameters, FOLDER, context) if size else ""
        if size and not folder:
            raise QgsProcessingException(tr("Give a folder for the pictures."))
        keep = image_matcher(self.image_filters(parameters, context, feedback))

        fields = QgsFields(source.fields())
        for name, kind in IMAGE_FIELDS:
            if fields.indexOf(name) >= 0:
                raise QgsProcessingException(tr("The input has a field {!r} already; rename it first.").format(name))
            fields.append(QgsField(name, kind))

        # Where each feature is, in EPSG:4326, and the tiles around those places only.
        to_wgs84 = QgsCoordinateTransform(source.sourceCrs(), WGS84, context.transformContext())
        places, inputs = [], []
        for feature in source.getFeatures():
            if feedback.isCanceled():
                break
            inputs.append(feature)
            places.append(_place(feature, to_wgs84))
        tiles = sorted({tile for place in places if place for tile in tiles_around(*place, max_distance)})
        records = []
        if tiles:
            result = self.load_tiles("mly1_public", "image", tiles, feedback)
            records = [r for r in result.records.get("image", []) if keep(r)]
        images = columns(records)
        grid = Grid(images, max_distance)

        sink, dest = self.parameterAsSink(parameters, OUTPUT, context, fields, source.wkbType(), source.sourceCrs())
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, OUTPUT))
        rows, unseen = [], 0
        for feature, place in zip(inputs, places):
            found = seen_from(images, *place, max_distance, looking_at, candidates=grid.near(*place))[:per_feature] \
                if place else []
            if not found:
                unseen += 1
            rows.append((feature, found))
        paths = self._download(rows, size, Path(folder), feedback) if size else {}
        written = 0
        for number, (feature, found) in enumerate(rows):
            if feedback.isCanceled():
                break
            for item in found or [None]:
                out = QgsFeature(fields)
                out.setGeometry(feature.geometry())
                extra = [None] * len(IMAGE_FIELDS) if item is None else [
                    item["id"], utc(item["captured_at"]), item["distance_m"], item["bearing_offset"],
                    item["is_pano"], paths.get(item["id"])]
                out.setAttributes(list(feature.attributes()) + extra)
                sink.addFeature(out, QgsFeatureSink.Flag.FastInsert)
                written += 1
            feedback.setProgress(95 + 5 * (number + 1) / max(1, len(rows)))
        feedback.pushInfo(tr("{} features, {} rows written; {} features no image sees.").format(
            len(rows), written, unseen))
        return {OUTPUT: dest}

    def _download(self, rows, size: int, folder: Path, feedback) -> dict:
        """{image id: path} of the pictures (downloaded once, reused when the file is there)."""
        folder.mkdir(parents=True, exist_ok=True)
        wanted = sorted({item["id"] for _, found in rows for item in found})
        paths, failed = {}, []

        def one(image_id):
            path = folder / f"{image_id}_{size}.jpg"
            if not path.is_file():
                data = fetch_thumbnail(self.client, None, str(image_id), size)
                temporary = path.with_suffix(".part")
                temporary.write_bytes(data)
                temporary.replace(path)
            return str(path)

        with ThreadPoolExecutor(DOWNLOADERS) as pool:
            futures = {image_id: pool.submit(one, image_id) for image_id in wanted}
            for done, (image_id, future) in enumerate(futures.items(), start=1):
                if feedback.isCanceled():
                    for later in futures.values():
                        later.cancel()
                    break
                try:
                    paths[image_id] = future.result()
                except (MapillaryError, OSError) as exc:
                    failed.append((image_id, exc))
                feedback.setProgress(90 + 5 * done / max(1, len(futures)))
        if failed:
            feedback.reportError(tr("{} of {} pictures could not be downloaded (their image_path stays empty). "
                                    "First error: {}").format(len(failed), len(wanted), failed[0][1]), False)
        return paths


def _place(feature, to_wgs84):
    """(lon, lat) of the feature: a point as it is, a line or polygon by its point on surface; None if none."""
    geometry = feature.geometry()
    if geometry is None or geometry.isEmpty():
        return None
    if geometry.type() != QgsWkbTypes.GeometryType.PointGeometry or geometry.isMultipart():
        geometry = geometry.pointOnSurface()
    try:
        point = to_wgs84.transform(geometry.asPoint())
    except Exception:  # QgsCsException: a point outside what the CRS can transform
        return None
    return point.x(), point.y()
