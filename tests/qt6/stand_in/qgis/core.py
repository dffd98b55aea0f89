"""`qgis.core` stand-in: the version, settings and the task manager are real enough to use; every other
name is a stand-in class (see _stand_in.py)."""

from __future__ import annotations

from qgis.PyQt.QtCore import QSettings

from ._stand_in import StandIn, stand_in


class Qgis(StandIn):
    QGIS_VERSION = "4.0.0-Norrköping"
    QGIS_VERSION_INT = 40000


class QgsSettings(QSettings):
    """QSettings in the stand-in's own file (QSETTINGS path set by the check)."""


class QgsTask(StandIn):
    """Enough of a task for qgis_glue/tasks.py: `run()` then `finished()`, both now (see QgsTaskManager)."""

    Flag = stand_in("QgsTask.Flag")
    TaskStatus = stand_in("QgsTask.TaskStatus")

    def __init__(self, description: str = "", flags=None):
        super().__init__()
        self._description = description

    def description(self) -> str:
        return self._description

    def setProgress(self, progress: float) -> None:  # noqa: N802 (QGIS API)
        self.progress_value = progress

    def cancel(self) -> None:
        pass

    def status(self):
        return QgsTask.TaskStatus.Complete


class QgsTaskManager(StandIn):
    """Runs a task at once, on the calling thread: a check, not a scheduler."""

    def addTask(self, task: QgsTask) -> int:  # noqa: N802 (QGIS API)
        task.finished(task.run())
        return 1


class QgsApplication(StandIn):
    _tasks = None

    @classmethod
    def taskManager(cls) -> QgsTaskManager:  # noqa: N802 (QGIS API)
        if cls._tasks is None:
            cls._tasks = QgsTaskManager()
        return cls._tasks


def __getattr__(name: str) -> type:
    if name.startswith("__"):
        raise AttributeError(name)
    return stand_in(name)
