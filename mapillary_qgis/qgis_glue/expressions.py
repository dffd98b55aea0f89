"""The "Mapillary" group of QGIS expression functions: links, pictures and details of images.

Registered by the plugin in initGui and removed in unload. Each may run in a
render thread, in a layout export or on the GUI thread (a map tip): they call
no widget and never ask for the master password (the token is the one the
plugin read at start); their waiting is bounded by `core.picture_lookup`.
A function that has no answer returns NULL and says why in the expression's
error, which QGIS shows in the expression builder's preview.
"""

from __future__ import annotations

from qgis.core import QgsExpression, QgsExpressionFunction
from qgis.PyQt.QtCore import QCoreApplication

from ..core.picture_lookup import PictureLookup, viewer_link

GROUP = "Mapillary"
WAIT_S = 10.0  # the longest a picture or details may take before NULL (render threads, layout exports)


def tr(text: str) -> str:
    return QCoreApplication.translate("MapillaryExpressions", text)


def image_map_tip() -> str:
    """The map tip of the exact images layer: the picture (from the cache, else asked for in the background and
    shown at the next hover: a map tip is drawn on the GUI thread, which must not wait), the capture time and a
    link. Saved with the layer in projects; the functions it calls exist while the plugin is loaded."""
    loading = tr("Loading the picture… hover again in a moment.").replace("'", "''")
    link = tr("Open in Mapillary").replace("'", "''")
    return (
        "<div style=\"width: 260px\">"
        "[% with_variable('mly_picture', try(mapillary_thumbnail(\"id\", 256, false), NULL), "
        f"CASE WHEN @mly_picture IS NULL THEN '<p><i>{loading}</i></p>' "
        "ELSE '<img src=\"file:///' || regexp_replace(replace(@mly_picture, '\\\\', '/'), '^/+', '') "
        "|| '\" width=\"256\">' "
        "END) %]"
        "<p><b>[% format_date(\"captured_at\", 'yyyy-MM-dd HH:mm') %] UTC</b><br>"
        f"<a href=\"[% mapillary_url(\"id\") %]\">{link}</a></p></div>"
    )


def _help(name: str, summary: str, arguments: list[tuple[str, str]], examples: list[tuple[str, str]]) -> str:
    """Help in the layout of QGIS's own functions (the expression builder's right-hand pane)."""
    args = "".join(f"<tr><td class=\"argument\">{a}</td><td>{d}</td></tr>" for a, d in arguments)
    syntax = ", ".join(f"<span class=\"argument\">{a}</span>" for a, _ in arguments)
    samples = "".join(f"<li><code>{e}</code> → {r}</li>" for e, r in examples)
    return (f"<h3>{name}</h3><div class=\"description\"><p>{summary}</p></div>"
            f"<h4>Syntax</h4><div class=\"syntax\"><code><span class=\"functionname\">{name}</span>({syntax})"
            f"</code></div><h4>Arguments</h4><div class=\"arguments\"><table>{args}</table></div>"
            f"<h4>Examples</h4><div class=\"examples\"><ul>{samples}</ul></div>")


def _parameters(*specs) -> list:
    parameters = []
    for spec in specs:
        name, default = spec if isinstance(spec, tuple) else (spec, None)
        if default is None:
            parameters.append(QgsExpressionFunction.Parameter(name))
        else:
            parameters.append(QgsExpressionFunction.Parameter(name, True, default))
    return parameters


class _Function(QgsExpressionFunction):
    """A plain function of its arguments: no geometry, no feature, NULL in gives NULL out."""

    def __init__(self, name: str, parameters: list, help_text: str, call):
        super().__init__(name, parameters, GROUP, help_text)
        self._call = call

    def func(self, values, context, parent, node):  # noqa: D401 (QGIS API)
        if not values or values[0] is None or _is_null(values[0]):
            return None
        value, error = self._call(*values)
        if error:
            parent.setEvalErrorString(error)
        return value

    def usesGeometry(self, node) -> bool:  # noqa: N802 (QGIS API)
        return False

    def isStatic(self, node, parent, context) -> bool:  # noqa: N802 (QGIS API)
        return False  # a picture may arrive between two evaluations


