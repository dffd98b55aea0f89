"""Settings > Options > Mapillary: cache limits, requests in flight, the Image tab's picture size."""

from __future__ import annotations

from typing import Callable

from qgis.gui import QgsOptionsPageWidget, QgsOptionsWidgetFactory
from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtGui import QIcon
from qgis.PyQt.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ..qgis_glue import options
from ..qgis_glue.options import Values

OBJECT_NAME = "MapillaryOptionsPage"


def tr(text: str) -> str:
    return QCoreApplication.translate("MapillaryOptions", text)


def megabytes(size: int) -> str:
    return tr("{:.1f} MB on disk").format(size / 2**20)


class Cache:
    """What the page shows and clears of one cache: `size()` in bytes, `clear()`."""

    def __init__(self, size: Callable[[], int], clear: Callable[[], None]):
        self.size, self.clear = size, clear


class OptionsPage(QgsOptionsPageWidget):
    def __init__(self, applied: Callable[[Values], None], tiles: Cache, thumbnails: Cache, parent=None):
        super().__init__(parent)
        self.setObjectName(OBJECT_NAME)
        self._applied = applied
        values = options.read()

        def spin(option: options.Option, value: int, suffix: str) -> QSpinBox:
            box = QSpinBox()
            box.setRange(option.low, option.high)
            box.setValue(value)
            box.setSuffix(suffix)
            box.setObjectName(f"Mapillary_{option.key}")
            return box

        self.tile_mb = spin(options.TILE_CACHE_MB, values.tile_cache_mb, tr(" MB"))
        self.tile_days = spin(options.TILE_CACHE_DAYS, values.tile_cache_days, tr(" days"))
        self.thumbnail_mb = spin(options.THUMBNAIL_CACHE_MB, values.thumbnail_cache_mb, tr(" MB"))
        self.requests = spin(options.REQUESTS_IN_FLIGHT, values.requests_in_flight, "")
        self.requests.setToolTip(tr("Tiles fetched at a time for the layers and the identify tool"))
        self.image_size = QComboBox()
        self.image_size.setObjectName("Mapillary_image_size")
        for size in options.IMAGE_SIZES:
            self.image_size.addItem(tr("{} px").format(size), size)
        self.image_size.setCurrentIndex(max(0, self.image_size.findData(values.image_size)))

        self.tile_use, self.thumbnail_use = QLabel(), QLabel()
        self.tile_use.setObjectName("MapillaryTileCacheUse")
        self.thumbnail_use.setObjectName("MapillaryThumbnailCacheUse")
        self.clear_tiles = QPushButton(tr("Clear"))
        self.clear_tiles.setObjectName("MapillaryClearTiles")
        self.clear_thumbnails = QPushButton(tr("Clear"))
        self.clear_thumbnails.setObjectName("MapillaryClearThumbnails")
        self._tiles, self._thumbnails = tiles, thumbnails
        self.clear_tiles.clicked.connect(lambda: self._clear(tiles, self.tile_use))
        self.clear_thumbnails.clicked.connect(lambda: self._clear(thumbnails, self.thumbnail_use))
        self._show_use()

        caches = QGroupBox(tr("Caches"))
        form = QFormLayout(caches)
        form.addRow(tr("Tile cache size"), self.tile_mb)
        form.addRow(tr("Keep tiles for"), self.tile_days)
        form.addRow(tr("Tile cache"), self._row(self.tile_use, self.clear_tiles))
        form.addRow(tr("Picture cache size"), self.thumbnail_mb)
        form.addRow(tr("Picture cache"), self._row(self.thumbnail_use, self.clear_thumbnails))
        network = QGroupBox(tr("Loading"))
        network_form = QFormLayout(network)
        network_form.addRow(tr("Requests in flight"), self.requests)
        network_form.addRow(tr("Picture size in the Image tab"), self.image_size)
        layout = QVBoxLayout(self)
        layout.addWidget(caches)
        layout.addWidget(network)
        layout.addStretch(1)

    @staticmethod
    def _row(label: QLabel, button: QPushButton) -> QWidget:
        holder = QWidget()
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(label, 1)
        row.addWidget(button)
        return holder

    def _show_use(self) -> None:
        self.tile_use.setText(megabytes(self._tiles.size()))
        self.thumbnail_use.setText(megabytes(self._thumbnails.size()))

    def _clear(self, cache: Cache, label: QLabel) -> None:
        cache.clear()
        label.setText(megabytes(cache.size()))

    def values(self) -> Values:
        return Values(tile_cache_mb=self.tile_mb.value(), tile_cache_days=self.tile_days.value(),
                      thumbnail_cache_mb=self.thumbnail_mb.value(), requests_in_flight=self.requests.value(),
                      image_size=self.image_size.currentData())

    def apply(self) -> None:  # QGIS calls it when the Options dialog closes with OK
        self._applied(options.write(self.values()))


class OptionsFactory(QgsOptionsWidgetFactory):
    def __init__(self, icon: QIcon, applied: Callable[[Values], None], tiles: Cache, thumbnails: Cache):
        super().__init__(tr("Mapillary"), icon)
        self._icon, self._applied, self._tiles, self._thumbnails = icon, applied, tiles, thumbnails

    def icon(self) -> QIcon:
        return self._icon

    def createWidget(self, parent=None) -> OptionsPage:  # noqa: N802 (QGIS API)
        return OptionsPage(self._applied, self._tiles, self._thumbnails, parent)
