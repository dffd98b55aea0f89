"""One timed `images_in_bbox` of mapillary-python-sdk against the fake (used by scripts/bench.py).

    build/bench-venv/bin/python bench/run_sdk.py '{"bbox": {...}, "graph": url, "tiles": url, "token": t}'

Runs in the benchmark's own venv (the SDK from PyPI), never in the project's.
The SDK hard-codes https://graph.mapillary.com and https://tiles.mapillary.com
in many places, so the URL is rewritten where every request of `requests`
passes: `Session.send`. Requests to any other host keep their proxy, which
scripts/bench.py sets to a dead local port, so nothing reaches the internet.
Timed: `images_in_bbox` only (it returns a GeoJSON string; nothing is
written to disk). `set_access_token`, which checks the token with one Graph
request, is not timed. Prints one line: RESULT {json}.
"""

import json
import resource
import sys
import time

import requests

REAL_HOSTS = ("https://graph.mapillary.com", "https://tiles.mapillary.com")


def point_at_fake(graph: str, tiles: str) -> None:
    send = requests.Session.send
    fakes = dict(zip(REAL_HOSTS, (graph, tiles)))

    def send_to_fake(session, request, **kwargs):
        for real, fake in fakes.items():
            if request.url.startswith(real):
                request.url = fake + request.url[len(real):]
                kwargs.pop("proxies", None)  # chosen for the real host; re-resolved for the fake (NO_PROXY)
                break
        return send(session, request, **kwargs)

    requests.Session.send = send_to_fake


def main() -> None:
    config = json.loads(sys.argv[1])
    point_at_fake(config["graph"], config["tiles"])
    import mapillary.interface as mly

    mly.set_access_token(config["token"])

    start = time.perf_counter()
    geojson = mly.images_in_bbox(config["bbox"])
    seconds = time.perf_counter() - start

    features = json.loads(geojson)["features"]
    ids = {f["properties"]["id"] for f in features}
    panos = sum(1 for f in features if f["properties"].get("is_pano"))
    print("RESULT " + json.dumps({
        "seconds": seconds, "features": len(features), "unique_ids": len(ids), "panoramas": panos,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }), flush=True)


if __name__ == "__main__":
    main()
