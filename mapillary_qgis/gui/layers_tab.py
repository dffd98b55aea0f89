"""The dock's "Layers" tab: each Mapillary layer on and off, the tile cache, what is happening."""

from __future__ import annotations

from qgis.core import QgsProject
from qgis.gui import QgsMapToolExtent
from qgis.PyQt.QtWidgets import QCheckBox, QGroupBox, QLabel, QPushButton, QVBoxLayout, QWidget

from ..core.tile_cache import TileCache
from ..core.tile_server import LocalTileServer
from ..core.token import TokenState
from ..qgis_glue.coverage import COVERAGE, add_to_project, coverage_layer, find_layers
from ..qgis_glue.exact_layers import EXACT
from ..qgis_glue.live_layers import LiveLayers
from ..qgis_glue.signals import disconnect
from ..qgis_glue.token_store import TokenStore

COLOURS = {"info": None, "warning": "#b36b00", "error": "#d0312d"}


class LayersTab(QWidget):
    def __init__(self, live: LiveLayers, server: LocalTileServer, cache: TileCache | None, store: TokenStore,
                 project: QgsProject | None = None, parent=None):
        super().__init__(parent)
        self.setObjectName("MapillaryLayersTab")
        self._live = live
        self._server = server
        self._cache = cache
        self._store = store
        self._project = project or QgsProject.instance()
        self.boxes: dict[str, QCheckBox] = {}
        self._area_tool: QgsMapToolExtent | None = None

        coverage = QGroupBox(self.tr("Coverage (browse at any zoom)"))
        coverage_layout = QVBoxLayout(coverage)
        for key, spec in COVERAGE.items():
            coverage_layout.addWidget(self._box(key, spec.name, self._toggle_coverage))

        exact = QGroupBox(self.tr("Exact data (zoom 14 and closer; filter, select, export)"))
        exact_layout = QVBoxLayout(exact)
        for key, spec in EXACT.items():
            exact_layout.addWidget(self._box(key, spec.name, self._toggle_exact))

        self.area_button = QPushButton(self.tr("Load exact data for an area…"))
        self.area_button.setObjectName("MapillaryLoadArea")
        self.area_button.setToolTip(self.tr("Drag a rectangle on the map: the exact layers get everything inside it"))
        self.area_button.clicked.connect(self.pick_area)
        exact_layout.addWidget(self.area_button)

        self.clear_cache_button = QPushButton(self.tr("Clear tile cache"))
        self.clear_cache_button.setObjectName("MapillaryClearCache")
        self.clear_cache_button.clicked.connect(self.clear_cache)
        self.clear_cache_button.setEnabled(cache is not None)

        self.status_label = QLabel()
        self.status_label.setObjectName("MapillaryLayersStatus")
        self.status_label.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addWidget(coverage)
        layout.addWidget(exact)
        layout.addWidget(self.clear_cache_button)
        layout.addWidget(self.status_label)
        layout.addStretch(1)

        live.status.connect(self.show_status)
        self._project.layersAdded.connect(self.sync)
        self._project.layersRemoved.connect(self.sync)
        self.sync()

    def _box(self, key: str, label: str, slot) -> QCheckBox:
        box = QCheckBox(label)
        box.setObjectName(f"MapillaryLayer_{key}")
        box.toggled.connect(lambda on, k=key: slot(k, on))
        self.boxes[key] = box
        return box

    def sync(self, *args) -> None:
        """Tick exactly the layers that are in the project (the user may remove them)."""
        for key, box in self.boxes.items():
            present = bool(find_layers(key, self._project))
            if box.isChecked() != present:
                box.blockSignals(True)
                box.setChecked(present)
                box.blockSignals(False)

    def _token_usable(self) -> bool:
        if self._store.state == TokenState.LOCKED:
            self.show_status("warning", self.tr(
                "Your Mapillary token is locked in the QGIS authentication database: "
                "press “Unlock token…” in the Account tab."))
            return False
        if not self._store.has_token:
            self.show_status("warning", self.tr("Save your Mapillary access token in the Account tab first."))
            return False
        return True

    def _toggle_coverage(self, key: str, on: bool) -> None:
        if on:
            if not find_layers(key, self._project):
                self._token_usable()  # the layer is added anyway; it says why it stays empty
                add_to_project(coverage_layer(key, self._server), self._project)
        else:
            for layer in find_layers(key, self._project):
                self._project.removeMapLayer(layer.id())

    def _toggle_exact(self, key: str, on: bool) -> None:
        if on:
            self._token_usable()
            self._live.enable(key)
        else:
            self._live.disable(key)

    def pick_area(self) -> None:
        """Let the user drag a rectangle; then load it and give the previous map tool back."""
        canvas = self._live.canvas
        previous = canvas.mapTool()
        tool = QgsMapToolExtent(canvas)
        self._area_tool = tool  # kept alive while in use

        def picked(extent) -> None:
            if not extent.isEmpty() and self._live.load_area(extent, canvas.mapSettings().destinationCrs()):
                self.show_status("info", self.tr("Loading the exact Mapillary data of the area…"))
            if previous is not None:
                canvas.setMapTool(previous)
            else:
                canvas.unsetMapTool(tool)
            self._area_tool = None

        tool.extentChanged.connect(picked)
        canvas.setMapTool(tool)
        self.show_status("info", self.tr("Drag a rectangle on the map around the area to load."))

    def clear_cache(self) -> None:
        if self._cache is not None:
            self._cache.clear()
        self._live.clear_store()  # the exact layers' records go with the tiles, and come back from the network
        self.show_status("info", self.tr("The Mapillary tile cache is empty."))

    def show_status(self, level: str, text: str) -> None:
        colour = COLOURS.get(level)
        self.status_label.setStyleSheet(f"color: {colour};" if colour else "")
        self.status_label.setProperty("level", level)
        self.status_label.setText(text)

    def shutdown(self) -> None:
        disconnect((self._project.layersAdded, self.sync), (self._project.layersRemoved, self.sync))
