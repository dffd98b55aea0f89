"""One filter model for every Mapillary layer: matching records, saving, summaries, coverage expressions.

Dates are calendar dates in the user's local time zone, both ends inclusive.
`tz` is a tzinfo, an IANA name, or None for the machine's zone (then no time
zone database is needed). Pure: no QGIS, no network, no clock read while matching.
"""

from __future__ import annotations

import calendar
import math
import os
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta, timezone, tzinfo
from typing import Callable, Dict, List, Optional, Tuple, Union
from zoneinfo import ZoneInfo

from .records import ImageRecord, MapFeatureRecord, SequenceRecord
from .session_store import stored_time

PANORAMAS = ("all", "only", "exclude")
MAX_RELATIVE = 1000  # "last N units": what the dock offers
UNITS = ("days", "months", "years")
GROUPS = ("regulatory--", "warning--", "information--", "complementary--", "object--", "marking--", "construction--")
OTHER_GROUP = "other"
COVERAGE_LAYERS = ("overview", "sequence", "image", "point", "traffic_sign")

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_MS = timedelta(milliseconds=1)
TimeZone = Union[tzinfo, str, None]
Bounds = Tuple[Optional[int], Optional[int]]


@dataclass(frozen=True)
class Filters:
    """What to show; every default means "no filter". See `image_matcher` and `feature_matcher`."""

    date_from: Optional[date] = None
    date_to: Optional[date] = None
    relative: Optional[Tuple[int, str]] = None  # (3, "months"): the last 3 months up to `now`
    panoramas: str = "all"
    creator_ids: Tuple[int, ...] = ()
    organization_ids: Tuple[int, ...] = ()
    sequence_ids: Tuple[str, ...] = ()
    angle_from: Optional[float] = None
    angle_to: Optional[float] = None
    feature_classes: Tuple[str, ...] = ()  # show only these; "regulatory--" or "regulatory--*": the group
    seen_from: Optional[date] = None
    seen_to: Optional[date] = None

    def __post_init__(self):
        if self.panoramas not in PANORAMAS:
            raise ValueError(f"panoramas must be one of {PANORAMAS}, not {self.panoramas!r}")
        if self.relative is not None and not _valid_relative(self.relative):
            raise ValueError(f"relative must be (N >= 1, one of {UNITS}), not {self.relative!r}")


def time_bounds(filters: Filters, tz: TimeZone = None, now: Optional[datetime] = None) -> Bounds:
    """Inclusive epoch-ms capture-time bounds (None: open) from the dates and the relative form.

    Both forms apply together (the later start wins). "Last N months/years"
    goes back on the calendar from `now` (default: the current time),
    clamping the day of the month (May 31 minus 3 months is February 29).
    """
    zone = _zone(tz)
    lo, hi = _date_bounds(filters.date_from, filters.date_to, zone)
    if filters.relative is not None:
        try:
            start = _ms(_minus(_local_now(now, zone), *filters.relative))
        except (OverflowError, OSError, ValueError):  # before year 1: no bound
            start = None
        if start is not None:
            lo = start if lo is None else max(lo, start)
    return lo, hi


def image_matcher(filters: Filters, tz: TimeZone = None, now: Optional[datetime] = None
                  ) -> Callable[[Union[ImageRecord, SequenceRecord]], bool]:
    """A predicate for image and sequence records.

    A record with no capture time (`captured_at` 0 or None) fails any date
    filter; a missing `is_pano` counts as not a panorama; a missing creator,
    organization or compass angle fails that filter. For sequences
    `sequence_ids` is compared with their `id` and the angle does not apply.
    """
    first, last = _open(*time_bounds(filters, tz, now))
    checks: List[Callable] = []
    if (first, last) != (-math.inf, math.inf):
        checks.append(lambda r: bool(r.captured_at) and first <= r.captured_at <= last)
    if filters.panoramas == "only":
        checks.append(lambda r: r.is_pano is True)
    elif filters.panoramas == "exclude":
        checks.append(lambda r: not r.is_pano)
    if filters.creator_ids:
        creators = frozenset(filters.creator_ids)
        checks.append(lambda r: r.creator_id in creators)
    if filters.organization_ids:
        organizations = frozenset(filters.organization_ids)
        checks.append(lambda r: r.organization_id in organizations)
    if filters.sequence_ids:
        sequences = frozenset(filters.sequence_ids)
        checks.append(lambda r: (r.id if isinstance(r, SequenceRecord) else r.sequence_id) in sequences)
    if filters.angle_from is not None or filters.angle_to is not None:
        within = _angle_test(filters.angle_from, filters.angle_to)
        checks.append(lambda r: isinstance(r, SequenceRecord) or (r.compass_angle is not None
                                                                  and within(r.compass_angle % 360)))
    return _all(checks)


