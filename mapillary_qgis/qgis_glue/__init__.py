"""Thin QGIS glue over the pure core: auth database, network, tasks, logging."""
