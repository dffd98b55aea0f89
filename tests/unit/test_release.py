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


def registry_accepts(minimum: str, maximum: str, qgis_version: str) -> bool:
    """QgsPluginRegistry::checkQgisVersion (src/app/qgspluginregistry.cpp), in Python.

    Each version becomes "MMmmbb" (two zero-padded digits a part; a maximum
    without its third part ends in 99, a missing maximum is the minimum's
    major with minor 99) and the strings are compared: a plugin runs where
    minimum <= QGIS <= maximum, whatever its supportsQt6 says.
    """
    def parts(version: str) -> list[int] | None:
        pieces = version.split(".")
        if len(pieces) not in (2, 3) or not all(piece.isdigit() for piece in pieces):
            return None
        return [int(piece) for piece in pieces]

    low = parts(minimum)
    if low is None:
        return False
    if not maximum or maximum == "__error__":
        high = [low[0], 99, 99]
    else:
        high = parts(maximum)
        if high is None:
            return False
        high += [99] * (3 - len(high))
    low += [0] * (3 - len(low))
    current = [int(piece) for piece in qgis_version.split("-")[0].split(".")]

    def text(numbers: list[int]) -> str:
        return "".join(f"{n:02d}" for n in numbers)

    return text(low) <= text(current) <= text(high)


def test_the_registry_rule_as_qgis_applies_it():
    assert registry_accepts("3.22", "3.99", "3.44.15-Solothurn")
    assert not registry_accepts("3.22", "3.99", "4.0.0-Norrköping")  # the bug this test guards against
    assert not registry_accepts("3.22", "", "4.0.0")  # no maximum: the minimum's major only
    assert not registry_accepts("3.28", "4.99", "3.22.16")
    assert not registry_accepts("3.x", "4.99", "3.22.16")


def test_qgis_3_22_to_4_accept_the_plugin():
    minimum, maximum = metadata()["qgisMinimumVersion"], metadata()["qgisMaximumVersion"]
    for version in ("3.22.16-Białowieża", "3.40.6-Bratislava", "3.44.15-Solothurn", "4.0.0-Norrköping", "4.2.0"):
        assert registry_accepts(minimum, maximum, version), (minimum, maximum, version)
    assert not registry_accepts(minimum, maximum, "3.20.3-Odense")
    assert metadata()["supportsQt6"] == "True"
