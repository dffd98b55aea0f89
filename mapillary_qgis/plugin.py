"""Wiring: what QGIS sees of the plugin (`initGui`, `unload`)."""

from __future__ import annotations

import logging
from pathlib import Path

from qgis.core import (
    Qgis,
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsCsException,
    QgsPointXY,
    QgsProject,
)
from qgis.gui import QgsGui
from qgis.PyQt.QtCore import QCoreApplication, Qt
from qgis.PyQt.QtGui import QIcon, QImage
from qgis.PyQt.QtWidgets import QAction, QPushButton

from .__about__ import __version__
from .client import Client
from .core.creators import CreatorDirectory
from .core.filters import Filters
from .core.graph import position
from .core.picture_lookup import PictureLookup
from .core.thumbnails import ThumbnailCache
from .core.tile_cache import TileCache
from .core.tile_server import LocalTileServer
from .core.tile_source import TileSource
from .core.token import TokenState
from .gui.dock import MapillaryDock
from .gui.filters_tab import FiltersTab
from .gui.identify_tool import ClickWatch, IdentifyTool, tolerance_m
from .gui.image_marker import ImageMarker, PlaceMarker
from .gui.image_panel import ImagePanel
from .gui.layers_tab import LayersTab
from .gui.options_page import Cache, OptionsFactory
from .paths import i18n_dir, resource
from .processing.common import cache_dir, tile_cache_dir
from .processing.provider import MapillaryProvider
from .qgis_glue import log, options
from .qgis_glue.coverage import COVERAGE, LAYER_KEY_PROPERTY, repoint
from .qgis_glue.expressions import MapillaryFunctions
from .qgis_glue.filtering import Filtering
from .qgis_glue.image_controller import ImageController
from .qgis_glue.images import WGS84, ImageService, to_lonlat
from .qgis_glue.live_layers import LiveLayers
from .qgis_glue.network import qgis_ca_bundle, qgis_proxy_resolver
from .qgis_glue.notices import Notices
from .qgis_glue.signals import disconnect
from .qgis_glue.token_store import TokenStore
from .qgis_glue.translation import install_translator, remove_translator

LOGGER = logging.getLogger(__name__)

MENU = "&Mapillary"
TOOLBAR_NAME = "MapillaryToolbar"
ACTION_NAME = "MapillaryShowDock"
IDENTIFY_ACTION_NAME = "MapillaryIdentify"
PLACE_ACTION_NAME = "MapillaryImagesOfPlace"
# Layers whose features a click may identify, by layer key: (tileset, tile layer).
FEATURE_KEYS = {
    "points": ("mly_map_feature_point", "point"),
    "map_features": ("mly_map_feature_point", "point"),
    "signs": ("mly_map_feature_traffic_sign", "traffic_sign"),
    "traffic_signs": ("mly_map_feature_traffic_sign", "traffic_sign"),
}


