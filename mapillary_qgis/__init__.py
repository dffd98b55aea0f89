"""Mapillary for QGIS: street-level imagery as QGIS layers.

QGIS calls `classFactory` to create the plugin.
"""


def classFactory(iface):  # noqa: N802 (name required by QGIS)
    from .plugin import MapillaryPlugin

    return MapillaryPlugin(iface)
