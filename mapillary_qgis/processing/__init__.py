"""Processing algorithms (`mapillary:images`, …) on the plugin's tile pipeline and filters."""
