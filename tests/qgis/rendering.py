"""Render layers offscreen and count what was drawn."""

from qgis.core import QgsCoordinateReferenceSystem, QgsMapRendererSequentialJob, QgsMapSettings, QgsRectangle
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor, QImage


def render(layers, extent: QgsRectangle, size: int = 512) -> QImage:
    settings = QgsMapSettings()
    settings.setLayers(layers)
    settings.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:3857"))
    settings.setExtent(extent)
    settings.setOutputSize(QSize(size, size))
    settings.setBackgroundColor(QColor(0, 0, 0, 0))
    job = QgsMapRendererSequentialJob(settings)
    job.start()
    job.waitForFinished()
    return job.renderedImage()


def drawn_pixels(image: QImage) -> int:
    """Pixels that are not transparent background."""
    # Rendered images are ARGB32_Premultiplied: alpha is the same byte as ARGB32's. Converting on the GUI
    # thread is avoided where it can be: Qt spreads a large conversion over the global thread pool, where
    # Python tasks may be waiting for the GIL this thread holds (see image_controller.decoded).
    if image.format() not in (QImage.Format.Format_ARGB32, QImage.Format.Format_ARGB32_Premultiplied):
        image = image.convertToFormat(QImage.Format.Format_ARGB32)
    data = bytes(image.constBits().asarray(image.sizeInBytes()))
    return sum(1 for alpha in data[3::4] if alpha)
