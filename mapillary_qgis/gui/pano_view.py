"""A 360° panorama as a perspective view: drag to look around, wheel or +/- to zoom, arrow keys to turn.

Drawing is `core.panorama.Reprojector`'s lookup tables on the picture's
pixels; this widget only turns mouse and keys into a view (yaw, pitch, fov)
and paints the result with a small compass. While the view moves each frame
takes the nearest pixels; once it has been still for `SETTLE_MS` it is drawn
again, smooth (bilinear); a large view's smooth frame is made in a thread of
its own (numpy lets go of Python's lock), so the GUI thread never waits for it.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
from qgis.PyQt.QtCore import QEvent, QPoint, QPointF, QRectF, Qt, QTimer, pyqtSignal
from qgis.PyQt.QtGui import QBrush, QColor, QImage, QPainter, QPainterPath, QPen
from qgis.PyQt.QtWidgets import QSizePolicy, QWidget

from ..core.panorama import FOV_DEFAULT, LookupTables, Reprojector, clamp_view, vertical_fov
from ..qgis_glue.compat import mouse_position

TURN_KEYS = {Qt.Key.Key_Left: (-1, 0), Qt.Key.Key_Right: (1, 0), Qt.Key.Key_Up: (0, 1), Qt.Key.Key_Down: (0, -1)}
ZOOM_KEYS = {Qt.Key.Key_Plus: 1 / 1.15, Qt.Key.Key_Equal: 1 / 1.15, Qt.Key.Key_Minus: 1.15}
COMPASS_RADIUS = 22
MOVING_FULL_PIXELS = 500_000  # a larger view is drawn at half size while it moves (sharp again once still)
SETTLE_MS = 120  # a view still this long is drawn smooth
_SMOOTHER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mapillary-panorama")  # large views' smooth frames
CONE = "#ff6d00"  # the map marker's orange


def pixels_of(image: QImage) -> np.ndarray:
    """The picture as an (h, w) array of 0xffRRGGBB values (a copy)."""
    image = image.convertToFormat(QImage.Format.Format_RGB32)  # as it is (no work) from the controller
    bits = image.constBits()
    bits.setsize(image.sizeInBytes())
    rows = np.frombuffer(bits, np.uint32).reshape(image.height(), image.bytesPerLine() // 4)
    return rows[:, :image.width()].copy()


def image_of(pixels: np.ndarray) -> QImage:
    """An (h, w) array of 0xffRRGGBB values as a QImage of its own."""
    pixels = np.ascontiguousarray(pixels, dtype=np.uint32)
    height, width = pixels.shape
    return QImage(pixels.data, width, height, width * 4, QImage.Format.Format_RGB32).copy()


class PanoramaView(QWidget):
    view_changed = pyqtSignal(float, float, float)  # yaw (compass degrees), pitch (degrees up), fov (degrees)
    _smoothed = pyqtSignal(object, object)  # (key, QImage): a smooth frame made in the background

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("MapillaryPanorama")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.setMinimumHeight(180)
        self.setCursor(Qt.CursorShape.OpenHandCursor)
        self.setToolTip(self.tr("Drag to look around · wheel or +/- to zoom · arrow keys turn"))
        self.yaw, self.pitch, self.fov = 0.0, 0.0, FOV_DEFAULT
        self.image_id: str | None = None  # whose picture is on show
        self.source_width = 0  # its width in pixels (a sharper one replaces it, never a blurrier one)
        self._reprojector: Reprojector | None = None
        self._tables = LookupTables()  # kept from one picture to the next
        self._frame: tuple | None = None  # (key, QImage)
        self._drag: tuple | None = None  # (where the press was, the view then)
        self._still = False  # drawn smooth (bilinear) when the view has stopped moving
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self._settled)
        self._smooth: tuple | None = None  # (key, QImage): the large view's smooth frame, once made
        self._smoothed.connect(self._take_smooth)

    # -- picture and view --------------------------------------------------------------

    def set_picture(self, image_id: str, picture: QImage, heading: float) -> None:
        """Show `picture` (equirectangular), whose centre column looks along compass `heading`."""
        self._reprojector = Reprojector(pixels_of(picture), heading, self._tables)
        self.image_id, self.source_width = image_id, picture.width()
        self._frame = self._smooth = None
        self._moved()

    def clear(self) -> None:
        self._reprojector, self.image_id, self.source_width, self._frame, self._smooth = None, None, 0, None, None
        self._settle.stop()
        self.update()

    def set_view(self, yaw: float | None = None, pitch: float | None = None, fov: float | None = None) -> None:
        """Look at compass `yaw`, `pitch` up, `fov` wide (None keeps each); says `view_changed` when it moves."""
        view = clamp_view(self.yaw if yaw is None else yaw, self.pitch if pitch is None else pitch,
                          self.fov if fov is None else fov)
        if view == (self.yaw, self.pitch, self.fov):
            return
        self.yaw, self.pitch, self.fov = view
        self._moved()
        self.view_changed.emit(*view)

    def _moved(self) -> None:
        """Draw the next frames quickly; smooth again once the view has been still for SETTLE_MS."""
        self._still = False
        self._settle.start()
        self.update()

    def _settled(self) -> None:
        if self._drag is not None or self._reprojector is None:  # a hand holding the view has not let go
            return
        self._still = True
        width, height = self.width(), self.height()
        if width * height > MOVING_FULL_PIXELS:
            if self._smooth_frame(width, height) is None:
                _SMOOTHER.submit(self._make_smooth, self._key(width, height, True), self._reprojector)
        self.update()

    def _make_smooth(self, key: tuple, reprojector: Reprojector) -> None:
        """In the background thread: the smooth frame of `key`, handed to the GUI thread."""
        width, height, yaw, pitch, fov = key[:5]
        try:
            frame = image_of(reprojector.render(width, height, yaw, pitch, fov, smooth=True))
            self._smoothed.emit(key, frame)
        except RuntimeError:  # the view was deleted meanwhile
            pass

    def _take_smooth(self, key: tuple, frame: QImage) -> None:
        if key == self._key(self.width(), self.height(), True):
            self._smooth = (key, frame)
            self.update()

    def _key(self, width: int, height: int, smooth: bool) -> tuple:
        return (width, height, self.yaw, self.pitch, self.fov, id(self._reprojector), smooth)

    def _smooth_frame(self, width: int, height: int) -> QImage | None:
        """The background's smooth frame when it is the one of this view at this size."""
        if self._smooth is not None and self._smooth[0] == self._key(width, height, True):
            return self._smooth[1]
        return None

    def frame(self) -> QImage:
        """The view as painted once still (smooth; at the widget's size, 640 x 400 while it has none), with its
        compass; the null QImage without a picture."""
        if self._reprojector is None:
            return QImage()
        width, height = (self.width(), self.height()) if self.width() > 1 and self.height() > 1 else (640, 400)
        made = self._smooth_frame(width, height)
        image = QImage(made if made is not None else self._view(width, height, smooth=True))
        painter = QPainter(image)
        self._draw_compass(painter, width)
        painter.end()
        return image

    def _view(self, width: int, height: int, smooth: bool) -> QImage:
        """The reprojected picture, `width` x `height`, kept until the view or picture changes."""
        key = self._key(width, height, smooth)
        if self._frame is None or self._frame[0] != key:
            pixels = self._reprojector.render(width, height, self.yaw, self.pitch, self.fov, smooth=smooth)
            self._frame = (key, image_of(pixels))
        return self._frame[1]

    def _draw_compass(self, painter: QPainter, width: int) -> None:
        """North up, the orange wedge where the view looks and how wide, in the top right corner."""
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        centre = QPointF(width - COMPASS_RADIUS - 8, COMPASS_RADIUS + 8)
        painter.setPen(QPen(QColor(255, 255, 255, 220), 1.5))
        painter.setBrush(QBrush(QColor(0, 0, 0, 130)))
        painter.drawEllipse(centre, COMPASS_RADIUS, COMPASS_RADIUS)
        cone = QPainterPath(centre)
        box = QRectF(centre.x() - COMPASS_RADIUS + 3, centre.y() - COMPASS_RADIUS + 3,
                     2 * COMPASS_RADIUS - 6, 2 * COMPASS_RADIUS - 6)
        cone.arcTo(box, 90.0 - self.yaw + self.fov / 2.0, -self.fov)  # Qt: degrees counter-clockwise from east
        cone.closeSubpath()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(QColor(CONE)))
        painter.drawPath(cone)
        painter.setPen(QPen(QColor("#ffffff")))
        font = painter.font()
        font.setPixelSize(10)
        font.setBold(True)
        painter.setFont(font)
        painter.drawText(QRectF(centre.x() - 8, centre.y() - COMPASS_RADIUS, 16, 12),
                         int(Qt.AlignmentFlag.AlignCenter), "N")

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt API)
        painter = QPainter(self)
        if self._reprojector is None or self.width() < 2 or self.height() < 2:
            painter.fillRect(self.rect(), QColor("#202020"))
        elif self.width() * self.height() > MOVING_FULL_PIXELS:
            made = self._smooth_frame(self.width(), self.height()) if self._still else None
            if made is not None:
                painter.drawImage(0, 0, made)
            else:  # moving, or still until the background has made the smooth frame: half size keeps up
                painter.drawImage(self.rect(), self._view(self.width() // 2, self.height() // 2, False))
            self._draw_compass(painter, self.width())
        else:
            painter.drawImage(0, 0, self._view(self.width(), self.height(), self._still))
            self._draw_compass(painter, self.width())
        painter.end()

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        if self._reprojector is not None:
            self._moved()  # fast frames while the panel is resized, smooth once it stops

    # -- mouse and keys ----------------------------------------------------------------

    def mousePressEvent(self, event) -> None:  # noqa: N802 (Qt API)
        if event.button() == Qt.MouseButton.LeftButton:
            self._drag = (_position(event), (self.yaw, self.pitch))
            self.setCursor(Qt.CursorShape.ClosedHandCursor)
            self.setFocus(Qt.FocusReason.MouseFocusReason)

    def mouseMoveEvent(self, event) -> None:  # noqa: N802 (Qt API)
        if self._drag is None:
            return
        (start, (yaw, pitch)), here = self._drag, _position(event)
        # The picture follows the hand: dragging to the right turns the view to the left.
        degrees_x = self.fov / max(self.width(), 1)
        degrees_y = vertical_fov(self.fov, self.width(), self.height()) / max(self.height(), 1)
        self.set_view(yaw - (here.x() - start.x()) * degrees_x, pitch + (here.y() - start.y()) * degrees_y)

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802 (Qt API)
        self._drag = None
        self.setCursor(Qt.CursorShape.OpenHandCursor)
        self._moved()  # full size again at once, smooth once still

    def wheelEvent(self, event) -> None:  # noqa: N802 (Qt API)
        notches = event.angleDelta().y() / 120.0
        if notches:
            self.set_view(fov=self.fov * 1.15 ** -notches)
        event.accept()

    def event(self, event) -> bool:
        # The Image tab's arrow keys step through the sequence; in the view they turn it. With Ctrl, Alt or
        # Meta they stay QGIS's (Ctrl + arrows, Ctrl + +/-: the map's shortcuts).
        if event.type() == QEvent.Type.ShortcutOverride and _key(event) in (*TURN_KEYS, *ZOOM_KEYS) \
                and not _modified(event):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt API)
        key = None if _modified(event) else _key(event)
        if key in TURN_KEYS:
            dx, dy = TURN_KEYS[key]
            step = self.fov / 8.0
            self.set_view(self.yaw + dx * step, self.pitch + dy * step)
        elif key in ZOOM_KEYS:
            self.set_view(fov=self.fov * ZOOM_KEYS[key])
        else:
            super().keyPressEvent(event)


def _key(event):
    """The event's key as a Qt.Key (PyQt6 gives an int)."""
    try:
        return Qt.Key(event.key())
    except ValueError:
        return None


def _modified(event) -> bool:
    """Whether Ctrl, Alt or Meta is held (Shift and the keypad are not modifiers here: Shift + = is +)."""
    held = event.modifiers()
    return any(held & flag for flag in (Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.AltModifier,
                                        Qt.KeyboardModifier.MetaModifier))


def _position(event) -> QPoint:
    return mouse_position(event).toPoint()
