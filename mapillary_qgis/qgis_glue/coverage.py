"""Coverage layers: QGIS vector-tile layers straight from Mapillary's tiles.

For browsing at every zoom. Their URIs hold no token (`request_hook` adds it
at request time). Their attributes are not to be trusted for ids and dates on
QGIS 3.22 and 3.40, whose decoder truncates 64-bit integers: the exact layers
and identify never read them.
"""

from __future__ import annotations

from dataclasses import dataclass

from qgis.core import QgsDataSourceUri, QgsProject, QgsVectorTileLayer

from ..client import tiles_base
from ..core.tilesets import xyz_template
from . import styles

ATTRIBUTION = "© Mapillary, CC BY-SA"
GROUP_NAME = "Mapillary"
LAYER_KEY_PROPERTY = "mapillary_qgis/layer"


@dataclass(frozen=True)
class CoverageSpec:
    key: str
    name: str
    tileset: str
    zmin: int
    renderer: object  # a function building the QgsVectorTileBasicRenderer


COVERAGE = {
    spec.key: spec
    for spec in (
        CoverageSpec("coverage", "Mapillary coverage", "mly1_public", 0, styles.coverage_renderer),
        CoverageSpec(
            "computed", "Mapillary coverage (computed positions)", "mly1_computed_public", 0,
            styles.coverage_renderer,
        ),
        CoverageSpec(
            "points", "Mapillary map features", "mly_map_feature_point", 14,
            lambda: styles.map_feature_renderer("point"),
        ),
        CoverageSpec(
            "signs", "Mapillary traffic signs", "mly_map_feature_traffic_sign", 14,
            lambda: styles.map_feature_renderer("traffic_sign"),
        ),
    )
}


def coverage_uri(tileset: str, zmin: int) -> str:
    uri = QgsDataSourceUri()
    uri.setParam("type", "xyz")
    uri.setParam("url", xyz_template(tiles_base(), tileset))
    uri.setParam("zmin", str(zmin))
    uri.setParam("zmax", "14")  # no tiles above 14: QGIS over-zooms
    return bytes(uri.encodedUri()).decode()


def coverage_layer(key: str) -> QgsVectorTileLayer:
    spec = COVERAGE[key]
    layer = QgsVectorTileLayer(coverage_uri(spec.tileset, spec.zmin), spec.name)
    layer.setRenderer(spec.renderer())
    layer.setAttribution(ATTRIBUTION)
    layer.setAttributionUrl("https://www.mapillary.com")
    layer.setCustomProperty(LAYER_KEY_PROPERTY, key)
    return layer


def mapillary_group(project: QgsProject):
    """The "Mapillary" group at the top of the layer tree, made when missing."""
    root = project.layerTreeRoot()
    group = root.findGroup(GROUP_NAME)
    return group if group is not None else root.insertGroup(0, GROUP_NAME)


def add_to_project(layer, project: QgsProject | None = None) -> None:
    project = project or QgsProject.instance()
    project.addMapLayer(layer, False)
    mapillary_group(project).addLayer(layer)


def find_layers(key: str, project: QgsProject | None = None) -> list:
    project = project or QgsProject.instance()
    return [layer for layer in project.mapLayers().values() if layer.customProperty(LAYER_KEY_PROPERTY) == key]
