"""What qgis_glue/compat.py says about this QGIS is what this QGIS does.

`make test-matrix` runs these on QGIS 3.22, 3.40 and 3.44: each version must
behave the way compat says, not the same way.
"""

import re
import warnings

from qgis.core import (
    QgsField,
    QgsMarkerSymbol,
    QgsVectorLayer,
    QgsVectorTileBasicRenderer,
    QgsVectorTileBasicRendererStyle,
    QgsWkbTypes,
)

from mapillary_qgis.qgis_glue import compat
from mapillary_qgis.qgis_glue.coverage import coverage_layer
from tests.fake_mapillary.tilemath import tile_for

from .rendering import drawn_pixels, render
from .test_coverage import CX, CY, demo_tile_extent


def test_version_number_matches_the_version_string():
    major, minor, patch = (int(part) for part in re.match(r"(\d+)\.(\d+)\.(\d+)", compat.QGIS_VERSION).groups())
    assert compat.QGIS_VERSION_INT == major * 10000 + minor * 100 + patch


def as_qgis_int(value: int) -> int:
    """What a decoder that casts to a 32-bit int makes of `value`."""
    low = value & 0xFFFFFFFF
    return low - 2**32 if low >= 2**31 else low


def test_as_qgis_int_matches_what_the_readme_reports():
    assert as_qgis_int(178993950747668) == 1188686868


def drawn_where(server, expression: str) -> int:
    """Pixels the coverage layer draws for the images its own decoder finds matching `expression`."""
    style = QgsVectorTileBasicRendererStyle("probe", "image", QgsWkbTypes.GeometryType.PointGeometry)
    style.setSymbol(QgsMarkerSymbol.createSimple({"size": "4", "color": "255,0,0"}))
    style.setFilterExpression(expression)
    renderer = QgsVectorTileBasicRenderer()
    renderer.setStyles([style])
    layer = coverage_layer("coverage", server)
    layer.setRenderer(renderer)
    return drawn_pixels(render([layer], demo_tile_extent()))


def test_the_vector_tile_decoder_keeps_64_bit_ids_as_compat_says(server, fake_env):
    image = next(i for i in fake_env.dataset.images if i.id > 2**32 and tile_for(i.lon, i.lat, 14) == (CX, CY))
    exact = drawn_where(server, f'"id" = {image.id}')
    truncated = drawn_where(server, f'"id" = {as_qgis_int(image.id)}')
    if compat.VECTOR_TILE_KEEPS_INT64:
        assert exact > 0 and truncated == 0
    else:
        assert exact == 0 and truncated > 0


def test_field_types_make_fields_without_deprecation_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        fields = [QgsField(name, kind) for name, kind in (("long", compat.LONG), ("int", compat.INT),
                  ("double", compat.DOUBLE), ("text", compat.TEXT), ("bool", compat.BOOL),
                  ("time", compat.DATETIME))]
    # the type ids QVariant::Type and QMetaType::Type share: LongLong, Int, Double, QString, Bool, QDateTime
    assert [int(field.type()) for field in fields] == [4, 2, 6, 10, 1, 16]
    layer = QgsVectorLayer("Point?crs=EPSG:4326", "probe", "memory")
    assert layer.dataProvider().addAttributes(fields)
    layer.updateFields()
    assert [int(field.type()) for field in layer.fields()] == [4, 2, 6, 10, 1, 16]


def test_attribution_round_trip_without_deprecation_warnings():
    layer = QgsVectorLayer("Point?crs=EPSG:4326", "probe", "memory")
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        compat.set_attribution(layer, "© Mapillary, CC BY-SA", "https://www.mapillary.com")
        assert compat.attribution(layer) == "© Mapillary, CC BY-SA"


def test_api_header_auth_method_where_measured():
    """3.22 has no "APIHeader" auth method; 3.40 and 3.44 have it (it came in between)."""
    if compat.QGIS_VERSION_INT < 32300:
        assert not compat.has_api_header_auth()
    elif compat.QGIS_VERSION_INT >= 34000:
        assert compat.has_api_header_auth()


def test_the_ogr_provider_reads_the_session_store_exactly(tmp_path, monkeypatch):
    """64-bit ids, and date-times to the millisecond (the store's quarter-millisecond form: QGIS 3.22
    truncates GDAL's 32-bit float seconds, 11.273 s came back as 272 ms). Under a zone far from UTC, to see
    what each QGIS does with the zone: 3.22 drops it (a local date-time with the UTC clock time)."""
    import time

    from qgis.PyQt.QtCore import QDateTime, Qt

    from mapillary_qgis.core.records import ImageRecord
    from mapillary_qgis.core.session_store import SessionStore
    from mapillary_qgis.qgis_glue.exact_layers import exact_layer

    times = [1657010711273, 1436622890000, 1436622890999, 1436622890001, 253402300799999, 1]
    ids = [178993950747668 + n for n in range(len(times))] + [2**63 - 1]
    store = SessionStore.create(tmp_path / "mapillary-session-1-1.gpkg")
    store.add("images", [ImageRecord(i, 0.0, 0.0, t) for i, t in zip(ids, times + [0])])
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    try:
        layer = exact_layer("images", store)
        read = {f["id"]: f["captured_at"] for f in layer.getFeatures()}
        assert set(read) == set(ids)
        unknown = read[2**63 - 1]  # captured_at 0: no capture time
        assert unknown is None or unknown.isNull()
        for image_id, ms in zip(ids, times):
            value = read[image_id]
            if value.timeSpec() == Qt.TimeSpec.LocalTime:  # the zone dropped: the UTC clock time, as local
                value = QDateTime(value.date(), value.time(), Qt.TimeSpec.UTC)
            assert value.toMSecsSinceEpoch() == ms, (image_id, value)
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def test_mouse_position_on_this_qt(qtbot):
    """Qt 5 mouse events have no position() (compat takes localPos()); Qt 6 ones do."""
    from qgis.PyQt.QtCore import QT_VERSION_STR, QEvent, QPointF, Qt
    from qgis.PyQt.QtGui import QMouseEvent

    assert compat._QT6_POINTER_EVENTS == (int(QT_VERSION_STR.split(".")[0]) >= 6)
    event = QMouseEvent(QEvent.Type.MouseButtonPress, QPointF(12.5, 7.0), Qt.MouseButton.LeftButton,
                        Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    assert compat.mouse_position(event) == QPointF(12.5, 7.0)
