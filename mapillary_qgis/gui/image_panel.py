"""The dock's "Image" tab: the picture and details of the identified image."""

from __future__ import annotations

import math
from typing import Callable

from qgis.PyQt.QtCore import QPointF, QSize, Qt, QUrl, pyqtSignal
from qgis.PyQt.QtGui import (
    QColor,
    QDesktopServices,
    QGuiApplication,
    QIcon,
    QImage,
    QKeySequence,
    QPainter,
    QPen,
    QPixmap,
    QPolygonF,
)
from qgis.PyQt.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QShortcut,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ..core.graph import parse_graph_time, position
from ..core.identify import capture_times, offset_m, viewer_url
from ..core.labels import camera_label, feature_label
from ..core.panorama import FOV_DEFAULT, heading, is_panorama, looks_equirectangular
from ..core.seeing import DEFAULT_FOV_DEG, by_date, fov_from_camera, older_newer
from ..qgis_glue.image_controller import ImageController
from .pano_view import PanoramaView


class ImagePanel(QWidget):
    """Shows what `controller` finds; `on_set_token` opens the Account tab; `on_zoom(details)` zooms the map.

    Panoramas are shown in a `PanoramaView` (looking along their compass
    angle at first); perspective and fisheye pictures as they are.
    """

    looking = pyqtSignal(object, float)  # where the open image looks: compass degrees (None: unknown), fov

    def __init__(self, controller: ImageController, on_set_token: Callable[[], None],
                 on_zoom: Callable[[dict], None], parent=None):
        super().__init__(parent)
        self.setObjectName("MapillaryImagePanel")
        self._controller = controller
        self._on_zoom = on_zoom
        self.details: dict | None = None

        self.picture = QLabel(self.tr("Choose the Mapillary identify tool and click an image on the map."))
        self.picture.setObjectName("MapillaryPicture")
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setMinimumHeight(180)
        self.picture.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.picture.setWordWrap(True)
        self._pixmap: QPixmap | None = None
        self.pano_view = PanoramaView()
        self.pano_view.hide()
        self.pano_view.view_changed.connect(lambda yaw, pitch, fov: self._pano_looks())
        self._pano = False  # whether the open image is a panorama (core/panorama.is_panorama)

        self.busy_bar = QProgressBar()
        self.busy_bar.setRange(0, 0)  # indeterminate
        self.busy_bar.setMaximumHeight(6)
        self.busy_bar.setTextVisible(False)
        self.busy_bar.hide()

        self.error_label = QLabel()
        self.error_label.setObjectName("MapillaryImageError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #d0312d;")
        self.set_token_button = QPushButton(self.tr("Set token"))
        self.set_token_button.clicked.connect(on_set_token)
        self.set_token_button.hide()

        self.values: dict[str, QLabel] = {}
        form = QFormLayout()
        for key, label in self._fields():
            value = QLabel()
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setWordWrap(True)
            self.values[key] = value
            form.addRow(label, value)

        self.prev_button = self._button(self.tr("◀ Previous"), lambda: controller.step(-1), "MapillaryPrevious")
        self.next_button = self._button(self.tr("Next ▶"), lambda: controller.step(1), "MapillaryNext")
        self.play_button = self._button(self.tr("▶ Play"), controller.toggle_play, "MapillaryPlay")
        self.play_button.setToolTip(self.tr("Walk along the sequence, about two images a second"))
        controller.playing.connect(self._show_playing)
        steps = QHBoxLayout()
        steps.addWidget(self.prev_button)
        steps.addWidget(self.play_button)
        steps.addWidget(self.next_button)

        actions = QHBoxLayout()
        for text, slot, name in (
            (self.tr("Open in Mapillary"), self.open_in_browser, "MapillaryOpenWeb"),
            (self.tr("Copy id"), self.copy_id, "MapillaryCopyId"),
            (self.tr("Copy link"), self.copy_link, "MapillaryCopyLink"),
            (self.tr("Zoom to"), lambda: self.details and on_zoom(self.details), "MapillaryZoomTo"),
        ):
            actions.addWidget(self._button(text, slot, name))

        self.feature_box = self._feature_box()
        self.place_box = self._place_box()
        self.others_label = QLabel()
        self.others_label.setObjectName("MapillaryOtherDates")
        self.older_button = self._button(self.tr("◀ Older"), lambda: self._walk(-1), "MapillaryOlder")
        self.newer_button = self._button(self.tr("Newer ▶"), lambda: self._walk(1), "MapillaryNewer")
        self._others: list = []
        others = QHBoxLayout()
        others.addWidget(self.others_label, 1)
        others.addWidget(self.older_button)
        others.addWidget(self.newer_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.feature_box)
        layout.addWidget(self.place_box)
        layout.addWidget(self.picture, 1)
        layout.addWidget(self.pano_view, 1)
        layout.addWidget(self.busy_bar)
        layout.addWidget(self.error_label)
        layout.addWidget(self.set_token_button)
        layout.addLayout(steps)
        layout.addLayout(others)
        layout.addLayout(form)
        layout.addLayout(actions)

        keys = ((QKeySequence.StandardKey.MoveToPreviousChar, -1), (QKeySequence.StandardKey.MoveToNextChar, 1))
        for key, step in keys:
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)  # the map keeps its arrow keys
            shortcut.activated.connect(lambda s=step: controller.step(s))

        controller.busy.connect(self.set_busy)
        controller.shown.connect(self.show_details)
        controller.nothing.connect(self.show_nothing)
        controller.thumbnail.connect(self.show_thumbnail)
        controller.failed.connect(self.show_error)
        controller.feature_shown.connect(self.show_feature)
        controller.place_shown.connect(self.show_place)
        controller.others_shown.connect(self.show_others)
        self._enable(False)
        self._outlines: dict[str, tuple] = {}  # image id -> detection rings to draw on its picture
        self._place_ids: set[str] = set()  # the images of the place on show
        self.older_button.setEnabled(False)
        self.newer_button.setEnabled(False)

    # Texts are translated where they are used (each tr() gets a literal, so lupdate finds it).

    def _fields(self) -> tuple[tuple[str, str], ...]:
        """(key of `values`, label) of each detail shown."""
        return (
            ("captured_utc", self.tr("Captured (UTC)")),
            ("captured_local", self.tr("Captured (local)")),
            ("creator", self.tr("Creator")),
            ("camera", self.tr("Camera")),
            ("camera_type", self.tr("Camera type")),
            ("compass", self.tr("Compass angle")),
            ("position", self.tr("Position")),
            ("computed", self.tr("Computed position")),
            ("sequence", self.tr("Sequence")),
            ("organization", self.tr("Organization")),
        )

    def _error_hint(self, kind: str) -> str:
        """What the user can do about an error of `kind` ("" when nothing)."""
        return {
            "token": self.tr("Set a valid token in the Account tab."),
            "rate_limited": self.tr("Wait a minute, then click again."),
            "offline": self.tr("Check your internet connection or proxy settings."),
            "not_found": self.tr("The image may have been deleted or made private."),
            "picture": self.tr("Try Next, or open the image in Mapillary."),
        }.get(kind, "")

    def _feature_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Map feature"))
        box.setObjectName("MapillaryFeatureBox")
        self.feature_label = QLabel()
        self.feature_label.setWordWrap(True)
        self.feature_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.strip = _strip("MapillaryFeatureImages", 100)
        self.strip.itemClicked.connect(lambda item: self._controller.open_image(item.data(Qt.ItemDataRole.UserRole)))
        layout = QVBoxLayout(box)
        layout.addWidget(self.feature_label)
        layout.addWidget(self.strip)
        box.hide()
        return box

    def _place_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Images of this place"))
        box.setObjectName("MapillaryPlaceBox")
        self.place_label = QLabel()
        self.place_label.setWordWrap(True)
        self.place_strip = _strip("MapillaryPlaceImages", 112)
        self.place_strip.itemClicked.connect(
            lambda item: self._controller.open_image(item.data(Qt.ItemDataRole.UserRole)))
        layout = QVBoxLayout(box)
        layout.addWidget(self.place_label)
        layout.addWidget(self.place_strip)
        box.hide()
        return box

    def _button(self, text: str, slot, name: str) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.clicked.connect(slot)
        return button

    def _enable(self, on: bool) -> None:
        for button in self.findChildren(QPushButton):
            if button not in (self.set_token_button, self.older_button, self.newer_button):  # those: show_others
                button.setEnabled(on)

    # -- what the controller says ------------------------------------------------------

    def set_busy(self, busy: bool) -> None:
        self.busy_bar.setVisible(busy)

    def show_nothing(self) -> None:
        self.error_label.setText(self.tr("No Mapillary image here. Click closer to a green dot or line."))
        self.error_label.setProperty("kind", "nothing")
        self.set_token_button.hide()

    def show_error(self, kind: str, message: str) -> None:
        hint = self._error_hint(kind)
        self.error_label.setText(f"{message} {hint}" if hint else message)
        self.error_label.setProperty("kind", kind)
        self.set_token_button.setVisible(kind == "token")
        if self.details is not None and self.pano_view.image_id not in (None, str(self.details.get("id"))):
            # A step kept the last panorama until the new one came; it will not come: show no picture
            # rather than the last place's under this image's details.
            self.pano_view.clear()
            self.pano_view.hide()
            self.picture.show()
        if self.details is not None and self._pixmap is None and self.pano_view.image_id is None:
            self.picture.setText(self.tr("No picture"))

    def hideEvent(self, event) -> None:  # noqa: N802 (Qt API)
        """The tab or the dock closed: playback stops (its Stop button is out of sight); a minimised window
        (a spontaneous hide) lets it go on."""
        if not event.spontaneous():
            self._controller.stop_play()
        super().hideEvent(event)

    def show_feature(self, details: dict, detections: list) -> None:
        """A map feature: its class, when it was seen, and the images that saw it, outlined."""
        self.error_label.clear()
        self.set_token_button.hide()
        first = capture_times(parse_graph_time(details.get("first_seen_at")))[0]
        last = capture_times(parse_graph_time(details.get("last_seen_at")))[0]
        self._outlines = {d.image_id: d.rings for d in detections if d.image_id}
        images = [_plain(item.get("id")) for item in _list(_object(details.get("images")).get("data"))
                  if isinstance(item, dict) and _plain(item.get("id"))]
        images += [image_id for image_id in self._outlines if image_id not in images]
        self.feature_label.setText(self.tr("<b>{}</b><br>First seen {}<br>Last seen {}<br>Seen in {} images").format(
            feature_label(details.get("object_value", "")), first, last, len(images)))
        self.feature_label.setProperty("feature_id", details.get("id"))
        self.strip.clear()
        for image_id in images[:24]:
            item = QListWidgetItem(QIcon(), "")
            item.setData(Qt.ItemDataRole.UserRole, image_id)
            item.setToolTip(image_id)
            self.strip.addItem(item)
        self.feature_box.show()
        self._controller.thumbnails(images[:24])
        if images:
            self._controller.open_image(images[0])

    def show_place(self, lon: float, lat: float, found: list) -> None:
        """The images that see a clicked place: newest day first, best first within a day."""
        self.error_label.clear()
        self.set_token_button.hide()
        self.feature_box.hide()
        self.place_strip.clear()
        groups = by_date(found)
        self._place_ids = {str(item["id"]) for item in found}
        if not found:
            self.place_label.setText(self.tr("No Mapillary image sees this place (within 30 m, looking at it)."))
        else:
            years = sorted({day[:4] for day, _ in groups})
            span = years[0] if len(years) == 1 else f"{years[0]}–{years[-1]}"
            text = (self.tr("{} images see this place, on one day ({}).") if len(groups) == 1 else
                    self.tr("{} images see this place, on {} days ({}).").format(len(found), len(groups), span))
            self.place_label.setText(text.format(len(found), span) if len(groups) == 1 else text)
        for day, items in groups:
            for item in items:
                entry = QListWidgetItem(QIcon(), day)
                entry.setData(Qt.ItemDataRole.UserRole, str(item["id"]))
                entry.setToolTip(self.tr("{} · {:.0f} m away · {}").format(
                    day, item["distance_m"], self.tr("panorama") if item["is_pano"] else
                    self.tr("{:.0f}° off its view").format(item["bearing_offset"] or 0)))
                self.place_strip.addItem(entry)
        self.place_box.show()

    def show_others(self, image_id: str, others: list) -> None:
        """The same place at other dates: how many, and the buttons to the nearest older and newer."""
        if self.details is None or str(self.details.get("id")) != image_id:
            return
        self._others = others
        days = sorted({by_date([o])[0][0] for o in others})
        self.others_label.setText(self.tr("Same place, other dates: none") if not others else
                                  self.tr("Same place, other dates: {} images, {} – {}").format(
                                      len(others), days[0], days[-1]))
        older, newer = older_newer(others, self.details.get("captured_at") or 0)
        self.older_button.setEnabled(older is not None)
        self.newer_button.setEnabled(newer is not None)

    def _walk(self, direction: int) -> None:
        if self.details is None:
            return
        older, newer = older_newer(self._others, self.details.get("captured_at") or 0)
        target = older if direction < 0 else newer
        if target is not None:
            self._controller.open_image(str(target["id"]))

    def show_details(self, details: dict) -> None:
        if details.get("id") not in self._outlines:  # an image on its own, not one of a feature's
            self.feature_box.hide()
            self._outlines = {}
        if str(details.get("id")) not in self._place_ids:
            self.place_box.hide()
            self._place_ids = set()
        self._others = []
        self.others_label.setText(self.tr("Same place, other dates: looking…"))
        self.older_button.setEnabled(False)
        self.newer_button.setEnabled(False)
        previous, self.details = self.details, details
        self.error_label.clear()
        self.set_token_button.hide()
        self._pixmap = None
        self._open_panorama(previous, details)
        if not self._pano:
            self.pano_view.hide()
            self.picture.show()
            self.picture.setText(self.tr("Loading the picture…"))
        utc, local = capture_times(details.get("captured_at"))
        creator = _object(details.get("creator"))
        original, computed = position(details), position(details, computed=True)
        offset = offset_m(details)
        texts = {
            "captured_utc": utc or "—",
            "captured_local": local or "—",
            "creator": _plain(creator.get("username")) or _plain(creator.get("id")) or "—",
            "camera": " ".join(p for p in (_plain(details.get("make")), _plain(details.get("model"))) if p) or "—",
            "camera_type": camera_label(details),
            "compass": _angle(_number(details.get("compass_angle")), _number(details.get("computed_compass_angle"))),
            "position": _lonlat(original),
            "computed": _lonlat(computed) + (self.tr(" ({:.1f} m away)").format(offset) if offset is not None else ""),
            "sequence": _plain(details.get("sequence")) or "—",
            "organization": _plain(_object(details.get("organization")).get("id")) or "—",
        }
        for key, text in texts.items():
            self.values[key].setText(text)
        self._enable(True)

    def _open_panorama(self, previous: dict | None, details: dict) -> None:
        """Get the view ready for a panorama: along its compass angle, or, a step along the same
        sequence, turned as the user had turned the last one (its picture stays until the new arrives)."""
        self._pano = is_panorama(details)
        if not self._pano:
            self.pano_view.clear()
            self.looking.emit(heading(details), self._camera_fov(details))
            return
        now = heading(details) or 0.0
        stepped = (previous is not None and previous.get("sequence") == details.get("sequence")
                   and self.pano_view.isVisible() and is_panorama(previous))
        if stepped:
            self.pano_view.set_view(yaw=now + self.pano_view.yaw - (heading(previous) or 0.0))
        else:
            self.pano_view.clear()
            self.pano_view.set_view(now, 0.0, FOV_DEFAULT)
            self.pano_view.hide()
            self.picture.show()
            self.picture.setText(self.tr("Loading the panorama…"))
        self._pano_looks()

    def _pano_looks(self) -> None:
        if self._pano and self.details is not None:
            self.looking.emit(self.pano_view.yaw if heading(self.details) is not None else None, self.pano_view.fov)

    @staticmethod
    def _camera_fov(details: dict) -> float:
        return fov_from_camera(details.get("camera_type"), details.get("camera_parameters"), details.get("width"),
                               details.get("height")) or DEFAULT_FOV_DEG

    def looking_at(self) -> tuple:
        """(compass degrees or None, field of view) of the open image as shown."""
        if self.details is None:
            return None, DEFAULT_FOV_DEG
        if self._pano:
            return (self.pano_view.yaw if heading(self.details) is not None else None), self.pano_view.fov
        return heading(self.details), self._camera_fov(self.details)

    def show_thumbnail(self, image_id: str, picture: QImage) -> None:
        """A picture of `image_id` arrived (decoded by the controller's worker; null when unreadable)."""
        if not picture.isNull():
            for strip in (self.strip, self.place_strip):
                for row in range(strip.count()):
                    item = strip.item(row)
                    if item.data(Qt.ItemDataRole.UserRole) == image_id and item.icon().isNull():
                        item.setIcon(QIcon(QPixmap.fromImage(picture)))
        if self.details is None or self.details.get("id") != image_id:
            return
        if picture.isNull():
            if self._pixmap is None and self.pano_view.image_id != image_id:  # nothing of it on show yet
                self.show_error("picture", self.tr("The picture of this image could not be read (a damaged file)."))
            return
        if self._pano and looks_equirectangular(picture.width(), picture.height()):
            if self.pano_view.image_id != image_id or picture.width() > self.pano_view.source_width:
                self.pano_view.set_picture(image_id, picture, heading(self.details) or 0.0)
                self.picture.hide()
                self.pano_view.show()
            return
        if self.pano_view.image_id == image_id:
            return  # a panorama on show; a picture of another shape does not replace it
        self.pano_view.hide()
        self.picture.show()
        pixmap = QPixmap.fromImage(picture)
        if image_id in self._outlines:
            pixmap = outlined(pixmap, self._outlines[image_id])
        self._pixmap = pixmap
        self._scale()

    def _scale(self) -> None:
        if self._pixmap is not None:
            self.picture.setPixmap(self._pixmap.scaled(self.picture.size(), Qt.AspectRatioMode.KeepAspectRatio,
                                                       Qt.TransformationMode.SmoothTransformation))

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        self._scale()

    def image_view(self, yaw: float | None = None, pitch: float | None = 0.0, fov: float | None = None) -> QImage:
        """Set the panorama's view (None keeps a value) and return what the panel shows of the open image:
        the view of a panorama, the picture as shown of other images; the null QImage before it arrives."""
        if self.details is None:
            return QImage()
        image_id = str(self.details.get("id"))
        if self._pano and self.pano_view.image_id == image_id:
            self.pano_view.set_view(yaw, pitch, fov)
            return QImage(self.pano_view.frame())
        if self._pixmap is not None and self.picture.pixmap() is not None:
            return self.picture.pixmap().toImage()
        return QImage()

    def _show_playing(self, playing: bool) -> None:
        self.play_button.setText(self.tr("■ Stop") if playing else self.tr("▶ Play"))

    # -- actions -----------------------------------------------------------------------

    def open_in_browser(self) -> None:
        if self.details:
            QDesktopServices.openUrl(QUrl(viewer_url(self.details["id"])))

    def copy_id(self) -> None:
        if self.details:
            QGuiApplication.clipboard().setText(self.details["id"])

    def copy_link(self) -> None:
        if self.details:
            QGuiApplication.clipboard().setText(viewer_url(self.details["id"]))


