"""Applies the one filter model to every Mapillary layer, and keeps it in the project.

Exact layers are filtered in Python on exact values (`LiveLayers.set_filters`).
Coverage layers get QGIS style filters only on what QGIS decodes right on
every version (panoramas, sequence ids, classes); what they cannot apply
(dates, creators, organizations, angles on QGIS ≤ 3.40, whose decoder
truncates 64-bit integers) is said plainly. Creator usernames are resolved
to ids with one Graph request each, in the background, and cached.
"""

from __future__ import annotations

import dataclasses
import json

from qgis.core import QgsProject, QgsVectorTileBasicRenderer
from qgis.PyQt.QtCore import QCoreApplication, QObject, pyqtSignal

from ..core.creators import CreatorDirectory
from ..core.filters import (
    Filters,
    coverage_expression,
    coverage_unsupported,
    from_dict,
    is_active,
    summary,
    to_dict,
)
from .coverage import COVERAGE, LAYER_KEY_PROPERTY
from .live_layers import LiveLayers
from .signals import disconnect
from .tasks import CallableTask, run_in_background

SCOPE, ENTRY = "mapillary_qgis", "filters"


def tr(text: str) -> str:
    return QCoreApplication.translate("Filtering", text)


def filtered_renderer(key: str, filters: Filters) -> QgsVectorTileBasicRenderer:
    """The coverage layer's shipped style with the filters QGIS can apply to it added to each style rule."""
    renderer = COVERAGE[key].renderer()
    styles = []
    for style in renderer.styles():
        extra = coverage_expression(filters, style.layerName())
        if extra:
            base = style.filterExpression()
            style.setFilterExpression(f"({base}) AND ({extra})" if base else extra)
        styles.append(style)
    renderer.setStyles(styles)
    return renderer


class Filtering(QObject):
    """`changed(summary, note)` after filters were applied: for the dock's summary and plain notes."""

    changed = pyqtSignal(str, str)

    def __init__(self, live: LiveLayers, directory: CreatorDirectory, project: QgsProject | None = None,
                 parent: QObject | None = None):
        super().__init__(parent)
        self.live = live
        self.directory = directory
        self.project = project or QgsProject.instance()
        self.filters = Filters()
        self.creator_names: tuple[str, ...] = ()
        self._task: CallableTask | None = None
        self.project.layersAdded.connect(self._style_new_layers)

    def _style_new_layers(self, layers) -> None:
        """A coverage layer turned on later gets the filters too."""
        if not is_active(self.filters):
            return
        for layer in layers:
            key = layer.customProperty(LAYER_KEY_PROPERTY)
            if key in COVERAGE:
                layer.setRenderer(filtered_renderer(key, self.filters))

    def request(self, filters: Filters, creator_names: tuple[str, ...]) -> None:
        """Apply filters from the dock; usernames are looked up first (off the GUI thread)."""
        if self._task is not None:
            self._task.forget()
        if not creator_names:
            self.apply(filters, (), [])
            return
        self._task = CallableTask(tr("Looking up Mapillary users"),
                                  lambda task: self.directory.resolve(creator_names),
                                  lambda result, error: self._resolved(filters, creator_names, result, error))
        run_in_background(self._task)

    def _resolved(self, filters: Filters, names: tuple[str, ...], result, error) -> None:
        self._task = None
        if error is not None:  # the rest of the filters still apply; the creators wait for a new try
            message = getattr(error, "message", tr("an unexpected error"))
            self.apply(filters, ())
            self.changed.emit(summary(self.filters),
                              tr("The creators could not be looked up, so they do not filter yet: {}").format(message))
            return
        resolved, unknown = result
        ids = tuple(sorted(set(resolved.values())))
        self.apply(dataclasses.replace(filters, creator_ids=ids), names, unknown)

    def apply(self, filters: Filters, creator_names: tuple[str, ...] = (), unknown=(), save: bool = True) -> None:
        restyle = is_active(filters) or is_active(self.filters)  # with no filter, a user's own style stays
        self.filters, self.creator_names = filters, tuple(creator_names)
        self.live.set_filters(filters)
        for layer in self.project.mapLayers().values():
            key = layer.customProperty(LAYER_KEY_PROPERTY)
            if key in COVERAGE and restyle:
                renderer = filtered_renderer(key, filters)
                layer.setRenderer(renderer)
                shipped = [style.filterExpression() for style in COVERAGE[key].renderer().styles()]
                narrowed = [style.filterExpression() for style in renderer.styles()] != shipped
                layer.setName(COVERAGE[key].name + (tr(" (filtered)") if narrowed else ""))
                layer.triggerRepaint()
        if save:
            self.save()
        notes = []
        if unknown:
            notes.append(tr("No Mapillary user is called {}: that name filters nothing.").format(", ".join(unknown)))
        has_coverage = any(layer.customProperty(LAYER_KEY_PROPERTY) in COVERAGE
                           for layer in self.project.mapLayers().values())
        missing = coverage_unsupported(filters) if has_coverage else []
        if missing:
            notes.append(tr("The coverage layers cannot filter by {}; the exact layers are filtered.")
                         .format(", ".join(missing)))
        self.changed.emit(summary(filters), " ".join(notes))

    # -- the project ----------------------------------------------------------------------

    def save(self) -> None:
        entry = {"filters": to_dict(self.filters), "creator_names": list(self.creator_names)}
        self.project.writeEntry(SCOPE, ENTRY, json.dumps(entry))

    def restore(self, *args) -> None:
        """Read the filters saved in the project (none: no filter) and apply them."""
        text, found = self.project.readEntry(SCOPE, ENTRY, "")
        try:
            entry = json.loads(text) if found and text else {}
        except ValueError:
            entry = {}
        entry = entry if isinstance(entry, dict) else {}
        names = entry.get("creator_names")
        names = names if isinstance(names, list) else []
        self.apply(from_dict(entry.get("filters") or {}), tuple(str(n) for n in names if isinstance(n, str)),
                   save=False)

    def shutdown(self) -> None:
        disconnect((self.project.layersAdded, self._style_new_layers))
        if self._task is not None:
            self._task.forget()
            self._task = None