class MapillaryPlugin:
    """Created by `classFactory`; owns every action, dock and hook it adds."""

    def __init__(self, iface, translations: Path | None = None):
        self.iface = iface
        # Before any text is made; `translations` is the folder of the .qm files (tests give their own).
        self.translator = install_translator(translations or i18n_dir())
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
        self.provider: MapillaryProvider | None = None
        self.filtering: Filtering | None = None
        self.filters_tab: FiltersTab | None = None
        self.image_service: ImageService | None = None
        self.image_controller: ImageController | None = None
        self.image_panel: ImagePanel | None = None
        self.marker: ImageMarker | None = None
        self.click_watch: ClickWatch | None = None
        self.identify_tool: IdentifyTool | None = None
        self.identify_action: QAction | None = None
        self.place_tool: IdentifyTool | None = None
        self.place_action: QAction | None = None
        self.place_marker: PlaceMarker | None = None
        self.thumbnails: ThumbnailCache | None = None
        self.options_factory: OptionsFactory | None = None
        self.picture_lookup: PictureLookup | None = None
        self.expressions: MapillaryFunctions | None = None
        self._unlock_item = None

    @staticmethod
    def tr(text: str) -> str:
        return QCoreApplication.translate("MapillaryPlugin", text)

    def initProcessing(self) -> None:  # noqa: N802 (QGIS API; qgis_process calls only this)
        if self.provider is None:
            self._use_qgis_network_settings()  # qgis_process's requests too
            self.provider = MapillaryProvider()  # keep the reference: Python would free it
            QgsApplication.processingRegistry().addProvider(self.provider)

    @staticmethod
    def _use_qgis_network_settings() -> None:
        """QGIS's proxy and the certificate authorities it trusts, for every request (main thread; again
        whenever QGIS's options change, where both are set)."""
        Client.set_proxy_resolver(qgis_proxy_resolver())
        try:
            bundle = qgis_ca_bundle(cache_dir() / "ca-bundle.pem")
        except Exception:  # never a reason for the plugin not to load
            LOGGER.warning("Could not read QGIS's certificate authorities; using those of requests.", exc_info=True)
            bundle = None
        Client.set_ca_bundle(bundle)

    def initGui(self) -> None:  # noqa: N802 (QGIS API)
        self.initProcessing()
        QgsGui.instance().optionsChanged.connect(self._use_qgis_network_settings)
        log.install()
        self.token_store = TokenStore()
        self.token_store.load()  # never prompts for the master password
        settings = options.read()
        self.tile_cache = TileCache(tile_cache_dir(), settings.tile_cache_bytes, settings.tile_cache_age_s)
        self.tile_source = TileSource(Client(), self.tile_cache, max_workers=settings.requests_in_flight)
        self.notices = Notices(locked=lambda: self.token_store.state == TokenState.LOCKED)
        self.token_store.changed.connect(self._token_changed)
        QgsApplication.authManager().masterPasswordVerified.connect(self._master_password_verified)
        Client.set_retry_listener(self.notices.retrying)
        self.tile_server = LocalTileServer(self.tile_source, on_error=self.notices.tile_failed).start()
        # QGIS may end Python at exit without calling unload(): stop the server and the loads first.
        QgsApplication.instance().aboutToQuit.connect(self._before_quit)
        QgsProject.instance().readProject.connect(self._project_read)
        QgsProject.instance().layersAdded.connect(self._project_read)  # layers pasted, loaded from .qlr …

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
        self.live_layers = LiveLayers(self.iface.mapCanvas(), lambda: self.tile_source, notices=self.notices,
                                      store_dir=cache_dir() / "store", parent=self.dock)
        self.layers_tab = LayersTab(self.live_layers, self.tile_server, self.tile_cache, self.token_store)
        self.dock.add_tab(self.layers_tab, self.tr("Layers"))
        self.notices.notice.connect(self._notice)
        self._init_filters()
        self._init_identify(main_window)
        self._init_options()
        self.iface.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        self.dock.hide()
        self.dock.setToggleVisibilityAction(self.action)  # the button and menu entry show/hide it
        repoint(QgsProject.instance(), self.tile_server)  # after a plugin reload, layers of the old server
        if self.token_store.state == TokenState.LOCKED:
            self._offer_unlock()
        LOGGER.info("Mapillary plugin %s loaded", __version__)

    # -- Settings > Options > Mapillary --------------------------------------------------------

    def _init_options(self) -> None:
        self.options_factory = OptionsFactory(
            QIcon(str(resource("icons", "mapillary.svg"))), self.apply_options,
            tiles=Cache(self.tile_cache.size_bytes, self.layers_tab.clear_cache),
            thumbnails=Cache(self.thumbnails.size_bytes, self.thumbnails.clear))
        self.iface.registerOptionsWidgetFactory(self.options_factory)

    def apply_options(self, values: options.Values) -> None:
        """The Options page's values, at once: cache limits, requests in flight, the Image tab's picture."""
        self.tile_cache.max_bytes, self.tile_cache.max_age_s = values.tile_cache_bytes, values.tile_cache_age_s
        self.tile_source.set_max_workers(values.requests_in_flight)
        self.thumbnails.set_limits(values.thumbnail_cache_bytes)
        self.image_controller.full_size = values.image_size

    # -- the token -----------------------------------------------------------------------

    def _offer_unlock(self) -> None:
        """Say that the token is locked, with the button that unlocks it; unlocking is the user's choice."""
        if self._unlock_item is not None:
            return
        bar = self.iface.messageBar()
        item = bar.createMessage(
            self.tr("Mapillary"),
            self.tr("Your Mapillary token is locked in the QGIS authentication database."),
        )
        button = QPushButton(self.tr("Unlock Mapillary token"))
        button.setObjectName("MapillaryUnlockButton")
        button.clicked.connect(lambda: self.dock and self.dock.unlock())
        item.layout().addWidget(button)
        bar.pushWidget(item, Qgis.MessageLevel.Warning, 0)
        item.destroyed.connect(self._unlock_item_gone)
        self._unlock_item = item

    def _unlock_item_gone(self, *args) -> None:
        self._unlock_item = None

    def _close_unlock_offer(self) -> None:
        if self._unlock_item is not None:
            self.iface.messageBar().popWidget(self._unlock_item)
            self._unlock_item = None

    def _master_password_verified(self, verified: bool) -> None:
        """The user unlocked the database elsewhere in QGIS: the token can be read now."""
        if verified and self.token_store is not None and self.token_store.state == TokenState.LOCKED:
            self.token_store.load()

    def _token_changed(self, state: TokenState) -> None:
        self.notices.reset()
        if state in (TokenState.SAVED, TokenState.VALID):
            self._close_unlock_offer()
            self._reload_layers()

    def _reload_layers(self) -> None:
        """A usable token at last: fetch again what failed without one."""
        for layer in QgsProject.instance().mapLayers().values():
            if layer.customProperty(LAYER_KEY_PROPERTY) in COVERAGE:
                layer.triggerRepaint()
        self.live_layers.clear_loaded()
        self.live_layers.load_view()

    def _notice(self, level: str, text: str) -> None:
        self.layers_tab.show_status(level, text)
        if level != "error":
            return
        if self.token_store.state == TokenState.LOCKED:
            self._offer_unlock()
        else:  # something the user must act on: also where they see it with the dock closed
            self.iface.messageBar().pushMessage(self.tr("Mapillary"), text, Qgis.MessageLevel.Critical, 10)

    # -- filters -----------------------------------------------------------------------

    def _init_filters(self) -> None:
        self.filtering = Filtering(self.live_layers, CreatorDirectory(Client()), parent=self.dock)
        self.filters_tab = FiltersTab(known_classes=self.live_layers.known_values)
        self.dock.add_tab(self.filters_tab, self.tr("Filters"))
        self.filters_tab.applied.connect(self.filtering.request)
        self.filtering.changed.connect(self._filters_changed)
        QgsProject.instance().readProject.connect(self._filters_read)
        QgsProject.instance().cleared.connect(self._filters_cleared)
        if QgsProject.instance().fileName():  # the plugin was (re)loaded with a project open
            self._filters_read()

    def _filters_changed(self, text: str, note: str) -> None:
        self.filters_tab.summary_label.setText(text or self.tr("No filter: every image and feature is shown."))
        self.filters_tab.say(note)

    def _filters_read(self, *args) -> None:
        self.filtering.restore()
        self.filters_tab.show_filters(self.filtering.filters, self.filtering.creator_names)

    def _filters_cleared(self) -> None:
        self.filtering.apply(Filters(), save=False)
        self.filters_tab.show_filters(Filters())

    # -- identify ----------------------------------------------------------------------

    def _init_identify(self, main_window) -> None:
        canvas = self.iface.mapCanvas()
        settings = options.read()
        thumbnails = self.thumbnails = ThumbnailCache(cache_dir() / "thumbnails", settings.thumbnail_cache_bytes)
        self.image_service = ImageService(Client(), self.tile_source, thumbnails)
        # Expressions (layouts, map tips, labels) share its pictures and details; their own client retries less.
        self.picture_lookup = PictureLookup(Client(max_retries=1, timeout=(5.0, 20.0)), thumbnails,
                                            self.image_service.details)
        self.expressions = MapillaryFunctions(self.picture_lookup)
        self.expressions.register()
        self.image_controller = ImageController(self.image_service, parent=self.dock)
        self.image_controller.full_size = settings.image_size
        self.image_panel = ImagePanel(self.image_controller, on_set_token=lambda: self.dock.tabs.setCurrentIndex(0),
                                      on_zoom=self._zoom_to)
        self.dock.add_tab(self.image_panel, self.tr("Image"))
        self.marker = ImageMarker(canvas)
        self.image_controller.shown.connect(self._mark)
        self.image_controller.nothing.connect(self.marker.hide)
        self.image_panel.looking.connect(self.marker.look)  # the cone turns with the panorama's view
        self.click_watch = ClickWatch(canvas.viewport(), self.image_controller.stop_play)  # a click stops playback

        self.identify_tool = IdentifyTool(canvas)
        self.identify_tool.clicked.connect(self._identify_clicked)
        self.identify_action = QAction(QIcon(str(resource("icons", "identify.svg"))),
                                       self.tr("Mapillary identify"), main_window)
        self.identify_action.setObjectName(IDENTIFY_ACTION_NAME)
        self.identify_action.setToolTip(self.tr("Click a Mapillary image on the map to see its picture and details"))
        self.identify_action.setCheckable(True)
        self.identify_action.triggered.connect(lambda: canvas.setMapTool(self.identify_tool))
        self.identify_tool.setAction(self.identify_action)
        self.toolbar.addAction(self.identify_action)
        self.iface.addPluginToWebMenu(MENU, self.identify_action)

        # "Images of this place": a click lists the images that see the spot, best first, by date
        self.place_marker = PlaceMarker(canvas)
        self.image_controller.place_shown.connect(self.place_marker.show)
        self.place_tool = IdentifyTool(canvas)
        self.place_tool.clicked.connect(self._place_clicked)
        self.place_action = QAction(QIcon(str(resource("icons", "place.svg"))),
                                    self.tr("Mapillary: images of this place"), main_window)
        self.place_action.setObjectName(PLACE_ACTION_NAME)
        self.place_action.setToolTip(self.tr("Click a spot (an asset, a junction): the Mapillary images that see "
                                             "it, by date"))
        self.place_action.setCheckable(True)
        self.place_action.triggered.connect(lambda: canvas.setMapTool(self.place_tool))
        self.place_tool.setAction(self.place_action)
        self.toolbar.addAction(self.place_action)
        self.iface.addPluginToWebMenu(MENU, self.place_action)

    def _place_clicked(self, lon: float, lat: float, tolerance_m: float) -> None:
        self._show_image_tab()
        self.marker.hide()
        self.image_controller.match = self.live_layers.image_filter()
        self.image_controller.images_of(lon, lat)

    def _identify_clicked(self, lon: float, lat: float, tolerance_m: float) -> None:
        self._show_image_tab()
        self.place_marker.hide()
        self.image_controller.match = self.live_layers.image_filter()
        self.image_controller.identify(lon, lat, tolerance_m, self._shown_feature_layers(),
                                       match=self.live_layers.image_filter())

    @staticmethod
    def _shown_feature_layers() -> list:
        """(tileset, layer) of the map-feature and sign layers in the project: a click may mean one of them."""
        shown = set()
        for layer in QgsProject.instance().mapLayers().values():
            key = layer.customProperty(LAYER_KEY_PROPERTY)
            if key in FEATURE_KEYS:
                shown.add(FEATURE_KEYS[key])
        return sorted(shown)

    def _show_image_tab(self) -> None:
        self.dock.setUserVisible(True)
        self.dock.tabs.setCurrentWidget(self.image_panel)

    def _mark(self, details: dict) -> None:
        """The view cone where the image stands; while playback runs, the map follows it."""
        where = position(details)
        if where is None:
            self.marker.hide()
            return
        self.marker.show(where[0], where[1], *self.image_panel.looking_at())
        if self.image_controller.is_playing():
            canvas = self.iface.mapCanvas()
            to_map = QgsCoordinateTransform(WGS84, canvas.mapSettings().destinationCrs(), QgsProject.instance())
            try:
                here = to_map.transform(QgsPointXY(*where))
            except QgsCsException:
                return
            # On screen (a rotated map's extent is the bounding box of what is shown, larger than the view).
            pixel = canvas.getCoordinateTransform().transform(here)
            width, height = canvas.width(), canvas.height()
            if not (0.15 * width <= pixel.x() <= 0.85 * width and 0.15 * height <= pixel.y() <= 0.85 * height):
                canvas.setCenter(here)
                canvas.refresh()

    def _zoom_to(self, details: dict) -> None:
        where = position(details)
        if where is None:
            return
        canvas = self.iface.mapCanvas()
        to_map = QgsCoordinateTransform(WGS84, canvas.mapSettings().destinationCrs(), QgsProject.instance())
        centre = to_map.transform(QgsPointXY(*where))
        canvas.setCenter(centre)
        canvas.zoomScale(min(canvas.scale(), 2000))
        canvas.refresh()

    def identify(self, point: QgsPointXY, crs: QgsCoordinateReferenceSystem) -> dict | None:
        """The details (Graph JSON, `id` included) of the image nearest `point`, or None.

        For scripts, other plugins and tests: it blocks while it fetches, so
        call it off the GUI thread for anything interactive. The tolerance is
        the identify tool's few pixels at the current map scale.
        """
        lon, lat = to_lonlat(point, crs)
        canvas = self.iface.mapCanvas()
        tolerance = tolerance_m(canvas, point, crs) if crs == canvas.mapSettings().destinationCrs() else 10.0
        return self.image_service.identify(lon, lat, tolerance)

    def images_of(self, point: QgsPointXY, crs: QgsCoordinateReferenceSystem, max_distance: float = 30.0,
                  looking_at: bool = True) -> list[dict]:
        """The images that see `point`, best first: dicts with `id` (int), `distance_m`, `bearing_offset`
        (degrees between the image's view and the point; None without a compass angle), `captured_at`
        (UTC ms), `is_pano`, `sequence_id`, `compass_angle`, `lon`, `lat`, `score`. The active filters
        apply; [] when nothing sees it. A point is seen from within `max_distance` metres and, with
        `looking_at`, inside the image's field of view (panoramas see all around; see core/seeing.py).
        Reads the tiles around the point (the disk cache first); blocks while it fetches them."""
        lon, lat = to_lonlat(point, crs)
        match = self.live_layers.image_filter() if self.live_layers is not None else None
        return self.image_service.images_of(lon, lat, max_distance, looking_at, match=match)

    def open_image(self, image_id) -> None:
        """Show an image in the Mapillary dock (for other plugins and the Python console)."""
        self._show_image_tab()
        self.image_controller.open_image(str(image_id))

    def image_view(self, yaw: float | None = None, pitch: float | None = 0.0, fov: float | None = None) -> QImage:
        """Set the view of the open image and return it as the Image tab draws it.

        For a panorama: `yaw` is the compass direction to look at (degrees,
        0 = north, clockwise), `pitch` degrees up, `fov` the horizontal field
        of view (30-110 degrees); None keeps the current value; the map's view
        cone follows. For other images the values are ignored and the
        picture is returned as shown. The null QImage until the picture has
        arrived (or once the plugin is unloaded). ValueError for a value that
        is not a finite number.
        """
        if self.image_panel is None:
            return QImage()
        return self.image_panel.image_view(yaw, pitch, fov)

    def _project_read(self, *args) -> None:
        if self.tile_server is not None:
            repoint(QgsProject.instance(), self.tile_server)

    def _before_quit(self) -> None:
        if self.live_layers is not None:
            self.live_layers.shutdown(quitting=True)
        for worker in (self.image_controller, self.filtering):
            if worker is not None:
                worker.shutdown()
        if self.tile_server is not None:
            self.tile_server.stop()
            self.tile_server = None

    def _unload_identify(self) -> None:
        if self.identify_tool is None:
            return
        canvas = self.iface.mapCanvas()
        for tool in (self.identify_tool, self.place_tool):
            if canvas.mapTool() is tool:
                canvas.unsetMapTool(tool)
        self.image_controller.shutdown()
        self.expressions.unregister()
        self.picture_lookup.close()
        self.image_service.client.close()
        self.marker.remove()
        self.click_watch.remove()
        self.place_marker.remove()
        for action in (self.identify_action, self.place_action):
            self.iface.removePluginWebMenu(MENU, action)
            action.deleteLater()
        self.identify_tool.deleteLater()
        self.place_tool.deleteLater()
        self.identify_tool = self.identify_action = self.marker = self.image_controller = self.click_watch = None
        self.place_tool = self.place_action = self.place_marker = None
        self.image_panel = self.image_service = self.picture_lookup = self.expressions = self.thumbnails = None

    def unload(self) -> None:
        if self.options_factory is not None:
            self.iface.unregisterOptionsWidgetFactory(self.options_factory)
            self.options_factory = None
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
        self._unload_identify()
        if self.filtering is not None:
            disconnect((QgsProject.instance().readProject, self._filters_read),
                       (QgsProject.instance().cleared, self._filters_cleared))
            self.filtering.shutdown()
            self.filtering = self.filters_tab = None
        self._close_unlock_offer()
        if self.notices is not None:  # a tile that fails after this is nobody's to report
            disconnect((self.notices.notice, self._notice))
        disconnect((QgsApplication.authManager().masterPasswordVerified, self._master_password_verified),
                   (QgsGui.instance().optionsChanged, self._use_qgis_network_settings),
                   (QgsApplication.instance().aboutToQuit, self._before_quit),
                   (QgsProject.instance().readProject, self._project_read),
                   (QgsProject.instance().layersAdded, self._project_read))
        if self.live_layers is not None:
            self.live_layers.shutdown()
            self.live_layers = None
        if self.layers_tab is not None:
            self.layers_tab.shutdown()
            self.layers_tab = None
        if self.tile_server is not None:
            self.tile_server.stop()
            self.tile_server = None
        if self.tile_source is not None:
            self.tile_source.close()
            self.tile_source = None
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
        Client.set_ca_bundle(None)
        Client.set_retry_listener(None)
        Client.set_token(None)
        log.uninstall()
        remove_translator(self.translator)
        self.translator = None
