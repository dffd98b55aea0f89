"""The release zip: structure, metadata, and QGIS loading the unpacked plugin."""

import configparser
import subprocess
import sys
import zipfile

import pytest

from mapillary_qgis.__about__ import __version__
from tests.qgis_profile import REPO

from .test_token_store import run_child

REQUIRED_KEYS = {  # what the QGIS plugin repository requires
    "name", "qgisMinimumVersion", "description", "about", "version", "author", "email", "repository",
}
RECOMMENDED_KEYS = {  # what it recommends, and what we promise (Processing, Qt6)
    "tracker", "homepage", "tags", "category", "icon", "changelog", "experimental", "qgisMaximumVersion",
    "hasProcessingProvider", "supportsQt6",
}


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    build = tmp_path_factory.mktemp("build")
    done = subprocess.run(
        [sys.executable, "scripts/package.py", str(build)], cwd=REPO, capture_output=True, text=True, check=True
    )
    archive = done.stdout.strip().splitlines()[-1]
    return zipfile.ZipFile(archive)


def test_zip_is_named_by_the_version(release):
    assert release.filename.endswith(f"mapillary_qgis-{__version__}.zip")


def test_one_top_folder_with_code_metadata_and_resources(release):
    names = release.namelist()
    assert {n.split("/")[0] for n in names} == {"mapillary_qgis"}
    required_files = ["__init__.py", "metadata.txt", "plugin.py", "client.py", "LICENSE", "CHANGELOG.md"]
    required_files += ["resources/icons/mapillary.svg", "i18n/mapillary_qgis_de.qm"]
    for required in required_files:
        assert f"mapillary_qgis/{required}" in names


def test_no_tests_caches_or_sources_of_translations_inside(release):
    for name in release.namelist():
        assert "__pycache__" not in name and not name.endswith((".pyc", ".pyo"))
        assert "/tests/" not in name and "fake_mapillary" not in name and "/test_" not in name
        assert not any(cache in name for cache in (".qgis-settings", ".venv", ".pytest_cache", ".ruff_cache", ".git"))
        assert not name.endswith(".ts")  # translations ship compiled (.qm) only


def test_metadata_is_complete(release):
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str
    parser.read_string(release.read("mapillary_qgis/metadata.txt").decode("utf-8"))
    general = parser["general"]
    assert REQUIRED_KEYS | RECOMMENDED_KEYS <= set(general)
    assert all(general[key].strip() for key in REQUIRED_KEYS | RECOMMENDED_KEYS)
    assert general["version"] == __version__
    assert general["changelog"].startswith(f"{__version__}:")
    assert general["supportsQt6"] == "True" and general["experimental"] in ("True", "False")
    assert general["category"] == "Web" and general["qgisMinimumVersion"] == "3.22"
    assert f"mapillary_qgis/{general['icon']}" in release.namelist()


def test_qgis_loads_the_unpacked_plugin_in_the_users_language(release, tmp_path):
    plugins = tmp_path / "plugins"
    release.extractall(plugins)
    result = run_child("plugin", env={"MAPILLARY_TEST_PLUGINS_DIR": str(plugins), "MAPILLARY_TEST_LOCALE": "de_DE"})
    assert result["plugin_file"].startswith(str(plugins))
    assert result["icon_path"].startswith(str(plugins))  # resources found inside the installed folder
    assert result["icon_renders"] is True
    assert result["web_menu"] == ["&Mapillary"]
    assert result["state"] == "none"
    assert result["identify_text"] == "Mapillary-Abfrage"  # the shipped .qm, found for de_DE
    assert result["identify_text_after_unload"] == "Mapillary identify"  # unload removed the translator
