"""The pure-Python core: no QGIS imports here (ruff TID251 checks it)."""
