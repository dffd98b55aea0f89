"""A QGIS interface for tests, built from real Qt parts.

pytest-qgis's stub answers unknown calls with MagicMocks, which would hide a
missing removal in `unload()`. This one keeps a real main window, a real
"Web" menu and a real message bar, so a test can see what was left behind.
"""

from qgis.gui import QgsMessageBar
from qgis.PyQt.QtWidgets import QMainWindow, QMenu, QToolBar


class RecordingIface:
    def __init__(self, canvas):
        self._main = QMainWindow()
        self._main.setObjectName("TestMainWindow")
        self._canvas = canvas
        self._bar = QgsMessageBar(self._main)
        self.web_menu = QMenu("&Web", self._main)
        self._submenus: dict[str, QMenu] = {}
        self.options_factories = []  # Settings > Options pages

    def mainWindow(self):  # noqa: N802
        return self._main

    def mapCanvas(self):  # noqa: N802
        return self._canvas

    def messageBar(self):  # noqa: N802
        return self._bar

    def addToolBar(self, name):  # noqa: N802
        toolbar = QToolBar(name, self._main)
        self._main.addToolBar(toolbar)
        return toolbar

    def addDockWidget(self, area, dock):  # noqa: N802
        self._main.addDockWidget(area, dock)

    def removeDockWidget(self, dock):  # noqa: N802
        self._main.removeDockWidget(dock)

    def addPluginToWebMenu(self, name, action):  # noqa: N802
        menu = self._submenus.get(name)
        if menu is None:
            menu = self._submenus[name] = self.web_menu.addMenu(name)
        menu.addAction(action)

    def removePluginWebMenu(self, name, action):  # noqa: N802
        menu = self._submenus.get(name)
        if menu is None:
            return
        menu.removeAction(action)
        if not menu.actions():
            self.web_menu.removeAction(menu.menuAction())
            del self._submenus[name]

    def registerOptionsWidgetFactory(self, factory):  # noqa: N802
        self.options_factories.append(factory)

    def unregisterOptionsWidgetFactory(self, factory):  # noqa: N802
        self.options_factories.remove(factory)

    def web_menu_titles(self):
        return [a.text() for a in self.web_menu.actions()]
