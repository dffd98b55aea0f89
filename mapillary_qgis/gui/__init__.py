"""Widgets: the Mapillary dock and what later grows in it."""
