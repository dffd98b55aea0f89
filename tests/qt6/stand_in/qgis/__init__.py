"""A stand-in for QGIS 4's Python package, on PyQt6, for tests/qt6/check_pyqt6.py.

Debian packages no Qt6 QGIS yet, so this checks what can be checked without
one: `qgis.PyQt` is PyQt6 exactly as QGIS 4's shim re-exports it, and
`qgis.core` / `qgis.gui` give just enough for the plugin's modules to import
and its widgets to run (see those modules). Nothing here is a QGIS: the
plugin's QGIS behaviour is tested on real QGIS in tests/qgis.
"""
