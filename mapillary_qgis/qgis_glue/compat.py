"""Every difference between the QGIS versions the plugin runs on, in one place.

Measured with `make test-matrix` on QGIS 3.22.16 (Debian 12), 3.40.6 (Debian 13)
and 3.44.15 (Debian unstable); the tests in tests/qgis/test_compat.py check each
statement here against the QGIS they run on. The rest of the plugin asks this
module instead of comparing version numbers itself.

The pure core cannot import QGIS: the one GDAL difference it meets (failure
messages with exceptions on, GDAL >= 3.7) is handled where it bites, in
core/mvt_decode.py.
"""

from __future__ import annotations

from qgis.core import Qgis, QgsApplication, QgsMapLayer
from qgis.PyQt.QtCore import QMetaType, QPointF, QVariant
from qgis.PyQt.QtGui import QMouseEvent

QGIS_VERSION = Qgis.QGIS_VERSION  # "3.40.6-Bratislava"
QGIS_VERSION_INT = Qgis.QGIS_VERSION_INT  # 34006

# QGIS's vector-tile decoder read every integer attribute as a 32-bit int until
# QGIS PR #62438 ("Fix overflow in vector tile long int attributes", June 2025):
# image id 178993950747668 reads back as 1188686868 on 3.22 and 3.40.6, exactly
# on 3.44. The exact layers and identify never rely on it, on any version.
VECTOR_TILE_KEEPS_INT64 = QGIS_VERSION_INT >= 34400

# QGIS 3.38 moved field types from QVariant::Type to QMetaType::Type and a
# layer's attribution to its server properties; the old spellings still work
# there but are deprecated (and gone with Qt 6).
_QMETATYPE_FIELDS = QGIS_VERSION_INT >= 33800
if _QMETATYPE_FIELDS:
    INT, LONG, DOUBLE = QMetaType.Type.Int, QMetaType.Type.LongLong, QMetaType.Type.Double
    TEXT, BOOL, DATETIME = QMetaType.Type.QString, QMetaType.Type.Bool, QMetaType.Type.QDateTime
else:
    INT, LONG, DOUBLE = QVariant.Type.Int, QVariant.Type.LongLong, QVariant.Type.Double
    TEXT, BOOL, DATETIME = QVariant.Type.String, QVariant.Type.Bool, QVariant.Type.DateTime


def set_attribution(layer: QgsMapLayer, text: str, url: str = "") -> None:
    if _QMETATYPE_FIELDS:
        layer.serverProperties().setAttribution(text)
        if url:
            layer.serverProperties().setAttributionUrl(url)
    else:
        layer.setAttribution(text)
        if url:
            layer.setAttributionUrl(url)


def attribution(layer: QgsMapLayer) -> str:
    return layer.serverProperties().attribution() if _QMETATYPE_FIELDS else layer.attribution()


def has_api_header_auth() -> bool:
    """Whether QGIS has the "APIHeader" auth method (3.40 yes, 3.22 no).

    The token store does not depend on it: it keeps the token in a "Basic"
    configuration on every version (qgis_glue/token_store.py says why).
    """
    return "APIHeader" in QgsApplication.authManager().authMethodsKeys()


# Qt 6 gives mouse events position() (QSinglePointEvent); Qt 5.15's QMouseEvent has
# only localPos() (its wheel events have both).
_QT6_POINTER_EVENTS = hasattr(QMouseEvent, "position")


def mouse_position(event) -> QPointF:
    """Where a QMouseEvent happened, in the receiving widget's coordinates."""
    if _QT6_POINTER_EVENTS:
        return event.position()
    else:
        return event.localPos()
