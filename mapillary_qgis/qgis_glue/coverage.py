"""Coverage layers: QGIS vector-tile layers of Mapillary's tiles, for browsing at every zoom.

They get their tiles from the plugin's loopback tile server
(`core/tile_server.py`, which says why), so their sources hold no token.
Their attributes are not to be trusted for ids and dates on QGIS 3.22 and
3.40, whose decoder truncates 64-bit integers (`compat.VECTOR_TILE_KEEPS_INT64`):
the exact layers and identify never read them.
"""

from __future__ import annotations

from dataclasses import dataclass

from qgis.core import QgsDataSourceUri, QgsProject, QgsVectorTileLayer

from ..core.tile_server import LocalTileServer
from . import compat, styles

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


def coverage_uri(server: LocalTileServer, key: str) -> str:
    spec = COVERAGE[key]
    uri = QgsDataSourceUri()
    uri.setParam("type", "xyz")
    uri.setParam("url", server.xyz_template(spec.tileset))
    uri.setParam("zmin", str(spec.zmin))
    uri.setParam("zmax", "14")  # no tiles above 14: QGIS over-zooms
    return bytes(uri.encodedUri()).decode()


def coverage_layer(key: str, server: LocalTileServer) -> QgsVectorTileLayer:
    spec = COVERAGE[key]
    layer = QgsVectorTileLayer(coverage_uri(server, key), spec.name)
    layer.setRenderer(spec.renderer())
    compat.set_attribution(layer, ATTRIBUTION, "https://www.mapillary.com")
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


def repoint(project: QgsProject, server: LocalTileServer) -> int:
    """Point the coverage layers of a project saved in another session at this session's server."""
    moved = 0
    for layer in project.mapLayers().values():
        key = layer.customProperty(LAYER_KEY_PROPERTY)
        if key in COVERAGE and server.base_url not in layer.source():
            layer.setDataSource(coverage_uri(server, key), layer.name(), layer.providerType())
            moved += 1
    return moved


def find_layers(key: str, project: QgsProject | None = None) -> list:
    project = project or QgsProject.instance()
    return [layer for layer in project.mapLayers().values() if layer.customProperty(LAYER_KEY_PROPERTY) == key]
