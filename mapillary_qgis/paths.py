"""Where the plugin's files are, in the repository and once installed.

In the repository `metadata.txt` and `resources/` sit beside the
`mapillary_qgis/` package; `make package` copies both inside the plugin
folder, as QGIS expects. Everything else asks this module.
"""

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def _first_existing(name: str) -> Path:
    for base in (PACKAGE_DIR, PACKAGE_DIR.parent):
        candidate = base / name
        if candidate.exists():
            return candidate
    raise FileNotFoundError(f"{name} not found beside or inside {PACKAGE_DIR}")


def metadata_path() -> Path:
    """The plugin's `metadata.txt`."""
    return _first_existing("metadata.txt")


def resources_dir() -> Path:
    """The plugin's `resources/` folder (icons, styles, .ui files)."""
    return _first_existing("resources")


def i18n_dir() -> Path:
    """The plugin's translations: `.ts` sources in the repository, compiled `.qm` once packaged."""
    return PACKAGE_DIR / "i18n"


def resource(*parts: str) -> Path:
    """A file under `resources/`, e.g. `resource("icons", "mapillary.svg")`."""
    return resources_dir().joinpath(*parts)
