"""`qgis.PyQt` on QGIS 4: PyQt6, module by module."""
