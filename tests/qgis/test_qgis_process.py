"""`qgis_process` runs mapillary:images headless, end to end, and writes exact images to a GeoPackage."""

import json
import os
import shutil
import subprocess
import sys

import pytest
from osgeo import ogr

from tests.fake_mapillary.dataset import DEMO_BBOX
from tests.qgis_profile import REPO

# Debian's /usr/bin/qgis_process wrapper adds --noversioncheck from /etc/default/qgis, which
# qgis_process rejects; the binary itself is what users on Debian should call.
QGIS_PROCESS = shutil.which("qgis_process.bin") or shutil.which("qgis_process")


def clean_env(home, **extra):
    """The test run's environment, without what points QGIS at pytest-qgis's own profile."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("QGIS_")}
    return dict(env, HOME=str(home), QT_QPA_PLATFORM="offscreen", **extra)


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    """A HOME whose default QGIS profile has the packaged plugin installed and enabled."""
    home = tmp_path_factory.mktemp("home")
    build = tmp_path_factory.mktemp("build")
    subprocess.run([sys.executable, "scripts/package.py", str(build)], cwd=REPO, check=True, capture_output=True)
    plugins = home / ".local" / "share" / "QGIS" / "QGIS3" / "profiles" / "default" / "python" / "plugins"
    plugins.mkdir(parents=True)
    shutil.copytree(build / "mapillary_qgis", plugins / "mapillary_qgis")
    done = subprocess.run([QGIS_PROCESS, "plugins", "enable", "mapillary_qgis"], env=clean_env(home),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return home


@pytest.mark.skipif(QGIS_PROCESS is None, reason="qgis_process is not installed")
def test_qgis_process_writes_exact_images(home, fake, tmp_path):
    west, south, east, north = DEMO_BBOX
    output = tmp_path / "images.gpkg"
    env = clean_env(home, MAPILLARY_ACCESS_TOKEN=fake.token, MAPILLARY_GRAPH_URL=fake.graph_url,
                    MAPILLARY_TILES_URL=fake.tiles_url)
    done = subprocess.run(
        [QGIS_PROCESS, "--json", "run", "mapillary:images", "--",
         f"EXTENT={west},{east},{south},{north} [EPSG:4326]", "PANORAMAS=1", f"OUTPUT={output}"],
        env=env, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert fake.token not in done.stdout + done.stderr
    assert "8f3a1c7e" not in json.dumps(json.loads(done.stdout[done.stdout.index("{"):]))

    expected = {i.id for i in fake.dataset.images if i.is_pano
                and west <= i.lon < east and south < i.lat <= north}
    dataset = ogr.Open(str(output))
    found = {feature.GetFieldAsInteger64("id") for feature in dataset.GetLayer(0)}
    assert found == expected and max(found) > 2**31