def feature_matcher(filters: Filters, tz: TimeZone = None, now: Optional[datetime] = None
                    ) -> Callable[[MapFeatureRecord], bool]:
    """A predicate for map features and traffic signs: `feature_classes` and the seen range.

    A feature passes the seen range when it was seen within it: its
    [first_seen_at, last_seen_at] interval overlaps the inclusive local dates
    (a missing end is taken equal to the other; with neither it fails).
    Capture dates and the relative form do not apply; `now` is accepted for
    a uniform call.
    """
    checks: List[Callable] = []
    exact, prefixes = _split_classes(filters.feature_classes)
    if exact or prefixes:
        checks.append(lambda f: f.value in exact or f.value.startswith(prefixes))
    first, last = _open(*_date_bounds(filters.seen_from, filters.seen_to, _zone(tz)))
    if (first, last) != (-math.inf, math.inf):

        def seen(f: MapFeatureRecord) -> bool:
            start = f.first_seen_at if f.first_seen_at is not None else f.last_seen_at
            end = f.last_seen_at if f.last_seen_at is not None else f.first_seen_at
            return start is not None and start <= last and end >= first

        checks.append(seen)
    return _all(checks)


def sql_where(filters: Filters, table: str, tz: TimeZone = None, now: Optional[datetime] = None) -> str:
    """The filters as an SQLite WHERE condition on a session-store table (`core/session_store.py`); "" for none.

    The same decisions as `image_matcher` / `feature_matcher`, on the stored
    values: date-times are ISO 8601 UTC text of one form, which sorts as the
    times do (`session_store.stored_time`), ids are 64-bit integers. QGIS hands the condition to the
    GeoPackage as it is (a layer's subset string), so a filter change
    re-adds no feature.
    """
    if table in ("map_features", "traffic_signs"):
        return _feature_sql(filters, tz)
    if table not in ("images", "sequences"):
        raise ValueError(f"not a store table: {table!r}")
    terms = []
    first, last = time_bounds(filters, tz, now)
    if (first, last) != (None, None):
        terms.append(_time_sql("captured_at", first, last))
    if filters.panoramas == "only":
        terms.append('"is_pano" = 1')
    elif filters.panoramas == "exclude":
        terms.append('COALESCE("is_pano", 0) = 0')
    if filters.creator_ids:
        terms.append(f'"creator_id" IN ({", ".join(str(int(i)) for i in sorted(set(filters.creator_ids)))})')
    if filters.organization_ids:
        terms.append(f'"organization_id" IN ({", ".join(str(int(i)) for i in sorted(set(filters.organization_ids)))})')
    if filters.sequence_ids:
        key = "id" if table == "sequences" else "sequence_id"
        terms.append(f'"{key}" IN ({", ".join(map(_sql_text, sorted(set(filters.sequence_ids))))})')
    if table == "images" and (filters.angle_from is not None or filters.angle_to is not None):
        terms.append(_angle_sql(filters.angle_from, filters.angle_to))
    return " AND ".join(terms)


def _feature_sql(filters: Filters, tz: TimeZone) -> str:
    terms = []
    exact, prefixes = _split_classes(filters.feature_classes)
    if exact or prefixes:
        classes = ([f'"value" IN ({", ".join(map(_sql_text, sorted(exact)))})'] if exact else [])
        classes += [f'substr("value", 1, {len(p)}) = {_sql_text(p)}' for p in sorted(set(prefixes))]
        terms.append(classes[0] if len(classes) == 1 else f"({' OR '.join(classes)})")
    first, last = _date_bounds(filters.seen_from, filters.seen_to, _zone(tz))
    if (first, last) != (None, None):
        start, end = 'COALESCE("first_seen_at", "last_seen_at")', 'COALESCE("last_seen_at", "first_seen_at")'
        seen = [f"{start} IS NOT NULL"]
        if last is not None:
            seen.append(f"{start} <= {_iso_bound(last, upper=True)}")
        if first is not None:
            seen.append(f"{end} >= {_iso_bound(first, upper=False)}")
        terms.append(" AND ".join(seen))
    return " AND ".join(terms)