def _strip(name: str, height: int) -> QListWidget:
    """A row of thumbnails. Items come with empty icons and get their pictures later; in free movement
    (IconMode's default) a changed icon does not lay the items out again and the second lands on the
    first, so the cells are fixed."""
    strip = QListWidget()
    strip.setObjectName(name)
    strip.setViewMode(QListWidget.ViewMode.IconMode)
    strip.setFlow(QListWidget.Flow.LeftToRight)
    strip.setWrapping(False)
    strip.setIconSize(QSize(96, 72))
    strip.setMovement(QListWidget.Movement.Static)
    strip.setGridSize(QSize(104, height - 20))
    strip.setResizeMode(QListWidget.ResizeMode.Adjust)
    strip.setFixedHeight(height)
    return strip


def outlined(pixmap: QPixmap, rings) -> QPixmap:
    """The picture with a detection's outline drawn on it (rings in 0..1 image coordinates)."""
    result = QPixmap(pixmap)
    painter = QPainter(result)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(QColor("#ff6d00"), max(2, result.width() // 200)))
    for ring in rings:
        painter.drawPolygon(QPolygonF([QPointF(u * result.width(), v * result.height()) for u, v in ring]))
    painter.end()
    return result


# Graph answers may hold anything where a field is expected (tests/qgis/test_fuzz_image_panel.py):
# these keep what the panel can show and drop the rest.

def _object(value) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value) -> list:
    return value if isinstance(value, list) else []


def _plain(value) -> str:
    """A text or whole number as text; "" for anything else."""
    return str(value) if isinstance(value, (str, int)) and not isinstance(value, bool) else ""


def _number(value) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def _lonlat(point) -> str:
    return "—" if point is None else f"{point[1]:.6f}, {point[0]:.6f}"


def _angle(original, computed) -> str:
    if original is None and computed is None:
        return "—"
    text = f"{original:.1f}°" if original is not None else "—"
    return text + (f" (computed {computed:.1f}°)" if computed is not None else "")
