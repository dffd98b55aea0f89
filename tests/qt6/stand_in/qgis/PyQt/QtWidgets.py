# QGIS's Qt6 shim keeps these importable from QtWidgets, where QGIS 3 (Qt5) has them.
from PyQt6.QtGui import QAction, QActionGroup, QFileSystemModel, QShortcut, QUndoCommand  # noqa: F401
from PyQt6.QtWidgets import *  # noqa: F403
