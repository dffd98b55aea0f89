"""Runs image look-ups in the background and tells the panel what to show.

Every request gets a number; an answer for anything but the latest request
is dropped, so a slow first click never overwrites a fast second one. A new
request also cancels the previous task.
"""

from __future__ import annotations

from qgis.PyQt.QtCore import QObject, QTimer, pyqtSignal
from qgis.PyQt.QtGui import QImage

from ..core.panorama import is_panorama
from ..errors import InvalidTokenError, MapillaryError, NetworkError, NotFoundError, RateLimitError
from .images import ImageService
from .tasks import CallableTask, run_in_background

THUMB_FIRST, THUMB_FULL = 256, 1024
PANO_FIRST, PANO_FULL = 1024, 2048  # a panorama shows a part of its picture: 256 px would be a blur
PLAY_INTERVAL_MS = 500  # playback: about two images a second (slower when the network is)
PLAY_AHEAD = 2  # playback: the next images fetched ahead
PLACE_PICTURES = 48  # the pictures fetched for a place's strip (the best; the count says how many see it)


def decoded(data: bytes) -> QImage:
    """The picture in `data` as a Format_RGB32 QImage (null when unreadable), decoded in the worker.

    Not on the GUI thread: Qt converts a large picture in pieces on the global thread pool, where the
    QGIS tasks run; a GUI thread that waits for those pieces while holding Python's lock, and tasks
    that wait for the lock, would wait for each other for ever. On a pool thread Qt converts in place.
    """
    image = QImage.fromData(data)
    if not image.isNull() and image.format() != QImage.Format.Format_RGB32:
        image = image.convertToFormat(QImage.Format.Format_RGB32)
    return image


def error_kind(error: Exception) -> str:
    for kind, cls in (("token", InvalidTokenError), ("not_found", NotFoundError),
                      ("rate_limited", RateLimitError), ("offline", NetworkError)):
        if isinstance(error, cls):
            return kind
    return "error"