def _time_sql(column: str, first: Optional[int], last: Optional[int]) -> str:
    terms = [f'"{column}" IS NOT NULL']
    if first is not None:
        terms.append(f'"{column}" >= {_iso_bound(first, upper=False)}')
    if last is not None:
        terms.append(f'"{column}" <= {_iso_bound(last, upper=True)}')
    return " AND ".join(terms)


_STORED_FIRST_MS, _STORED_LAST_MS = 1, 253402300799999  # what the store can hold (0 is "unknown": NULL)


def _iso_bound(ms: int, upper: bool) -> str:
    """An ISO UTC text literal comparing with the stored text as `ms` with the stored times."""
    ms = min(max(ms, _STORED_FIRST_MS - 1), _STORED_LAST_MS + 1)
    if ms < _STORED_FIRST_MS:
        return "''"  # before anything stored: any text is >= ''
    if ms > _STORED_LAST_MS:
        return "'A'"  # after anything stored: digits sort before letters
    return f"'{stored_time(ms)}'"


def _angle_sql(first: Optional[float], last: Optional[float]) -> str:
    """The compass test of `_angle_test` on `compass_angle % 360` (a real remainder, as Python's)."""
    rest = '("compass_angle" - 360.0 * CAST("compass_angle" / 360.0 AS INTEGER))'
    angle = f"(CASE WHEN {rest} < 0 THEN {rest} + 360.0 ELSE {rest} END)"
    lo, hi = _or(first, 0.0) % 360, _or(last, 360.0)
    if hi == 360:
        test = f"({angle} >= {lo!r} OR {angle} = 0)"
    else:
        hi = hi % 360
        test = f"({angle} BETWEEN {lo!r} AND {hi!r})" if lo <= hi else f"({angle} >= {lo!r} OR {angle} <= {hi!r})"
    return f'"compass_angle" IS NOT NULL AND {test}'


def _sql_text(text: str) -> str:
    return "'" + str(text).replace("'", "''") + "'"


def is_active(filters: Filters) -> bool:
    """Whether any filter is set."""
    return filters != Filters()


def summary(filters: Filters) -> str:
    """Short text such as "2015-07-01 – 2015-07-31 · panoramas only · 2 creators"; "" with no filter."""
    f = filters
    parts = [_range_text(f.date_from, f.date_to)]
    if f.relative:
        n, unit = f.relative
        parts.append(f"last {n} {unit[:-1] if n == 1 else unit}")
    parts.append({"only": "panoramas only", "exclude": "no panoramas"}.get(f.panoramas, ""))
    parts += [_count(len(f.creator_ids), "creator"), _count(len(f.organization_ids), "organization"),
              _count(len(f.sequence_ids), "sequence")]
    if f.angle_from is not None or f.angle_to is not None:
        parts.append(f"compass {_or(f.angle_from, 0):g}°–{_or(f.angle_to, 360):g}°")
    parts.append(_count(len(f.feature_classes), "class", "classes"))
    seen = _range_text(f.seen_from, f.seen_to)
    parts.append(f"seen {seen}" if seen else "")
    return " · ".join(p for p in parts if p)


def to_dict(filters: Filters) -> dict:
    """The set filters as JSON-safe values (dates ISO, ids as strings); `{}` with no filter."""
    out: Dict[str, object] = {}
    for field in fields(Filters):
        value = getattr(filters, field.name)
        if value == field.default:
            continue
        if isinstance(value, date):
            value = value.isoformat()
        elif isinstance(value, tuple):
            value = [v if isinstance(v, str) else str(v) for v in value] if field.name.endswith("_ids") else list(value)
        out[field.name] = value
    return out


