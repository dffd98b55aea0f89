"""Shared test configuration: report header, the fake Mapillary, fixture paths."""

import os
import platform
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(os.environ.get("MAPILLARY_FIXTURES_DIR", REPO.parent / "shared" / "fixtures" / "mapillary"))


def pytest_report_header(config):
    lines = [f"Python {platform.python_version()}"]
    try:
        from qgis.core import Qgis
        from qgis.PyQt.QtCore import QT_VERSION_STR

        lines.append(f"QGIS {Qgis.QGIS_VERSION}, Qt {QT_VERSION_STR}")
    except ImportError:
        lines.append("QGIS not importable")
    try:
        from osgeo import gdal

        lines.append(f"GDAL {gdal.__version__}")
    except ImportError:
        lines.append("GDAL not importable")
    lines.append(f"real fixtures: {FIXTURES if FIXTURES.is_dir() else 'absent (those tests skip)'}")
    return lines


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    """The real Mapillary captures in ../shared/fixtures; skips when absent."""
    if not FIXTURES.is_dir():
        pytest.skip(f"real Mapillary fixtures not found at {FIXTURES}")
    return FIXTURES


@pytest.fixture
def fake():
    """A running fake Mapillary (graph and tiles servers on 127.0.0.1)."""
    from tests.fake_mapillary import FakeMapillary

    server = FakeMapillary()
    server.start()
    try:
        yield server
    finally:
        server.stop()
