"""`qgis.gui` stand-in: the widgets the dock is made of are their Qt base classes; the rest stand-ins."""

from __future__ import annotations

from qgis.PyQt.QtWidgets import QDockWidget, QLineEdit

from ._stand_in import stand_in


class QgsDockWidget(QDockWidget):
    pass


class QgsPasswordLineEdit(QLineEdit):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setEchoMode(QLineEdit.EchoMode.Password)

    def setShowLockIcon(self, visible: bool) -> None:  # noqa: N802 (QGIS API)
        pass


def __getattr__(name: str) -> type:
    if name.startswith("__"):
        raise AttributeError(name)
    return stand_in(name)
