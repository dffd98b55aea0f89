"""Plugin metadata with one source: `metadata.txt`."""

from configparser import ConfigParser

from .paths import metadata_path


def _read_metadata() -> dict:
    parser = ConfigParser(interpolation=None)
    parser.optionxform = str  # keep the camelCase keys QGIS uses
    parser.read(metadata_path(), encoding="utf-8")
    return dict(parser["general"])


METADATA = _read_metadata()
__title__ = METADATA["name"]
__version__ = METADATA["version"]
USER_AGENT = f"mapillary_qgis/{__version__}"
