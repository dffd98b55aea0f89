"""`make run`: QGIS desktop with the plugin, in a throwaway profile under build/run/.

Without MAPILLARY_ACCESS_TOKEN it starts the project's fake Mapillary with
demo data and points the plugin at it, so a newcomer sees the plugin work
with no account. With no display it runs under Xvfb, lets
`scripts/run_in_qgis.py` drive QGIS (screenshot, saved project), and exits
with its verdict.
"""

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RUN_DIR = REPO / "build" / "run"
STAGED_PLUGIN = REPO / "build" / "mapillary_qgis"

QGIS_INI = """[PythonPlugins]
mapillary_qgis=true

[qgis]
checkVersion=false
showTips=false
"""


def make_profile() -> Path:
    profiles = RUN_DIR / "profiles"  # QGIS keeps each profile in <profiles-path>/profiles/<name>
    profile = profiles / "profiles" / "default"
    plugins = profile / "python" / "plugins"
    plugins.mkdir(parents=True)
    shutil.copytree(STAGED_PLUGIN, plugins / "mapillary_qgis")
    (profile / "QGIS").mkdir()
    (profile / "QGIS" / "QGIS3.ini").write_text(QGIS_INI, encoding="utf-8")
    return profiles


def start_fake() -> tuple[subprocess.Popen, dict]:
    ready = RUN_DIR / "fake.json"
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.fake_mapillary", "--ready-file", str(ready)],
        cwd=REPO, stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while not ready.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            sys.exit("The fake Mapillary did not start.")
        time.sleep(0.1)
    return process, json.loads(ready.read_text(encoding="utf-8"))


def main() -> int:
    if not STAGED_PLUGIN.is_dir():
        sys.exit("Run `make package` first: build/mapillary_qgis is missing.")
    shutil.rmtree(RUN_DIR, ignore_errors=True)
    RUN_DIR.mkdir(parents=True)
    profiles = make_profile()

    env = dict(os.environ, MAPILLARY_RUN_DIR=str(RUN_DIR))
    fake = None
    if not env.get("MAPILLARY_ACCESS_TOKEN"):
        fake, urls = start_fake()
        env.update(
            MAPILLARY_GRAPH_URL=urls["graph_url"],
            MAPILLARY_TILES_URL=urls["tiles_url"],
            MAPILLARY_RUN_DEMO_TOKEN=urls["token"],
        )
        print(f"Fake Mapillary: graph {urls['graph_url']}, tiles {urls['tiles_url']}")

    command = [
        "qgis", "--profiles-path", str(profiles), "--profile", "default",
        "--nologo", "--noversioncheck", "--code", str(REPO / "scripts" / "run_in_qgis.py"),
    ]
    headless = not env.get("DISPLAY")
    # QGIS desktop needs a real window system: under "offscreen" (often set for tests) it aborts in
    # QgsClipboard::hasFormat. It gets the display it is given, or Xvfb's.
    if env.get("QT_QPA_PLATFORM", "xcb") != "xcb":
        print(f"QT_QPA_PLATFORM={env['QT_QPA_PLATFORM']} is not for QGIS desktop: using xcb.")
    env["QT_QPA_PLATFORM"] = "xcb"
    if headless:
        env["MAPILLARY_RUN_AUTOQUIT"] = "1"
        command = ["xvfb-run", "-a", "-s", "-screen 0 1600x1000x24"] + command
    try:
        qgis = subprocess.run(command, env=env, cwd=RUN_DIR, timeout=600, check=False)
    finally:
        if fake is not None:
            fake.terminate()
            fake.wait(timeout=10)

    result_file = RUN_DIR / "result.json"
    if not result_file.exists():
        print("QGIS ended without a result (see the output above).")
        return 0 if not headless else 1
    result = json.loads(result_file.read_text(encoding="utf-8"))
    result["qgis_exit_code"] = qgis.returncode  # a crash on the way out counts as a failure
    print(json.dumps(result, indent=2))
    return 0 if result.get("ok") and qgis.returncode == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
