"""What every Mapillary algorithm shares: the area, the filters, the token, the tile pipeline, the sink.

The records come from the same `TileSource` (and tile cache) as the layers,
and are filtered by the same `core.filters` model. The token is never a
parameter and never appears in feedback or history.
"""

from __future__ import annotations

from contextlib import ExitStack
from datetime import date
from operator import attrgetter
from pathlib import Path
from typing import Callable, Optional, Tuple

from qgis.core import (
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsFeatureRequest,
    QgsFeatureSink,
    QgsGeometry,
    QgsPoint,
    QgsProcessing,
    QgsProcessingAlgorithm,
    QgsProcessingException,
    QgsProcessingParameterEnum,
    QgsProcessingParameterExtent,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterString,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from qgis.PyQt.QtGui import QIcon

from ..client import Client
from ..core.creators import CreatorDirectory
from ..core.filters import PANORAMAS, Filters, accept_all
from ..core.gc_pause import gc_paused
from ..core.gpkg import GeoPackageError
from ..core.records import merge_unique
from ..core.tile_cache import TileCache
from ..core.tile_source import AreaTooLargeError, TileSource
from ..core.tilemath import tile_count
from ..core.tilesets import MAX_ZOOM
from ..errors import MapillaryError
from ..paths import resource
from ..qgis_glue import options
from ..qgis_glue.exact_layers import ExactSpec, features, fields_of
from ..qgis_glue.token_store import TokenStore
from . import exact_times, outputs

EXTENT, AREA, OUTPUT = "EXTENT", "AREA", "OUTPUT"
START_DATE, END_DATE, PANORAMAS_PARAM, CREATOR, ORGANIZATION_ID = (
    "START_DATE", "END_DATE", "PANORAMAS", "CREATOR", "ORGANIZATION_ID",
)
MAX_TILES = 400  # z14 tiles per run: about 40 × 40 km at mid latitudes
FETCH_WORKERS = 16
LOAD_SHARE = 90  # percent of the progress bar for loading tiles; the rest is writing
WGS84 = QgsCoordinateReferenceSystem("EPSG:4326")
ICON_PATH = str(resource("icons", "mapillary.svg"))


def tr(text: str) -> str:
    return QCoreApplication.translate("MapillaryProcessing", text)


NO_TOKEN = QT_TRANSLATE_NOOP(
    "MapillaryProcessing",
    "No Mapillary access token. Set the environment variable MAPILLARY_ACCESS_TOKEN, "
    "or save your token in the Mapillary panel (Account tab) with the QGIS authentication database unlocked.")


def cache_dir() -> Path:
    """The plugin's caches, in the QGIS profile next to QGIS's own: tiles, thumbnails, certificate authorities."""
    return Path(QgsApplication.qgisSettingsDirPath()) / "cache" / "mapillary_qgis"


def tile_cache_dir() -> Path:
    """Where tiles are cached (the plugin's layers use it too)."""
    return cache_dir() / "tiles"


def mapillary_client() -> Client:
    """A client with `MAPILLARY_ACCESS_TOKEN`, else the plugin's or the stored token; never prompts."""
    store = TokenStore()
    if store.from_environment or not Client.get_token():
        store.load()  # reads the auth database only when it is already unlocked
    token = Client.get_token()
    if not token:
        raise QgsProcessingException(tr(NO_TOKEN))
    return Client(token)


def comma_list(text: str) -> list:
    return [part.strip() for part in text.split(",") if part.strip()]


class Area:
    """The region asked for, in EPSG:4326: its bounding box for the tiles, a prepared geometry for the test."""

    def __init__(self, geometry: QgsGeometry):
        self.geometry = geometry
        box = geometry.boundingBox()
        self.bbox = (box.xMinimum(), box.yMinimum(), box.xMaximum(), box.yMaximum())
        # An extent in EPSG:4326 is its own bounding box: points are tested by comparison, not by GEOS.
        self.is_box = geometry.isGeosEqual(QgsGeometry.fromRect(box))
        self._engine = QgsGeometry.createGeometryEngine(geometry.constGet())
        self._engine.prepareGeometry()

    def contains(self, geometry: QgsGeometry) -> bool:
        return self._engine.intersects(geometry.constGet())

    def contains_point(self, lon: float, lat: float) -> bool:
        """Whether the point is inside or on the edge."""
        if self.is_box:
            west, south, east, north = self.bbox
            return west <= lon <= east and south <= lat <= north
        return self._engine.intersects(QgsPoint(lon, lat))

    def points_inside(self, records: list) -> list:
        """The records (with `lon` and `lat`) that `contains_point` accepts."""
        if not self.is_box:
            return [r for r in records if self.contains_point(r.lon, r.lat)]
        west, south, east, north = self.bbox
        return [r for r in records if west <= r.lon <= east and south <= r.lat <= north]


HELP_URL = "https://github.com/mapillary-qgis/mapillary_qgis#processing-algorithms"
# What the parameters several algorithms share mean (each algorithm adds its own in PARAMETER_HELP).
PARAMETER_HELP = {
    "EXTENT": QT_TRANSLATE_NOOP("MapillaryProcessing", "The area to load, in any CRS (or give AREA)."),
    "AREA": QT_TRANSLATE_NOOP("MapillaryProcessing", "Polygons: only what lies inside them (instead of EXTENT)."),
    "START_DATE": QT_TRANSLATE_NOOP("MapillaryProcessing",
                                    "First capture day, an ISO date such as 2015-07-11, in local time."),
    "END_DATE": QT_TRANSLATE_NOOP("MapillaryProcessing", "Last capture day, inclusive, in local time."),
    "PANORAMAS": QT_TRANSLATE_NOOP("MapillaryProcessing", "0 all images, 1 panoramas only, 2 no panoramas."),
    "CREATOR": QT_TRANSLATE_NOOP("MapillaryProcessing", "Usernames or ids, comma separated (looked up once)."),
    "ORGANIZATION_ID": QT_TRANSLATE_NOOP("MapillaryProcessing", "Organization ids, comma separated."),
    "INPUT": QT_TRANSLATE_NOOP("MapillaryProcessing", "A layer of Mapillary images, e.g. the output of Images."),
    "ID_FIELD": QT_TRANSLATE_NOOP("MapillaryProcessing", "The field that holds the image ids (default: id)."),
    "OUTPUT": QT_TRANSLATE_NOOP("MapillaryProcessing", "Where to write the result (a GeoPackage, or temporary)."),
}


class MapillaryAlgorithm(QgsProcessingAlgorithm):
    """Base of the Mapillary algorithms: names, help, and the shared parameters and steps."""

    NAME = DISPLAY_NAME = HELP = ""

    def id_source(self, parameters, context, source_name: str, field_name: str):
        """(source, id field name) of an input layer of Mapillary images; a plain error when unusable."""
        source = self.parameterAsSource(parameters, source_name, context)
        if source is None:
            raise QgsProcessingException(self.invalidSourceError(parameters, source_name))
        id_field = self.parameterAsString(parameters, field_name, context) or "id"
        if source.fields().indexOf(id_field) < 0:
            raise QgsProcessingException(tr("The input has no field {!r} of image ids.").format(id_field))
        return source, id_field

    def name(self) -> str:
        return self.NAME

    def displayName(self) -> str:  # noqa: N802 (QGIS API)
        return tr(self.DISPLAY_NAME)

    EXAMPLE = ""  # a qgis_process command line
    PARAMETER_HELP: dict = {}

    def shortHelpString(self) -> str:  # noqa: N802 (QGIS API)
        """What it does, each parameter (label, name, meaning) and an example, as the dialog's help pane shows."""
        lines = [f"<p>{tr(self.HELP)}</p>", f"<h3>{tr('Parameters')}</h3>", "<ul>"]
        for parameter in self.parameterDefinitions():
            meaning = self.PARAMETER_HELP.get(parameter.name()) or PARAMETER_HELP.get(parameter.name(), "")
            lines.append(f"<li><b>{parameter.description()}</b> (<code>{parameter.name()}</code>)"
                         f"{': ' + tr(meaning) if meaning else ''}</li>")
        lines.append("</ul>")
        if self.EXAMPLE:
            lines += [f"<h3>{tr('Example')}</h3>", f"<p><code>{self.EXAMPLE}</code></p>"]
        lines.append("<p>{}</p>".format(tr("Uses MAPILLARY_ACCESS_TOKEN or the token saved in the Mapillary panel; "
                                           "never writes it to the history or the log.")))
        return "\n".join(lines)

    def helpUrl(self) -> str:  # noqa: N802 (QGIS API)
        """The README's section on the algorithms (the Help button of the dialog and the modeler)."""
        return HELP_URL

    def icon(self) -> QIcon:
        return QIcon(ICON_PATH)

    def createInstance(self):  # noqa: N802 (QGIS API)
        return type(self)()

    def processAlgorithm(self, parameters, context, feedback) -> dict:  # noqa: N802 (QGIS API)
        self.client = mapillary_client()
        return self.process(parameters, context, feedback)

    def process(self, parameters, context, feedback) -> dict:
        """The algorithm's work, with `self.client` ready."""
        raise NotImplementedError

    # -- parameters --------------------------------------------------------------------------

    def add_area_parameters(self) -> None:
        self.addParameter(QgsProcessingParameterExtent(EXTENT, tr("Extent"), optional=True))
        self.addParameter(QgsProcessingParameterFeatureSource(
            AREA, tr("Area (polygons; only features inside them)"),
            [QgsProcessing.SourceType.TypeVectorPolygon], optional=True))

    def add_image_filter_parameters(self) -> None:
        for name, label in ((START_DATE, tr("Captured from (date, e.g. 2015-07-11, local time, inclusive)")),
                            (END_DATE, tr("Captured until (date, e.g. 2015-07-31, local time, inclusive)"))):
            self.addParameter(QgsProcessingParameterString(name, label, optional=True))
        self.addParameter(QgsProcessingParameterEnum(
            PANORAMAS_PARAM, tr("Panoramas"), [tr("All images"), tr("Panoramas only"), tr("No panoramas")],
            defaultValue=0))
        self.addParameter(QgsProcessingParameterString(
            CREATOR, tr("Creators (usernames or ids, comma separated)"), optional=True))
        self.addParameter(QgsProcessingParameterString(
            ORGANIZATION_ID, tr("Organization ids (comma separated)"), optional=True))

    def add_output(self, description: str, kind) -> None:
        self.addParameter(QgsProcessingParameterFeatureSink(OUTPUT, description, kind))

    # -- reading them ------------------------------------------------------------------------

    def area(self, parameters, context) -> Area:
        """EXTENT (any CRS), AREA polygons, or where both overlap; in EPSG:4326."""
        geometry = None
        if not self.parameterAsExtent(parameters, EXTENT, context).isNull():
            geometry = self.parameterAsExtentGeometry(parameters, EXTENT, context, WGS84)
        source = self.parameterAsSource(parameters, AREA, context)
        if source is not None:
            request = QgsFeatureRequest().setSubsetOfAttributes([]).setDestinationCrs(
                WGS84, context.transformContext())
            polygons = QgsGeometry.unaryUnion([f.geometry() for f in source.getFeatures(request) if f.hasGeometry()])
            geometry = polygons if geometry is None else polygons.intersection(geometry)
        if geometry is None:
            raise QgsProcessingException(tr("Give an extent or an area (a polygon layer)."))
        if geometry.isEmpty():
            raise QgsProcessingException(tr("The area is empty: no polygon, or none inside the extent."))
        return Area(geometry)

    def image_filters(self, parameters, context, feedback) -> Filters:
        """Dates, panoramas, creators (usernames looked up) and organizations as one `Filters`."""
        first = self._date(parameters, START_DATE, context)
        last = self._date(parameters, END_DATE, context)
        if first and last and first > last:
            raise QgsProcessingException(tr("The start date {} is after the end date {}.").format(first, last))
        organizations = comma_list(self.parameterAsString(parameters, ORGANIZATION_ID, context))
        if not all(o.isdigit() for o in organizations):
            raise QgsProcessingException(tr("Organization ids are numbers, separated by commas."))
        return Filters(
            date_from=first, date_to=last,
            panoramas=PANORAMAS[self.parameterAsEnum(parameters, PANORAMAS_PARAM, context)],
            creator_ids=self._creators(self.parameterAsString(parameters, CREATOR, context), feedback),
            organization_ids=tuple(int(o) for o in organizations),
        )

    def _date(self, parameters, name: str, context) -> Optional[date]:
        text = self.parameterAsString(parameters, name, context).strip()
        try:
            return date.fromisoformat(text) if text else None
        except ValueError:
            raise QgsProcessingException(
                tr("{}: {!r} is not a date such as 2015-07-11.").format(name, text)) from None

    def _creators(self, text: str, feedback) -> Tuple[int, ...]:
        names = comma_list(text)
        if not names:
            return ()
        try:
            resolved, unknown = CreatorDirectory(self.client).resolve(names)
        except MapillaryError as exc:
            raise QgsProcessingException(tr("The creators could not be looked up: {}").format(exc.message)) from None
        if unknown:
            feedback.reportError(tr("No Mapillary user is called {}: that name filters nothing.").format(
                ", ".join(unknown)), False)
        return tuple(sorted(set(resolved.values())))

    # -- tiles in, features out -------------------------------------------------------------

    def load_and_write(self, parameters, context, feedback, spec: ExactSpec, tileset: str, area: Area,
                       keep: Callable) -> dict:
        """The records of `spec` over the area that `keep` accepts, as features (exact ids, UTC times) in OUTPUT.

        The output is made while the first tiles are on their way. A new GeoPackage table of points
        gets each tile's rows while later tiles are still loading (one SQLite transaction,
        `core/gpkg.py`); any other output gets them through QGIS's sink once all tiles are in.
        """
        output = _Output(self, parameters, context, spec, keep, area)
        try:
            with output:
                result = self.load(tileset, spec.tile_layer, area, feedback,
                                   on_tile=output.add_tile if spec.geometry == "Point" else None,
                                   meanwhile=output.open)
                output.open()  # when no tile was asked for (a cancelled run still gets its output)
        except GeoPackageError as exc:
            raise QgsProcessingException(tr("The features could not be written: {}").format(exc)) from None
        written = output.write_to_sink(result)
        feedback.setProgress(100)
        feedback.pushInfo(tr("{} features written.").format(written))
        return {OUTPUT: output.dest}

    def load(self, tileset: str, layer: str, area: Area, feedback, on_tile=None, meanwhile=None):
        """`TileSource.load` of one tile layer over the area, via the tile cache; failed tiles reported,
        not fatal. With `on_tile`, each tile goes there as it comes (see `TileSource.load`)."""
        return self._load(tileset, layer, tile_count(*area.bbox, z=MAX_ZOOM), feedback,
                          lambda source, **kw: source.load_bbox(tileset, area.bbox, [layer], MAX_TILES, **kw),
                          on_tile=on_tile, meanwhile=meanwhile)

    def load_tiles(self, tileset: str, layer: str, tiles: list, feedback):
        """The same for a list of tiles (places far apart need only the tiles around each)."""
        if len(tiles) > MAX_TILES:
            raise QgsProcessingException(tr(
                "The features need {} tiles at zoom 14; at most {} can be loaded at once. "
                "Run it on fewer features.").format(len(tiles), MAX_TILES))
        return self._load(tileset, layer, len(tiles), feedback,
                          lambda source, **kw: source.load(tileset, tiles, [layer], **kw))

    def _load(self, tileset: str, layer: str, total: int, feedback, run, **options_):
        # Sixteen requests in flight: an area of many tiles is bound by the network's latency, not by us.
        settings = options.read()  # the cache limits of Settings > Options > Mapillary
        cache = TileCache(tile_cache_dir(), settings.tile_cache_bytes, settings.tile_cache_age_s)
        source = TileSource(self.client, cache, max_workers=FETCH_WORKERS)
        try:
            # No cyclic garbage collection meanwhile: the records hold no cycles, and collections between
            # tiles would each walk the tens of thousands made since the last one (measured 8-14 ms a run).
            with gc_paused():
                result = run(source, cancelled=feedback.isCanceled,
                             progress=lambda done, count: feedback.setProgress(LOAD_SHARE * done / count),
                             **{k: v for k, v in options_.items() if v is not None})
        except AreaTooLargeError as exc:
            raise QgsProcessingException(exc.message) from None
        finally:
            source.close()
        if result.fatal is not None:
            raise QgsProcessingException(result.fatal.message)
        loaded = len(result.tiles)
        if result.failures:
            reason = next(iter(result.failures.values())).message
            if not loaded and not result.cancelled:
                raise QgsProcessingException(tr("No Mapillary tile could be loaded: {}").format(reason))
            message = tr("{} of {} tiles could not be loaded; the output holds the other {}. First error: {}")
            feedback.reportError(message.format(len(result.failures), total, loaded, reason), False)
        if result.cancelled:
            feedback.pushInfo(tr("Cancelled: the output holds the {} of {} tiles loaded before.").format(loaded, total))
        else:
            feedback.pushInfo(tr("{} tiles loaded ({} from the cache).").format(loaded, result.from_cache))
        return result


class _Output:
    """OUTPUT of `load_and_write`: made once (`open`), then fed tile by tile (`add_tile`), in a `with` block.

    Points for a new GeoPackage table go straight into it as each tile arrives; for any other output
    the tiles are kept and written through QGIS's sink after the block (`write_to_sink`).
    """

    def __init__(self, algorithm: MapillaryAlgorithm, parameters, context, spec: ExactSpec, keep: Callable,
                 area: Area):
        self.algorithm, self.parameters, self.context, self.spec, self.keep, self.area = (
            algorithm, parameters, context, spec, keep, area)
        self.fields = fields_of(spec)
        self.dest: Optional[str] = None
        self.sink = None  # QGIS's sink, when the rows are not written directly
        self.writer = None  # outputs.point_writer, when the rows go straight into a GeoPackage
        self._stack = ExitStack()
        self._seen: set = set()  # ids written already
        self._arrived: dict = {}  # tile -> records, for the sink

    def __enter__(self) -> _Output:
        self._stack.__enter__()
        return self

    def __exit__(self, *exc) -> bool:
        return self._stack.__exit__(*exc)

    def open(self) -> None:
        """Create the file and its table (QGIS's writer, every option of the destination); once."""
        if self.dest is not None:
            return
        sink, self.dest = self.algorithm.parameterAsSink(
            self.parameters, OUTPUT, self.context, self.fields, QgsWkbTypes.parseType(self.spec.geometry), WGS84)
        if sink is None:
            raise QgsProcessingException(self.algorithm.invalidSinkError(self.parameters, OUTPUT))
        geopackage = None
        if self.spec.geometry == "Point":
            geopackage = outputs.geopackage(self.dest, self.parameters.get(OUTPUT))
        if geopackage is None:
            self.sink = sink
            return
        del sink  # closed: the file and its table exist now
        self.writer = self._stack.enter_context(outputs.point_writer(geopackage, self.spec))

    def add_tile(self, tile, decoded: dict) -> None:
        """One tile's points, in the order tiles arrive; an id written before is not written again."""
        records = decoded.get(self.spec.tile_layer, ())
        if self.writer is None:
            self._arrived[tile] = records
            return
        seen = self._seen
        records = [r for r in records if r.id not in seen]
        if self.keep is not accept_all:
            records = list(filter(self.keep, records))
        records = self.area.points_inside(records)
        seen.update(map(attrgetter("id"), records))
        self.writer.add(records)

    def write_to_sink(self, result) -> int:
        """How many features the output holds; for QGIS's sink, the records written now, exact times restored."""
        if self.writer is not None:
            return self.writer.count
        if self.spec.geometry == "Point":  # each id once, in the order of the tiles
            records = merge_unique([self._arrived[tile] for tile in result.tiles if tile in self._arrived])
        else:
            records = result.records.get(self.spec.tile_layer, [])
        records = [r for r in records if self.keep(r)]
        kept = [f for f in features(self.spec, records, self.fields) if self.area.contains(f.geometry())]
        sink, self.sink = self.sink, None
        if not sink.addFeatures(kept, QgsFeatureSink.Flag.FastInsert):
            raise QgsProcessingException(tr("The features could not be written: {}").format(sink.lastError()))
        del sink  # closes a file output, so that its date-times can be made exact
        exact_times.restore(self.dest, self.fields, kept)
        return len(kept)