def _is_null(value) -> bool:
    return hasattr(value, "isNull") and value.isNull()


class MapillaryFunctions:
    """The functions, on `lookup` (a PictureLookup the plugin owns)."""

    def __init__(self, lookup: PictureLookup):
        self._lookup = lookup
        self._functions: list[_Function] = []

    def functions(self) -> list[_Function]:
        url = _Function("mapillary_url", _parameters("image_id"), _help(
            "mapillary_url", tr("The address of an image in the Mapillary web app."),
            [("image_id", tr("the image's Mapillary id, as a number or as text"))],
            [("mapillary_url(178993950747668)", "'https://www.mapillary.com/app/?pKey=178993950747668'")]),
            lambda image_id: self._url(image_id))
        thumbnail = _Function("mapillary_thumbnail", _parameters("image_id", ("size", 1024), ("wait", True)), _help(
            "mapillary_thumbnail", tr(
                "The path of the image's picture on disk, downloaded once and cached by id and size (the same "
                "cache as the Image tab's). For a picture item of a print layout, a form's image widget or a map "
                "tip. NULL while it cannot be had (no token, no such image, no network), with the reason in the "
                "expression's error."),
            [("image_id", tr("the image's Mapillary id")),
             ("size", tr("256, 1024 (default) or 2048 pixels wide")),
             ("wait", tr("true (default): wait up to 10 s for a download; false: answer at once, NULL until the "
                          "picture has arrived (map tips)"))],
            [("mapillary_thumbnail(\"image_id\", 1024)",
              tr("'/home/…/thumbnails/thumb_1024/…/178993950747668.jpg'"))]),
            lambda image_id, size=1024, wait=True: self._thumbnail(image_id, size, wait))
        details = _Function("mapillary_image_details", _parameters("image_id", "field"), _help(
            "mapillary_image_details", tr(
                "One field of the image's details from Mapillary's Graph API, fetched once a session: make, "
                "model, creator.username, captured_at (milliseconds since 1970, UTC), compass_angle, "
                "camera_type, sequence, is_pano, height, width. NULL when the image or the field is unknown."),
            [("image_id", tr("the image's Mapillary id")),
             ("field", tr("the Graph field; a nested one with a dot: 'creator.username'"))],
            [("mapillary_image_details(\"image_id\", 'make')", "'GoPro'"),
             ("mapillary_image_details(\"image_id\", 'creator.username')", "'mapper'")]),
            lambda image_id, field: self._detail(image_id, field))
        return [url, thumbnail, details]

    def register(self) -> None:
        for function in self.functions():
            if QgsExpression.isFunctionName(function.name()):
                QgsExpression.unregisterFunction(function.name())  # a reloaded plugin's old ones
            if QgsExpression.registerFunction(function):
                self._functions.append(function)  # kept alive: QGIS holds only a pointer

    def unregister(self) -> None:
        for function in self._functions:
            QgsExpression.unregisterFunction(function.name())
        self._functions.clear()

    # -- the calls --------------------------------------------------------------------------

    @staticmethod
    def _url(image_id):
        link = viewer_link(image_id)
        return (link, "") if link else (None, tr("not a Mapillary image id"))

    def _thumbnail(self, image_id, size, wait):
        size = None if _is_null(size) or size is None else size
        waits = wait is None or _is_null(wait) or bool(wait)
        answer = self._lookup.thumbnail_path(image_id, 1024 if size is None else size, WAIT_S if waits else 0.0)
        if answer.pending and not waits:
            return None, ""  # asked not to wait: NULL until it has arrived, no error (that would fail a map tip)
        return answer.value, answer.error

    def _detail(self, image_id, field):
        if field is None or _is_null(field):
            return None, tr("name a field of the image, for example 'make'")
        answer = self._lookup.detail(image_id, str(field), WAIT_S)
        return answer.value, answer.error
