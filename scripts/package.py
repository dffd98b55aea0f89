"""Stage the plugin folder and zip it: `build/mapillary_qgis/` -> `dist/mapillary_qgis-<version>.zip`.

The zip has one top folder, `mapillary_qgis/`, holding the code, `metadata.txt`,
`LICENSE`, `CHANGELOG.md` and `resources/`: what QGIS's "Install from ZIP" expects.
Translations ship compiled only: each `i18n/*.ts` becomes `i18n/*.qm` (lrelease).
No tests, no caches, no `.ts` sources.
"""

import configparser
import shutil
import sys
import zipfile
from pathlib import Path

from translations import release, ts_files  # scripts/translations.py

REPO = Path(__file__).resolve().parent.parent
PACKAGE = "mapillary_qgis"
IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", "*.pyo", ".*", "*.ts", "*.qm")


def version() -> str:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(REPO / "metadata.txt", encoding="utf-8")
    return parser["general"]["version"]


def stage(build: Path) -> Path:
    target = build / PACKAGE
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(REPO / PACKAGE, target, ignore=IGNORE)
    shutil.copytree(REPO / "resources", target / "resources", ignore=IGNORE)
    for name in ("metadata.txt", "LICENSE", "README.md", "CHANGELOG.md"):
        if (REPO / name).exists():
            shutil.copy2(REPO / name, target / name)
    if ts_files():
        release(target / "i18n")
    return target


def make_zip(staged: Path, dist: Path) -> Path:
    dist.mkdir(parents=True, exist_ok=True)
    archive = dist / f"{PACKAGE}-{version()}.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(staged.rglob("*")):
            zf.write(path, path.relative_to(staged.parent).as_posix())
    return archive


if __name__ == "__main__":
    build = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "build"
    staged = stage(build)
    print(make_zip(staged, REPO / "dist"))
