"""`mapillary:imagedetails`: Graph API details appended to an images layer, in batches of ids."""

from __future__ import annotations

from qgis.core import (
    QgsFeature,
    QgsFeatureSink,
    QgsField,
    QgsFields,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingUtils,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ..core.graph import images_details, position
from ..errors import MapillaryError
from ..qgis_glue.compat import DOUBLE, INT, TEXT
from .common import OUTPUT, MapillaryAlgorithm, tr

INPUT, ID_FIELD = "INPUT", "ID_FIELD"
BATCH = 50  # ids per `GET /images?image_ids=`
GRAPH_FIELDS = ("make", "model", "camera_type", "creator", "quality_score", "width", "height",
                "computed_compass_angle", "computed_geometry")
# (output field, type, value from the Graph JSON)
DETAILS = (
    ("make", TEXT, lambda d: d.get("make")),
    ("model", TEXT, lambda d: d.get("model")),
    ("camera_type", TEXT, lambda d: d.get("camera_type")),
    ("creator_username", TEXT, lambda d: (d.get("creator") or {}).get("username")),
    ("quality_score", DOUBLE, lambda d: d.get("quality_score")),
    ("width", INT, lambda d: d.get("width")),
    ("height", INT, lambda d: d.get("height")),
    ("computed_compass_angle", DOUBLE, lambda d: d.get("computed_compass_angle")),
    ("computed_lon", DOUBLE, lambda d: (position(d, computed=True) or (None, None))[0]),
    ("computed_lat", DOUBLE, lambda d: (position(d, computed=True) or (None, None))[1]),
)


class ImageDetailsAlgorithm(MapillaryAlgorithm):
    NAME = "imagedetails"
    DISPLAY_NAME = QT_TRANSLATE_NOOP("MapillaryProcessing", "Add image details")
    HELP = ("Adds Mapillary Graph API details (camera make, model and type, creator username, quality score, "
            "width, height, computed angle and position) to a layer of Mapillary images, by their id field, "
            f"{BATCH} images per request. Images Mapillary does not know keep empty values.")

    EXAMPLE = "qgis_process run mapillary:imagedetails -- INPUT=images.gpkg OUTPUT=details.gpkg"

    def initAlgorithm(self, config=None):  # noqa: N802 (QGIS API)
        self.addParameter(QgsProcessingParameterFeatureSource(INPUT, tr("Mapillary images")))
        self.addParameter(QgsProcessingParameterField(ID_FIELD, tr("Image id field"), "id", INPUT, optional=True))
        self.addParameter(QgsProcessingParameterFeatureSink(
            OUTPUT, tr("Mapillary images with details"), QgsProcessing.SourceType.TypeVectorAnyGeometry))

    def process(self, parameters, context, feedback):
        source, id_field = self.id_source(parameters, context, INPUT, ID_FIELD)
        added = QgsFields()
        for name, kind, _ in DETAILS:
            added.append(QgsField(name, kind))
        fields = QgsProcessingUtils.combineFields(source.fields(), added)
        sink, dest = self.parameterAsSink(parameters, OUTPUT, context, fields, source.wkbType(), source.sourceCrs())
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, OUTPUT))
        total, done = source.featureCount(), 0
        for batch in _batches(source.getFeatures(), BATCH):
            if feedback.isCanceled():
                break
            done += self._write(batch, id_field, fields, sink)
            feedback.setProgress(100 * done / max(1, total))
        feedback.pushInfo(tr("{} images written.").format(done))
        return {OUTPUT: dest}

    def _write(self, batch, id_field: str, fields: QgsFields, sink) -> int:
        """Look the batch up with one request and write it; features without a valid id get empty details."""
        ids = [_image_id(f[id_field]) for f in batch]
        try:
            found = images_details(self.client, [i for i in ids if i], GRAPH_FIELDS, batch=BATCH)
        except MapillaryError as exc:
            raise QgsProcessingException(exc.message) from None
        details = {str(d.get("id")): d for d in found}
        out = []
        for feature, image_id in zip(batch, ids):
            extra = details.get(image_id, {})
            made = QgsFeature(fields)
            made.setGeometry(feature.geometry())
            made.setAttributes(feature.attributes() + [read(extra) for _, _, read in DETAILS])
            out.append(made)
        if not sink.addFeatures(out, QgsFeatureSink.Flag.FastInsert):
            raise QgsProcessingException(tr("The features could not be written: {}").format(sink.lastError()))
        return len(out)


def _batches(items, size: int):
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _image_id(value) -> str:
    """The id as digits ("" when missing or not an id); ints and text both work."""
    text = str(value).strip() if value is not None else ""
    return text if text.isdigit() else ""
