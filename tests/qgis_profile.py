"""A fresh QGIS profile and authentication database for each test run.

Loaded with `-p tests.qgis_profile` (see pyproject.toml) so that it runs
before pytest-qgis creates the QgsApplication: QGIS reads
`QGIS_AUTH_DB_DIR_PATH` once, at start-up. pytest-qgis keeps its settings in
`<repo>/.qgis-settings`; that folder is wiped here so no run sees another's.
"""

import os
import shutil
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RUN_DIR = Path(tempfile.mkdtemp(prefix="mapillary-qgis-tests-"))
AUTH_DB_DIR = RUN_DIR / "auth"
AUTH_DB_DIR.mkdir()

shutil.rmtree(REPO / ".qgis-settings", ignore_errors=True)
os.environ["QGIS_AUTH_DB_DIR_PATH"] = str(AUTH_DB_DIR)
# Tests never inherit a developer's real token or API hosts.
for name in ("MAPILLARY_ACCESS_TOKEN", "MAPILLARY_GRAPH_URL", "MAPILLARY_TILES_URL"):
    os.environ.pop(name, None)


def pytest_unconfigure(config):
    shutil.rmtree(RUN_DIR, ignore_errors=True)
