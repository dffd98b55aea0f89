"""Work off the GUI thread with QGIS's task manager.

`run()` runs in a worker thread: it never touches widgets or the project and
never raises; the result or the error is kept and handed to `on_done` in
`finished()`, which QGIS calls on the main thread.
"""

from __future__ import annotations

import logging
import threading
from typing import Callable

from qgis.core import QgsApplication, QgsTask

from ..errors import MapillaryError

LOGGER = logging.getLogger(__name__)


class CallableTask(QgsTask):
    """Runs `function(task)` in the background; `on_done(result, error)` afterwards.

    `cancel_event` is set when the task is cancelled: long work passes it on
    (the tile source stops within a second) so cancelling really stops it.
    """

    def __init__(self, description: str, function: Callable[[CallableTask], object], on_done: Callable, flags=None):
        super().__init__(description, flags if flags is not None else QgsTask.Flag.CanCancel)
        self._function = function
        self._on_done = on_done
        self.cancel_event = threading.Event()
        self.result = None
        self.error: Exception | None = None

    def cancel(self) -> None:
        self.cancel_event.set()
        try:
            super().cancel()
        except RuntimeError:  # QGIS already deleted the finished task: nothing to cancel
            pass

    def running(self) -> bool:
        """Whether the task is still queued or running (False once QGIS deleted it)."""
        try:
            return self.status() not in (QgsTask.TaskStatus.Complete, QgsTask.TaskStatus.Terminated)
        except RuntimeError:
            return False

    def report_progress(self, done: int, total: int) -> None:
        """A progress callback for the core (any thread)."""
        self.setProgress(100.0 * done / total if total else 100.0)

    def forget(self) -> None:
        """Cancel, and never call `on_done`: its receiver is going away."""
        self._on_done = lambda *args: None
        self.cancel()

    def run(self) -> bool:
        try:
            self.result = self._function(self)
        except MapillaryError as exc:
            self.error = exc
        except Exception as exc:  # reported in finished(), never raised in a worker
            LOGGER.exception("Unexpected error in %s", self.description())
            self.error = exc
        return self.error is None

    def finished(self, ok: bool) -> None:
        self._on_done(self.result, self.error)


def run_in_background(task: QgsTask) -> QgsTask:
    QgsApplication.taskManager().addTask(task)
    return task
