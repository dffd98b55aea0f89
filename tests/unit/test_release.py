"""One version, in metadata.txt: __about__ reads it, CHANGELOG.md and metadata's changelog agree with it."""

import configparser
import re

from mapillary_qgis import __about__
from tests.qgis_profile import REPO


def metadata() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str
    parser.read(REPO / "metadata.txt", encoding="utf-8")
    return parser["general"]


def changelog_versions() -> list[str]:
    text = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    return re.findall(r"^## \[(\d+\.\d+\.\d+)\]", text, flags=re.MULTILINE)


def test_about_reads_the_version_from_metadata():
    assert __about__.__version__ == metadata()["version"]
    assert __about__.USER_AGENT.endswith(metadata()["version"])


def test_newest_changelog_entry_is_the_metadata_version():
    versions = changelog_versions()
    assert versions, "CHANGELOG.md has no '## [x.y.z]' entry"
    assert versions[0] == metadata()["version"]


def test_metadata_changelog_starts_with_that_version():
    assert metadata()["changelog"].startswith(f"{metadata()['version']}:")


def test_the_version_is_written_nowhere_else_in_the_code():
    version = metadata()["version"]
    for path in (REPO / "mapillary_qgis").rglob("*.py"):
        assert f'"{version}"' not in path.read_text(encoding="utf-8"), path