class ImageController(QObject):
    busy = pyqtSignal(bool)
    shown = pyqtSignal(dict)  # the image's Graph details
    feature_shown = pyqtSignal(dict, list)  # a map feature's Graph details, its detections
    nothing = pyqtSignal()  # a click that hit no image
    thumbnail = pyqtSignal(str, QImage)  # image id, the picture (decoded in the worker: see `decoded`)
    failed = pyqtSignal(str, str)  # kind ("token", "not_found", "rate_limited", "offline", "error"), message
    place_shown = pyqtSignal(float, float, list)  # lon, lat, the images that see it (core/seeing.py), best first
    others_shown = pyqtSignal(str, list)  # image id, the images of other sequences at its place, oldest first
    playing = pyqtSignal(bool)  # playback started (True) or stopped (False)

    def __init__(self, service: ImageService, parent: QObject | None = None):
        super().__init__(parent)
        self.service = service
        self.full_size = THUMB_FULL  # the picture after the quick 256 px one: 1024 or 2048 (Options)
        self.current: dict | None = None
        self._generation = 0
        self._tasks: list[CallableTask] = []
        self._strip: CallableTask | None = None  # a feature's picture strip: outlives clicks on its images
        self._others: CallableTask | None = None  # "same place, other dates" of the image on show
        self.match = None  # the filters' image matcher (the plugin sets it): places and other dates obey it
        self._waiting = False  # the latest request is not answered yet
        self._pictured = 0  # the latest request whose image has a picture on its way to the panel
        self._sharp = 0  # the latest request whose image has had its full size
        self._play_timer = QTimer(self)
        self._play_timer.setInterval(PLAY_INTERVAL_MS)
        self._play_timer.timeout.connect(self._play_tick)

    # -- playback ---------------------------------------------------------------------

    def is_playing(self) -> bool:
        return self._play_timer.isActive()

    def toggle_play(self) -> None:
        if self.is_playing():
            self.stop_play()
        else:
            self.play()

    def play(self) -> None:
        """Walk forward along the sequence of the open image, an image each PLAY_INTERVAL_MS (or as soon
        as the last one and its quick picture are there), until its end, `stop_play`, or any other request.
        While it plays, only the quick size of each picture is fetched."""
        if self.current is None or self.is_playing():
            return
        self._play_timer.start()
        self.playing.emit(True)
        self._load_ahead(self.current)

    def stop_play(self) -> None:
        """Stop playback (Stop, a click on the map): the image it stopped on gets its full size."""
        if self._halt() and self.current is not None and not self._waiting and self._sharp != self._generation:
            self._load_thumbnails(self._generation, self.current)

    def _halt(self) -> bool:
        """Stop playback, before another request; whether it was playing."""
        if not self.is_playing():
            return False
        self._play_timer.stop()
        self.playing.emit(False)
        return True

    def _play_tick(self) -> None:
        if not self._waiting and self._pictured == self._generation:  # the last step is on show: take the next
            self._step(1)

    # -- requests ---------------------------------------------------------------------

    def identify(self, lon: float, lat: float, tolerance_m: float, feature_layers=(), match=None) -> None:
        """The nearest image (passing `match`), or map feature of `feature_layers` ((tileset, layer) pairs)."""
        self._halt()
        if self._strip is not None:
            self._strip.forget()
            self._strip = None
        self._run("Identifying Mapillary data", lambda task: self.service.identify_any(
            lon, lat, tolerance_m, feature_layers, match=match, cancelled=task.cancel_event))

    def thumbnails(self, image_ids, size: int = 256) -> None:
        """Small pictures for a strip (a map feature's images), each as it arrives.

        The strip has its own task: opening one of its images does not stop
        it; the next strip (or identify) does.
        """
        if self._strip is not None:
            self._strip.forget()

        def work(task):
            for image_id in image_ids:
                if task.cancel_event.is_set():
                    break
                try:
                    self.thumbnail.emit(str(image_id), decoded(self.service.thumbnail(image_id, size)))
                except MapillaryError:
                    continue  # one missing picture leaves a gap in the strip, nothing more
            return None

        self._strip = CallableTask("Loading Mapillary pictures", work, lambda result, error: None)
        run_in_background(self._strip)

    def images_of(self, lon: float, lat: float, max_distance: float = 30.0) -> None:
        """The images that see a place, best first (`place_shown`), then their pictures (`thumbnail`)."""
        self._halt()
        if self._strip is not None:
            self._strip.forget()
            self._strip = None
        match = self.match
        self._run("Finding the Mapillary images of a place", lambda task: ("place", lon, lat, self.service.images_of(
            lon, lat, max_distance, match=match, cancelled=task.cancel_event)))

    def open_image(self, image_id) -> None:
        self._halt()
        self._run("Loading a Mapillary image", lambda task: self.service.details(image_id))

    def step(self, step: int) -> None:
        """Show the previous (-1) or next (+1) image of the current one's sequence (playback stops)."""
        self._halt()
        self._step(step)

    def _step(self, step: int) -> None:
        current = self.current
        if current is None:
            return

        def work(task):
            neighbour = self.service.neighbour(current, step)
            return None if neighbour is None else self.service.details(neighbour)

        self._run("Loading a Mapillary image", work, keep_when_none=True)

    def _run(self, description: str, work, keep_when_none: bool = False) -> None:
        self.cancel()
        self._generation += 1
        generation = self._generation
        self._waiting = True
        self.busy.emit(True)
        task = CallableTask(description, work,
                            lambda details, error: self._answered(generation, details, error, keep_when_none))
        self._tasks.append(task)
        run_in_background(task)

    def _answered(self, generation: int, details, error, keep_when_none: bool) -> None:
        self._tasks = [t for t in self._tasks if t.running()]
        if generation != self._generation:
            return  # a later request wins
        self._waiting = False
        self.busy.emit(False)
        if error is not None:
            self._halt()
            self.failed.emit(error_kind(error), _message(error))
            return
        if details is None:
            self.stop_play()  # the end of the sequence: the last image sharpens
            if not keep_when_none:
                self.current = None
                self.nothing.emit()
            return
        if isinstance(details, tuple) and details[0] == "place":
            _, lon, lat, found = details
            self.place_shown.emit(lon, lat, found)
            self.thumbnails([item["id"] for item in found[:PLACE_PICTURES]])
            return
        if isinstance(details, tuple) and details[0] == "feature":
            self.feature_shown.emit(details[1], list(details[2]))
            return
        if isinstance(details, tuple):
            details = details[1]
        self.current = details
        self.shown.emit(details)
        self._load_thumbnails(generation, details)
        self._load_others(details)

    def _load_others(self, details: dict) -> None:
        """The same place at other dates, in the background: a slow answer never delays the picture."""
        if self._others is not None:
            self._others.forget()
        image_id, match = str(details.get("id")), self.match

        def done(found, error):
            self._others = None
            if error is None and found is not None and self.current is not None \
                    and str(self.current.get("id")) == image_id:
                self.others_shown.emit(image_id, found)

        self._others = CallableTask("Finding other dates of a Mapillary image", lambda task: self.service.other_dates(
            details, match=match, cancelled=task.cancel_event), done)
        run_in_background(self._others)

    def sizes(self, details: dict) -> tuple:
        """The picture sizes shown of an image, the quick one first: panoramas 1024 then 2048 px,
        other images 256 px then the full size (Options)."""
        return (PANO_FIRST, PANO_FULL) if is_panorama(details) else (THUMB_FIRST, self.full_size)

    def _load_thumbnails(self, generation: int, details: dict) -> None:
        """The quick size first, then the full one (only the quick one while playing; only the full one when
        the cache has it); then warm the cache with the neighbours."""
        image_id, (quick, full) = details["id"], self.sizes(details)
        playing = self.is_playing()
        steps = range(1, PLAY_AHEAD + 1) if playing else (-1, 1)

        def work(task):
            if playing:
                self._prefetch(details, steps, task)  # first: the next tick needs them more than this one
            cached = None if playing else self.service.cached_thumbnail(image_id, full)
            if cached is not None:
                self._deliver(generation, image_id, cached)
            else:
                for size in (quick,) if playing else (quick, full):
                    if task.cancel_event.is_set():
                        return None
                    self._deliver(generation, image_id, self.service.thumbnail(image_id, size))
            if not playing:
                self._sharp = generation
                self._prefetch(details, steps, task)  # the next click on prev/next shows at once
            return None

        task = CallableTask("Loading a Mapillary picture", work,
                            lambda result, error: self._thumbs_done(generation, error))
        self._tasks.append(task)
        run_in_background(task)

    def _prefetch(self, details: dict, steps, task) -> None:
        """Details and the picture of the images `steps` away (-1 the previous, 2 the one after next)."""
        for step in steps:
            try:
                neighbour = self.service.neighbour(details, step)
                if neighbour is None or task.cancel_event.is_set():
                    continue
                found = self.service.details(neighbour)  # what a step shows first: playing, the quick size;
                quick, full = self.sizes(found)  # otherwise panoramas the quick one, others the full one
                self.service.thumbnail(neighbour, quick if self.is_playing() or is_panorama(found) else full)
            except MapillaryError:
                pass  # only a prefetch: the step itself will say what is wrong

    def _load_ahead(self, details: dict) -> None:
        """When playback starts: the images ahead, before the first tick asks for them."""
        task = CallableTask("Loading Mapillary pictures ahead", lambda task: self._prefetch(
            details, range(1, PLAY_AHEAD + 1), task), lambda result, error: None)
        self._tasks.append(task)
        run_in_background(task)

    def _deliver(self, generation: int, image_id: str, data: bytes) -> None:
        if generation == self._generation:  # emitted from the worker: queued to the GUI thread
            self._pictured = generation
            self.thumbnail.emit(image_id, decoded(data))

    def _thumbs_done(self, generation: int, error) -> None:
        if error is not None and generation == self._generation:
            self._halt()  # playback would wait for this picture for ever
            self.failed.emit(error_kind(error), _message(error))

    def cancel(self) -> None:
        for task in self._tasks:
            task.forget()
        self._tasks = []

    def shutdown(self) -> None:
        self._halt()
        self._generation += 1
        self.cancel()
        if self._strip is not None:
            self._strip.forget()
            self._strip = None
        if self._others is not None:
            self._others.forget()
            self._others = None


def _message(error: Exception) -> str:
    if isinstance(error, MapillaryError):
        return error.message
    return "Something went wrong while loading the image; see the QGIS message log."
