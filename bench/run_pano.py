"""One run of the panorama benchmark in a fresh process (used by scripts/bench.py --only pano).

    .venv/bin/python bench/run_pano.py

A 2048 x 1024 JPEG panorama (the fake's synthetic one) in the Image tab's
`PanoramaView`, shown (offscreen Qt), at three sizes: the docked panel
(420 x 300), a wide dock (640 x 400) and a maximised undocked one
(1280 x 720). For each size, the time of a synchronous repaint
(reprojection, compass, painting) after each view change of
- a drag (mouse events; yaw and pitch change every frame: a new lookup table
  each time; a view over 500,000 pixels is drawn at half size while dragged),
- a turn along the horizon (yaw only: the table is reused; full size),
- the view coming to rest: the GUI thread's longest piece of work until
  its smooth (bilinear) frame is on show (a large view's is made in a
  background thread),
over FRAMES frames; and the GUI thread's time to take the picture when it
arrives (JPEG decode, pixel copy, first frame).

Prints one line: RESULT {json}.
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FRAMES = 120
SIZES = ((420, 300), (640, 400), (1280, 720))


def main() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(REPO))
    from qgis.PyQt.QtCore import QEvent, QPoint, QPointF, Qt
    from qgis.PyQt.QtGui import QImage, QMouseEvent
    from qgis.PyQt.QtTest import QTest
    from qgis.PyQt.QtWidgets import QApplication

    from mapillary_qgis.gui.pano_view import MOVING_FULL_PIXELS, PanoramaView
    from tests.fake_mapillary.pictures import jpeg, panorama_rgb

    app = QApplication(sys.argv[:1])
    data = jpeg(panorama_rgb(2048, 123.0))
    view = PanoramaView()
    result = {"frames": FRAMES, "sizes": {}}
    view.resize(*SIZES[0])
    view.show()
    app.processEvents()
    arrive = []
    for i in range(5):
        started = time.perf_counter()
        picture = QImage.fromData(data)
        view.set_picture(str(i), picture, 123.0)
        view.repaint()
        arrive.append((time.perf_counter() - started) * 1000)
    result["picture_arrives_ms"] = statistics.median(arrive)
    for width, height in SIZES:
        view.resize(width, height)
        app.processEvents()
        timings = {}
        for kind in ("drag", "turn", "still"):
            frames = []
            start = QPoint(width // 2, height // 2)
            if kind == "drag":
                QTest.mousePress(view, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
            for i in range(FRAMES):
                started = time.perf_counter()
                if kind == "drag":  # the mouse wanders left and up and down: yaw and pitch change each frame
                    where = QPointF(start.x() - 3 * i % width, start.y() + (i % 40 - 20) * 2)
                    QApplication.sendEvent(view, QMouseEvent(
                        QEvent.Type.MouseMove, where, Qt.MouseButton.NoButton, Qt.MouseButton.LeftButton,
                        Qt.KeyboardModifier.NoModifier))
                elif kind == "turn":
                    view.set_view(yaw=view.yaw + 1.3)
                else:  # the view came to rest: the GUI thread's longest piece of work until it is smooth
                    view.set_view(yaw=view.yaw + 1.3)
                    view.repaint()
                    started = time.perf_counter()
                    view._settled()  # the settle timer's work (a large view's smooth frame: in the background)
                    view.repaint()
                    longest = time.perf_counter() - started
                    large = view.width() * view.height() > MOVING_FULL_PIXELS
                    while large and view._smooth_frame(width, height) is None:
                        piece = time.perf_counter()
                        app.processEvents()  # what arrives from the background, and its painting
                        longest = max(longest, time.perf_counter() - piece)
                        time.sleep(0.0005)
                    piece = time.perf_counter()
                    app.processEvents()
                    frames.append(max(longest, time.perf_counter() - piece) * 1000)
                    continue
                view.repaint()
                frames.append((time.perf_counter() - started) * 1000)
            if kind == "drag":
                QTest.mouseRelease(view, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
            frames.sort()
            timings[kind] = {"median_ms": statistics.median(frames), "p95_ms": frames[int(0.95 * len(frames)) - 1],
                             "max_ms": frames[-1]}
        result["sizes"][f"{width}x{height}"] = timings
    view.close()
    print("RESULT " + json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
