"""Wiring: what QGIS sees of the plugin (`initGui`, `unload`)."""

from __future__ import annotations

import logging
from pathlib import Path

from qgis.core import Qgis, QgsApplication, QgsProject
from qgis.PyQt.QtCore import QCoreApplication, Qt
from qgis.PyQt.QtGui import QIcon
from qgis.PyQt.QtWidgets import QAction, QPushButton

from .__about__ import __version__
from .client import Client
from .core.tile_cache import TileCache
from .core.tile_server import LocalTileServer
from .core.tile_source import TileSource
from .core.token import TokenState
from .gui.dock import MapillaryDock
from .gui.layers_tab import LayersTab
from .paths import resource
from .qgis_glue import log
from .qgis_glue.coverage import repoint
from .qgis_glue.live_layers import LiveLayers
from .qgis_glue.network import qgis_proxies
from .qgis_glue.notices import Notices
from .qgis_glue.token_store import TokenStore

LOGGER = logging.getLogger(__name__)

MENU = "&Mapillary"
TOOLBAR_NAME = "MapillaryToolbar"
ACTION_NAME = "MapillaryShowDock"


def tile_cache_dir() -> Path:
    """Tiles are cached in the QGIS profile, next to QGIS's own caches."""
    return Path(QgsApplication.qgisSettingsDirPath()) / "cache" / "mapillary_qgis" / "tiles"


class MapillaryPlugin:
    """Created by `classFactory`; owns every action, dock and hook it adds."""

    def __init__(self, iface):
        self.iface = iface
        self.toolbar = None
        self.action = None
        self.dock: MapillaryDock | None = None
        self.token_store: TokenStore | None = None
        self.tile_source: TileSource | None = None
        self.tile_server: LocalTileServer | None = None
        self.live_layers: LiveLayers | None = None
        self.layers_tab: LayersTab | None = None
        self.tile_cache: TileCache | None = None
        self.notices: Notices | None = None
        self._locked_bar_shown = False

    @staticmethod
    def tr(text: str) -> str:
        return QCoreApplication.translate("MapillaryPlugin", text)

    def initGui(self) -> None:  # noqa: N802 (QGIS API)
        log.install()
        Client.set_proxy_resolver(qgis_proxies)
        self.token_store = TokenStore()
        self.token_store.load()  # never prompts for the master password
        self.tile_cache = TileCache(tile_cache_dir())
        self.tile_source = TileSource(Client(), self.tile_cache)
        self.notices = Notices()
        self.token_store.changed.connect(self.notices.reset)
        Client.set_retry_listener(self.notices.retrying)
        self.tile_server = LocalTileServer(self.tile_source, on_error=self.notices.tile_failed).start()
        # QGIS may end Python at exit without calling unload(): stop the server and the loads first.
        QgsApplication.instance().aboutToQuit.connect(self._before_quit)
        QgsProject.instance().readProject.connect(self._project_read)

        main_window = self.iface.mainWindow()
        self.action = QAction(QIcon(str(resource("icons", "mapillary.svg"))), self.tr("Mapillary"), main_window)
        self.action.setObjectName(ACTION_NAME)
        self.action.setToolTip(self.tr("Mapillary street-level imagery"))
        self.action.setCheckable(True)

        self.toolbar = self.iface.addToolBar(self.tr("Mapillary"))
        self.toolbar.setObjectName(TOOLBAR_NAME)
        self.toolbar.addAction(self.action)
        self.iface.addPluginToWebMenu(MENU, self.action)

        self.dock = MapillaryDock(self.token_store, parent=main_window)
        self.live_layers = LiveLayers(self.iface.mapCanvas(), lambda: self.tile_source, parent=self.dock)
        self.layers_tab = LayersTab(self.live_layers, self.tile_server, self.tile_cache, self.token_store)
        self.dock.add_tab(self.layers_tab, self.tr("Layers"))
        self.notices.notice.connect(self.layers_tab.show_status)
        self.iface.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        self.dock.hide()
        self.dock.setToggleVisibilityAction(self.action)  # the button and menu entry show/hide it
        if self.token_store.state == TokenState.LOCKED:
            self._offer_unlock()
        LOGGER.info("Mapillary plugin %s loaded", __version__)

    def _offer_unlock(self) -> None:
        """Tell once that the token is locked; unlocking is the user's choice."""
        if self._locked_bar_shown:
            return
        self._locked_bar_shown = True
        bar = self.iface.messageBar()
        item = bar.createMessage(
            self.tr("Mapillary"),
            self.tr("Your Mapillary token is locked in the QGIS authentication database."),
        )
        button = QPushButton(self.tr("Unlock Mapillary token"))
        button.setObjectName("MapillaryUnlockButton")
        button.clicked.connect(lambda: self.dock and self.dock.unlock())
        button.clicked.connect(lambda: bar.popWidget(item))
        item.layout().addWidget(button)
        bar.pushWidget(item, Qgis.MessageLevel.Warning, 0)

    def _project_read(self, *args) -> None:
        if self.tile_server is not None:
            repoint(QgsProject.instance(), self.tile_server)

    def _before_quit(self) -> None:
        if self.live_layers is not None:
            self.live_layers.shutdown()
        if self.tile_server is not None:
            self.tile_server.stop()
            self.tile_server = None

    def unload(self) -> None:
        for signal, slot in ((QgsApplication.instance().aboutToQuit, self._before_quit),
                             (QgsProject.instance().readProject, self._project_read)):
            try:
                signal.disconnect(slot)
            except TypeError:
                pass
        if self.live_layers is not None:
            self.live_layers.shutdown()
            self.live_layers = None
        if self.layers_tab is not None:
            self.layers_tab.shutdown()
            self.layers_tab = None
        if self.tile_server is not None:
            self.tile_server.stop()
            self.tile_server = None
        if self.dock is not None:
            self.dock.cancel_work()
            self.iface.removeDockWidget(self.dock)
            self.dock.deleteLater()
            self.dock = None
        if self.action is not None:
            self.iface.removePluginWebMenu(MENU, self.action)
            self.action.deleteLater()
            self.action = None
        if self.toolbar is not None:
            self.iface.mainWindow().removeToolBar(self.toolbar)
            self.toolbar.deleteLater()
            self.toolbar = None
        self.token_store = None
        Client.set_proxy_resolver(None)
        Client.set_retry_listener(None)
        Client.set_token(None)
        log.uninstall()