def from_dict(data) -> Filters:
    """`Filters` from `to_dict` output; unknown keys and bad values are ignored, never raised."""
    parse = {"date_from": _date, "date_to": _date, "seen_from": _date, "seen_to": _date, "creator_ids": _ids,
             "organization_ids": _ids, "sequence_ids": _strings, "feature_classes": _strings, "angle_from": _angle,
             "angle_to": _angle, "panoramas": lambda v: v if v in PANORAMAS else "all",
             "relative": lambda v: tuple(v) if isinstance(v, list) and len(v) == 2 and _valid_relative(v)
             and v[0] <= MAX_RELATIVE else None}
    data = data if isinstance(data, dict) else {}
    values = {name: read(data.get(name)) for name, read in parse.items()}
    if (values["angle_from"] is None) != (values["angle_to"] is None):  # half a range is no range
        values["angle_from"] = values["angle_to"] = None
    return Filters(**values)


def coverage_expression(filters: Filters, layer: str) -> Optional[str]:
    """A QGIS filter expression for a coverage vector-tile `layer`, None when nothing applies to it.

    Only `is_pano`, the sequence id and map-feature `value`s, which QGIS
    decodes right on every supported version; see `coverage_unsupported`.
    """
    if layer not in COVERAGE_LAYERS:
        raise ValueError(f"not a coverage layer: {layer!r}")
    parts = []
    if layer in ("point", "traffic_sign"):
        exact, prefixes = _split_classes(filters.feature_classes)
        terms = ([f'"value" IN ({", ".join(map(quote, sorted(exact)))})'] if exact else [])
        terms += [_prefix_term(p) for p in prefixes]
        if terms:
            parts.append(terms[0] if len(terms) == 1 else f"({' OR '.join(terms)})")
    else:
        if filters.panoramas != "all":
            parts.append('"is_pano"' if filters.panoramas == "only" else 'NOT coalesce("is_pano", false)')
        if filters.sequence_ids:
            key = "id" if layer == "sequence" else "sequence_id"
            parts.append(f'"{key}" IN ({", ".join(map(quote, filters.sequence_ids))})')
    return " AND ".join(parts) or None


def coverage_unsupported(filters: Filters) -> List[str]:
    """The set filters coverage layers do not apply: 64-bit ids and times QGIS truncates, angles not on every layer."""
    f = filters
    checks = (("dates", f.date_from or f.date_to or f.relative), ("creators", f.creator_ids),
              ("organizations", f.organization_ids),
              ("compass angle", f.angle_from is not None or f.angle_to is not None),
              ("seen range", f.seen_from or f.seen_to))
    return [name for name, active in checks if active]


def feature_groups(values) -> Dict[str, List[str]]:
    """Classes grouped by prefix (`regulatory--` …, else "other"), first-seen order, no repeats."""
    groups: Dict[str, List[str]] = {}
    for value in dict.fromkeys(values):
        prefix = next((g for g in GROUPS if value.startswith(g)), OTHER_GROUP)
        groups.setdefault(prefix, []).append(value)
    return groups


def quote(text: str) -> str:
    """A QGIS string literal (as `QgsExpression.quotedString`)."""
    text = str(text).replace("'", "''").replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t")
    return f"'{text}'"


# -- helpers -------------------------------------------------------------------------------


def _zone(tz: TimeZone) -> Optional[tzinfo]:
    """A tzinfo; None stays None (the machine's zone) unless its IANA name can be found."""
    if isinstance(tz, str):
        return ZoneInfo(tz)
    return tz if tz is not None else machine_zone()


def machine_zone() -> Optional[tzinfo]:
    """The machine's zone as a ZoneInfo when its IANA name is known (exact across DST); else None.

    The C library's rules (the None fallback) put a midnight that DST skips
    at the wrong hour on some systems (America/Sao_Paulo, 2018-11-04).
    """
    name = os.environ.get("TZ", "").lstrip(":")
    if not name:
        try:
            link = os.path.realpath("/etc/localtime")
            name = link.split("zoneinfo/", 1)[1] if "zoneinfo/" in link else ""
        except OSError:
            name = ""
    try:
        return ZoneInfo(name) if name else None
    except (ValueError, OSError, LookupError):
        return None


def _ms(moment: datetime) -> int:
    """Epoch ms; a naive `moment` is local time of the machine (DST-aware through the C library)."""
    if moment.tzinfo is None:
        moment = moment.astimezone(timezone.utc)
    return (moment - _EPOCH) // _MS


