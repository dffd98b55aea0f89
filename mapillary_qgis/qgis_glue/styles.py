"""Hand-made styles for the Mapillary layers: Mapillary green, panoramas blue, signs by class."""

from __future__ import annotations

from qgis.core import (
    QgsLineSymbol,
    QgsMarkerSymbol,
    QgsProperty,
    QgsRuleBasedRenderer,
    QgsVectorTileBasicRenderer,
    QgsVectorTileBasicRendererStyle,
    QgsWkbTypes,
)

GREEN = "#05cb63"
PANO_BLUE = "#1e88e5"
OUTLINE = "#ffffff"

# Map-feature classes by the prefix of their `value`, in legend order.
FEATURE_CLASSES = (
    ("Regulatory signs", "regulatory--", "#d0312d"),
    ("Warning signs", "warning--", "#f2a900"),
    ("Information signs", "information--", "#1e6fd9"),
    ("Complementary signs", "complementary--", "#7a7a7a"),
    ("Objects", "object--", "#8e44ad"),
    ("Marking", "marking--", "#00897b"),
    ("Construction", "construction--", "#6d4c41"),
)
OTHER_FEATURE_COLOUR = "#455a64"


def dot(colour: str, size: float = 1.6) -> QgsMarkerSymbol:
    return QgsMarkerSymbol.createSimple(
        {"name": "circle", "color": colour, "outline_color": OUTLINE, "outline_width": "0.2", "size": str(size)}
    )


def arrow(colour: str, size: float = 3.0) -> QgsMarkerSymbol:
    """A viewing-direction arrow, rotated by the image's `compass_angle` (degrees from north)."""
    symbol = QgsMarkerSymbol.createSimple(
        {"name": "arrowhead", "color": colour, "outline_color": colour, "outline_width": "0.5", "size": str(size)}
    )
    # the arrowhead points east; compass angles count from north
    symbol.setDataDefinedAngle(QgsProperty.fromExpression('coalesce("compass_angle", 0) - 90'))
    return symbol


def line(colour: str, width: float = 0.6) -> QgsLineSymbol:
    return QgsLineSymbol.createSimple({"color": colour, "width": str(width), "capstyle": "round"})


def _style(name, layer, geometry, symbol, zmin=-1, zmax=-1, expression="") -> QgsVectorTileBasicRendererStyle:
    style = QgsVectorTileBasicRendererStyle(name, layer, geometry)
    style.setSymbol(symbol)
    style.setMinZoomLevel(zmin)
    style.setMaxZoomLevel(zmax)
    if expression:
        style.setFilterExpression(expression)
    return style


# `is_pano` is a boolean: QGIS compares it with true/false, not with 1/0.
PANO = '"is_pano"'
NOT_PANO = 'NOT coalesce("is_pano", false)'


def coverage_renderer() -> QgsVectorTileBasicRenderer:
    """`mly1_public`: overview dots, sequence lines, image arrows; panoramas in blue."""
    point, linestring = QgsWkbTypes.GeometryType.PointGeometry, QgsWkbTypes.GeometryType.LineGeometry
    styles = [
        _style("Overview", "overview", point, dot(GREEN, 1.2), 0, 6),
        _style("Sequences", "sequence", linestring, line(GREEN), 6, -1, NOT_PANO),
        _style("Panorama sequences", "sequence", linestring, line(PANO_BLUE), 6, -1, PANO),
        _style("Images", "image", point, arrow(GREEN), 14, -1, NOT_PANO),
        _style("Panoramas", "image", point, dot(PANO_BLUE, 2.2), 14, -1, PANO),
    ]
    renderer = QgsVectorTileBasicRenderer()
    renderer.setStyles(styles)
    return renderer


def feature_filter(prefix: str) -> str:
    return f"\"value\" LIKE '{prefix}%'"


def map_feature_renderer(layer_name: str) -> QgsVectorTileBasicRenderer:
    """`point` or `traffic_sign` features as dots coloured by class."""
    point = QgsWkbTypes.GeometryType.PointGeometry
    styles = [_style(label, layer_name, point, dot(colour, 2.4), 14, -1, feature_filter(prefix))
              for label, prefix, colour in FEATURE_CLASSES]
    others = " AND ".join(f"NOT ({feature_filter(prefix)})" for _, prefix, _ in FEATURE_CLASSES)
    styles.append(_style("Other", layer_name, point, dot(OTHER_FEATURE_COLOUR, 2.4), 14, -1, others))
    renderer = QgsVectorTileBasicRenderer()
    renderer.setStyles(styles)
    return renderer




# -- exact (vector) layers ------------------------------------------------------------

ARROW_SCALE = 10000  # closer than 1:10,000 images show as direction arrows, farther out as dots


def _rules(rules) -> QgsRuleBasedRenderer:
    """A rule-based renderer from (label, expression, symbol, min_scale, max_scale) rows."""
    root = QgsRuleBasedRenderer.Rule(None)
    for label, expression, symbol, min_scale, max_scale in rules:
        rule = QgsRuleBasedRenderer.Rule(symbol, 0, 0, expression, label)
        if min_scale or max_scale:
            rule.setMinimumScale(min_scale)
            rule.setMaximumScale(max_scale)
        root.appendChild(rule)
    return QgsRuleBasedRenderer(root)


def images_renderer() -> QgsRuleBasedRenderer:
    return _rules([
        ("Image (direction)", NOT_PANO, arrow(GREEN, 3.4), ARROW_SCALE, 0),
        ("Image", NOT_PANO, dot(GREEN, 1.6), 0, ARROW_SCALE),
        ("Panorama", PANO, dot(PANO_BLUE, 2.2), 0, 0),
    ])


def sequences_renderer() -> QgsRuleBasedRenderer:
    return _rules([
        ("Sequence", NOT_PANO, line(GREEN), 0, 0),
        ("Panorama sequence", PANO, line(PANO_BLUE), 0, 0),
    ])


def features_renderer() -> QgsRuleBasedRenderer:
    rows = [(label, feature_filter(prefix), dot(colour, 2.6), 0, 0) for label, prefix, colour in FEATURE_CLASSES]
    others = " AND ".join(f"NOT ({feature_filter(prefix)})" for _, prefix, _ in FEATURE_CLASSES)
    rows.append(("Other", others, dot(OTHER_FEATURE_COLOUR, 2.6), 0, 0))
    return _rules(rows)
