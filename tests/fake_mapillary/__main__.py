"""Run the fake with the demo dataset until SIGTERM or SIGINT.

``python -m tests.fake_mapillary [--graph-port N] [--tiles-port N] [--ready-file PATH]``
prints ``{"graph_url", "tiles_url", "token"}`` as one JSON line once it is serving.
"""

import argparse
import json
import os
import signal
import sys
import tempfile
import threading
from pathlib import Path

from .server import FakeMapillary


def _write_atomically(path: Path, text: str) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        stream.write(text)
    os.replace(temporary, path)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.fake_mapillary", description=__doc__.splitlines()[0])
    parser.add_argument("--graph-port", type=int, default=0)
    parser.add_argument("--tiles-port", type=int, default=0)
    parser.add_argument("--ready-file", type=Path, help="also write the JSON line to this file, atomically")
    args = parser.parse_args(argv)

    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    with FakeMapillary(graph_port=args.graph_port, tiles_port=args.tiles_port) as fake:
        ready = json.dumps({"graph_url": fake.graph_url, "tiles_url": fake.tiles_url, "token": fake.token})
        if args.ready_file:
            _write_atomically(args.ready_file, ready + "\n")
        print(ready, flush=True)
        while not stop.wait(0.5):
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