def _date_bounds(first: Optional[date], last: Optional[date], zone: Optional[tzinfo]) -> Bounds:
    """Inclusive ms of local dates; fold 0 puts a midnight skipped by DST at the day's real start."""
    def midnight(day: date) -> Optional[int]:
        try:
            return _ms(datetime(day.year, day.month, day.day, tzinfo=zone))
        except (OverflowError, ValueError, OSError):  # before 1970 on some systems, or past 9999: open
            return None

    def last_ms(day: date) -> Optional[int]:
        if day >= date.max:
            return None
        end = midnight(day + timedelta(days=1))
        return None if end is None else end - 1

    return (midnight(first) if first else None), (last_ms(last) if last else None)


def _local_now(now: Optional[datetime], zone: Optional[tzinfo]) -> datetime:
    """`now` as wall time in `zone` (naive when `zone` is the machine's)."""
    if now is None:
        return datetime.now(zone)
    if now.tzinfo is None:
        return now.replace(tzinfo=zone)
    return now.astimezone(zone) if zone else now.astimezone().replace(tzinfo=None)


def _minus(moment: datetime, n: int, unit: str) -> datetime:
    """Calendar arithmetic on wall time: days, or months/years with the day of the month clamped."""
    if unit == "days":
        return moment - timedelta(days=n)
    months = moment.year * 12 + moment.month - 1 - (n * 12 if unit == "years" else n)
    year, month = divmod(months, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def _valid_relative(value) -> bool:
    n, unit = value
    return type(n) is int and n >= 1 and unit in UNITS


def _angle_test(first: Optional[float], last: Optional[float]) -> Callable[[float], bool]:
    lo, hi = _or(first, 0.0) % 360, _or(last, 360.0)
    if hi == 360:  # up to and including north: 0° is 360°
        return lambda a: a >= lo or a == 0
    hi = hi % 360
    if lo <= hi:
        return lambda a: lo <= a <= hi
    return lambda a: a >= lo or a <= hi  # through north


def _split_classes(classes) -> Tuple[frozenset, Tuple[str, ...]]:
    """(exact values, prefixes): entries ending with `--*` or `--` name a group."""
    exact, prefixes = set(), []
    for entry in classes:
        if entry.endswith("*") or entry.endswith("--"):
            prefixes.append(entry.rstrip("*"))
        else:
            exact.add(entry)
    return frozenset(exact), tuple(prefixes)


def _prefix_term(prefix: str) -> str:
    if any(c in prefix for c in "%_\\"):  # LIKE wildcards; QGIS versions differ on escaping them
        return f'left("value", {len(prefix)}) = {quote(prefix)}'
    return f'"value" LIKE {quote(prefix + "%")}'


def _open(lo: Optional[int], hi: Optional[int]) -> Tuple[float, float]:
    return -math.inf if lo is None else lo, math.inf if hi is None else hi


def accept_all(_record) -> bool:
    """The matcher of no filter at all (callers may skip calling it: `keep is accept_all`)."""
    return True


def _all(checks: List[Callable]) -> Callable[[object], bool]:
    if len(checks) <= 1:
        return checks[0] if checks else accept_all
    return lambda record: all(check(record) for check in checks)


def _or(value, default):
    return default if value is None else value


def _range_text(first: Optional[date], last: Optional[date]) -> str:
    if first and last:
        return f"{first.isoformat()} – {last.isoformat()}"
    return f"from {first.isoformat()}" if first else f"until {last.isoformat()}" if last else ""


def _count(n: int, one: str, many: str = "") -> str:
    return "" if not n else f"{n} {one if n == 1 else many or one + 's'}"


# readers of saved values: None or empty when the value is not what `to_dict` writes


def _date(value) -> Optional[date]:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _ids(value) -> Tuple[int, ...]:
    items = value if isinstance(value, list) else []
    return tuple(int(v) for v in items
                 if (type(v) is int and v >= 0) or (isinstance(v, str) and v.isascii() and v.isdigit() and len(v) < 21))


def _strings(value) -> Tuple[str, ...]:
    return tuple(v.strip() for v in value if isinstance(v, str) and v.strip()) if isinstance(value, list) else ()


def _angle(value) -> Optional[float]:
    return float(value) if type(value) in (int, float) and math.isfinite(value) and 0 <= value <= 360 else None
