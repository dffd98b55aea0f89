"""The filter model: which images, sequences and map features pass, at the exact millisecond and across zones."""

import json
import os
import time
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from mapillary_qgis.core.filters import (
    Filters,
    accept_all,
    coverage_expression,
    coverage_unsupported,
    feature_groups,
    feature_matcher,
    from_dict,
    image_matcher,
    is_active,
    quote,
    summary,
    time_bounds,
    to_dict,
)
from mapillary_qgis.core.records import ImageRecord, MapFeatureRecord, SequenceRecord

LISBON, TOKYO, LOS_ANGELES = "Europe/Lisbon", "Asia/Tokyo", "America/Los_Angeles"
HOUR = 3_600_000


def utc(*args) -> int:
    """Epoch ms of a UTC date-time."""
    return int(datetime(*args, tzinfo=timezone.utc).timestamp() * 1000)


def local(zone, *args) -> int:
    """Epoch ms of a wall time in `zone` (fold 0)."""
    return int(datetime(*args, tzinfo=ZoneInfo(zone)).timestamp() * 1000)


def image(image_id, captured_at=None, **kwargs) -> ImageRecord:
    """An image, captured at `captured_at` (default mid-June 2020)."""
    return ImageRecord(image_id, -9.14, 38.71, utc(2020, 6, 15, 12) if captured_at is None else captured_at, **kwargs)


def passing(matcher, records) -> list:
    return [r.id for r in records if matcher(r)]


# -- capture dates ------------------------------------------------------------------------


def test_both_ends_inclusive_at_the_exact_millisecond():
    first = local(LISBON, 2015, 7, 1)  # WEST, UTC+1: 2015-06-30T23:00Z
    last = local(LISBON, 2015, 8, 1) - 1
    assert (first, last) == (utc(2015, 6, 30, 23), utc(2015, 7, 31, 23) - 1)
    images = [image(1, first - 1), image(2, first), image(3, last), image(4, last + 1), image(5, first + 10 * HOUR)]
    filters = Filters(date_from=date(2015, 7, 1), date_to=date(2015, 7, 31))
    assert time_bounds(filters, LISBON) == (first, last)
    assert passing(image_matcher(filters, LISBON), images) == [2, 3, 5]


def test_the_to_date_includes_its_whole_day():
    """iD and Rapid compared the "to" date with `>=` and dropped the last day: an image of that day passes here."""
    images = [
        image(1, local(LISBON, 2015, 7, 30, 9)),
        image(2, local(LISBON, 2015, 7, 31, 15, 30)),  # during the to-date
        image(3, local(LISBON, 2015, 7, 31, 23, 59, 59, 999000)),
        image(4, local(LISBON, 2015, 8, 1, 0, 30)),  # the day after
    ]
    assert passing(image_matcher(Filters(date_to=date(2015, 7, 31)), LISBON), images) == [1, 2, 3]
    assert passing(image_matcher(Filters(date_from=date(2015, 7, 31)), LISBON), images) == [2, 3, 4]


def test_the_same_dates_pass_different_images_in_different_zones():
    images = [
        image(1, utc(2021, 6, 15, 3)),  # Los Angeles: June 14, 20:00; Tokyo: June 15, 12:00
        image(2, utc(2021, 6, 15, 12)),  # Los Angeles: June 15, 05:00; Tokyo: June 15, 21:00
        image(3, utc(2021, 6, 15, 20)),  # Los Angeles: June 15, 13:00; Tokyo: June 16, 05:00
    ]
    filters = Filters(date_from=date(2021, 6, 15), date_to=date(2021, 6, 15))
    assert passing(image_matcher(filters, LOS_ANGELES), images) == [2, 3]
    assert passing(image_matcher(filters, TOKYO), images) == [1, 2]
    assert passing(image_matcher(filters, ZoneInfo(TOKYO)), images) == [1, 2]
    assert passing(image_matcher(filters, timezone.utc), images) == [1, 2, 3]


def test_daylight_saving_days_in_lisbon():
    spring = Filters(date_from=date(2021, 3, 28), date_to=date(2021, 3, 28))  # 23 hours
    lo, hi = time_bounds(spring, LISBON)
    assert (lo, hi) == (utc(2021, 3, 28), utc(2021, 3, 28, 23) - 1)
    images = [image(1, lo - 1), image(2, lo), image(3, utc(2021, 3, 28, 22, 59, 59, 999000)),
              image(4, utc(2021, 3, 28, 23, 30))]  # 00:30 WEST on the 29th
    assert passing(image_matcher(spring, LISBON), images) == [2, 3]

    autumn = Filters(date_from=date(2021, 10, 31), date_to=date(2021, 10, 31))  # 25 hours
    lo, hi = time_bounds(autumn, LISBON)
    assert (lo, hi) == (utc(2021, 10, 30, 23), utc(2021, 11, 1) - 1)
    assert hi - lo + 1 == 25 * HOUR
    images = [image(1, utc(2021, 10, 30, 22, 59, 59, 999000)), image(2, utc(2021, 10, 30, 23, 30)),
              image(3, utc(2021, 10, 31, 23, 59)), image(4, utc(2021, 11, 1))]  # 23:59 WET is still the 31st
    assert passing(image_matcher(autumn, LISBON), images) == [2, 3]


def test_a_midnight_skipped_by_daylight_saving_starts_the_day_at_one():
    # Sao Paulo, 2018-11-04: clocks jumped from 00:00 to 01:00 (-03 to -02)
    assert time_bounds(Filters(date_from=date(2018, 11, 4)), "America/Sao_Paulo") == (utc(2018, 11, 4, 3), None)
    assert time_bounds(Filters(date_to=date(2018, 11, 3)), "America/Sao_Paulo") == (None, utc(2018, 11, 4, 3) - 1)


@pytest.fixture
def machine_zone():
    """The machine's zone set to Lisbon for the test (TZ and tzset)."""
    if not hasattr(time, "tzset"):
        pytest.skip("time.tzset is not available here")
    old = os.environ.get("TZ")
    os.environ["TZ"] = LISBON
    time.tzset()
    yield
    if old is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = old
    time.tzset()


def test_no_zone_means_the_machines_zone_daylight_saving_included(machine_zone):
    for day in (date(2021, 3, 28), date(2021, 10, 31), date(2021, 7, 1)):
        filters = Filters(date_from=day, date_to=day)
        assert time_bounds(filters) == time_bounds(filters, LISBON)
    relative = Filters(relative=(1, "days"))
    # 12:00 on the 28th, WEST since 01:00 that day, is 11:00 UTC
    assert time_bounds(relative, now=datetime(2021, 3, 29, 12)) == (utc(2021, 3, 28, 11), None)  # naive: local
    aware_now = datetime(2021, 3, 29, 11, tzinfo=timezone.utc)  # 12:00 WEST
    assert time_bounds(relative, now=aware_now) == (utc(2021, 3, 28, 11), None)


def test_images_of_unknown_date_fail_every_date_filter_but_pass_without_one():
    unknown, dated = image(1, 0), image(2, utc(2020, 6, 15))
    for filters in (Filters(date_from=date(1960, 1, 1)), Filters(date_to=date(2030, 1, 1)),
                    Filters(relative=(100, "years"))):
        assert passing(image_matcher(filters, "UTC", now=datetime(2024, 1, 1)), [unknown, dated]) == [2]
    assert passing(image_matcher(Filters()), [unknown, dated]) == [1, 2]
    assert passing(image_matcher(Filters(panoramas="exclude")), [unknown, dated]) == [1, 2]
    sequence = SequenceRecord("s", (), captured_at=None)
    assert not image_matcher(Filters(date_to=date(2030, 1, 1)))(sequence)


# -- relative dates -------------------------------------------------------------------------


def test_last_three_months_from_a_fixed_now_clamps_the_month_end():
    now = datetime(2024, 5, 31, 12, tzinfo=ZoneInfo(LISBON))
    filters = Filters(relative=(3, "months"))
    lo, hi = time_bounds(filters, LISBON, now)
    assert (lo, hi) == (local(LISBON, 2024, 2, 29, 12), None)
    images = [image(1, lo - 1), image(2, lo), image(3, utc(2024, 5, 31, 11)), image(4, utc(2025, 1, 1))]
    assert passing(image_matcher(filters, LISBON, now), images) == [2, 3, 4]  # open "to"


def test_relative_days_and_years_and_a_naive_now():
    now = datetime(2024, 2, 29, 8, 30)  # naive: wall time in the zone given
    assert time_bounds(Filters(relative=(1, "years")), TOKYO, now)[0] == local(TOKYO, 2023, 2, 28, 8, 30)
    assert time_bounds(Filters(relative=(10, "days")), TOKYO, now)[0] == local(TOKYO, 2024, 2, 19, 8, 30)
    # across the spring change the wall time stays 12:00 (WEST, 11:00 UTC): 23 hours back, not 24
    spring_now = datetime(2021, 3, 29, 12, tzinfo=ZoneInfo(LISBON))
    assert time_bounds(Filters(relative=(1, "days")), LISBON, spring_now)[0] == utc(2021, 3, 28, 11)


def test_relative_and_dates_apply_together_and_the_clock_is_read_only_without_now():
    now = datetime(2024, 5, 31, tzinfo=timezone.utc)
    both = Filters(date_from=date(2024, 4, 1), date_to=date(2024, 4, 30), relative=(3, "months"))
    assert time_bounds(both, "UTC", now) == (utc(2024, 4, 1), utc(2024, 5, 1) - 1)
    older = Filters(date_from=date(2020, 1, 1), relative=(3, "months"))
    assert time_bounds(older, "UTC", now) == (utc(2024, 2, 29), None)
    lo, _ = time_bounds(Filters(relative=(3, "months")), "UTC")
    assert time.time() * 1000 - 93 * 24 * HOUR < lo < time.time() * 1000 - 88 * 24 * HOUR


# -- other image filters --------------------------------------------------------------------


def test_compass_ranges_through_north_and_normal():
    angles = [355, 5, 350, 10, 0, 360, 180, 349.9, 10.1, None, -5]
    images = [image(i, compass_angle=a) for i, a in enumerate(angles)]
    through_north = image_matcher(Filters(angle_from=350, angle_to=10))
    assert [angles[i] for i in passing(through_north, images)] == [355, 5, 350, 10, 0, 360, -5]
    normal = image_matcher(Filters(angle_from=90, angle_to=180))
    images = [image(i, compass_angle=a) for i, a in enumerate([90, 135, 180, 89.9, 180.1, 0, None])]
    assert passing(normal, images) == [0, 1, 2]
    assert normal(SequenceRecord("s", ()))  # the angle does not apply to sequences


def test_combination_of_dates_panoramas_and_creator():
    july, august = local(LISBON, 2015, 7, 10), local(LISBON, 2015, 8, 10)
    images = [
        image(1, july, is_pano=True, creator_id=7),  # the only one to pass
        image(2, july, is_pano=False, creator_id=7),
        image(3, july, is_pano=None, creator_id=7),
        image(4, july, is_pano=True, creator_id=8),
        image(5, august, is_pano=True, creator_id=7),
        image(6, 0, is_pano=True, creator_id=7),
        image(7, july, is_pano=True, creator_id=None),
    ]
    filters = Filters(date_from=date(2015, 7, 1), date_to=date(2015, 7, 31), panoramas="only", creator_ids=(7, 9))
    assert passing(image_matcher(filters, LISBON), images) == [1]
    assert passing(image_matcher(Filters(panoramas="exclude")), images) == [2, 3]


def test_organizations_and_sequences_for_images_and_sequences():
    images = [image(1, organization_id=5, sequence_id="a"), image(2, organization_id=None, sequence_id="b"),
              image(3, organization_id=6, sequence_id=None)]
    assert passing(image_matcher(Filters(organization_ids=(5, 6))), images) == [1, 3]
    assert passing(image_matcher(Filters(sequence_ids=("b", "z"))), images) == [2]
    sequences = [SequenceRecord("a", (), is_pano=True, organization_id=5), SequenceRecord("b", (), is_pano=False)]
    matcher = image_matcher(Filters(sequence_ids=("b",), panoramas="exclude"))
    assert passing(matcher, sequences) == ["b"]


def test_nothing_matches_gives_an_empty_list():
    images = [image(1, creator_id=1), image(2, creator_id=2, captured_at=0)]
    assert passing(image_matcher(Filters(creator_ids=(3,))), images) == []
    assert passing(image_matcher(Filters(date_from=date(2030, 1, 1)), "UTC"), images) == []
    assert passing(image_matcher(Filters(creator_ids=(1,))), []) == []


def test_bad_values_are_refused_on_construction():
    for kwargs in ({"panoramas": "yes"}, {"relative": (0, "days")}, {"relative": (3, "weeks")}):
        with pytest.raises(ValueError):
            Filters(**kwargs)


# -- map features ---------------------------------------------------------------------------


def feature(feature_id, value="object--bench", first=None, last=None) -> MapFeatureRecord:
    return MapFeatureRecord(feature_id, 0.0, 0.0, value, first, last)


def test_feature_classes_exact_and_by_prefix():
    values = ["regulatory--stop--g1", "regulatory--no-entry--g1", "warning--pedestrians-crossing--g1",
              "information--parking--g1", "object--bench", "complementary--both-directions--g2"]
    features = [feature(i, v) for i, v in enumerate(values)]
    matcher = feature_matcher(Filters(feature_classes=("regulatory--stop--g1", "warning--*", "information--")))
    assert passing(matcher, features) == [0, 2, 3]
    assert passing(feature_matcher(Filters(feature_classes=("regulatory--",))), features) == [0, 1]
    assert passing(feature_matcher(Filters()), features) == [0, 1, 2, 3, 4, 5]
    assert passing(feature_matcher(Filters(feature_classes=("regulatory",))), features) == []  # not a prefix


def test_seen_range_keeps_features_seen_within_it():
    june_1, july_1 = utc(2020, 6, 1), utc(2020, 7, 1)
    features = [
        feature(1, first=utc(2020, 5, 1), last=june_1 - 1),  # last seen before: out
        feature(2, first=utc(2020, 5, 1), last=june_1),  # last seen on the first day: in
        feature(3, first=utc(2020, 6, 10), last=utc(2020, 6, 12)),  # inside
        feature(4, first=utc(2020, 5, 1), last=utc(2020, 8, 1)),  # spans the range: in
        feature(5, first=july_1 - 1, last=utc(2020, 7, 5)),  # first seen on the last ms: in
        feature(6, first=july_1, last=utc(2020, 7, 5)),  # first seen after: out
        feature(7, first=None, last=utc(2020, 6, 5)),  # one end known, inside
        feature(8, first=utc(2020, 8, 1), last=None),  # one end known, outside
        feature(9),  # never seen: out
    ]
    matcher = feature_matcher(Filters(seen_from=date(2020, 6, 1), seen_to=date(2020, 6, 30)), "UTC")
    assert passing(matcher, features) == [2, 3, 4, 5, 7]
    assert passing(feature_matcher(Filters(seen_from=date(2020, 7, 1)), "UTC"), features) == [4, 5, 6, 8]
    assert passing(feature_matcher(Filters(seen_to=date(2020, 5, 31)), "UTC"), features) == [1, 2, 4]
    # capture dates do not apply to map features
    assert passing(feature_matcher(Filters(date_from=date(2030, 1, 1))), features[:2]) == [1, 2]


# -- saving and summaries -------------------------------------------------------------------


FULL = Filters(
    date_from=date(2015, 7, 1), date_to=date(2015, 7, 31), relative=(3, "months"), panoramas="only",
    creator_ids=(2**62 + 1, 5), organization_ids=(2**53 + 3,), sequence_ids=("abc", "o'neil"),
    angle_from=350.0, angle_to=10.0, feature_classes=("regulatory--stop--g1", "warning--*"),
    seen_from=date(2020, 1, 1), seen_to=date(2020, 12, 31),
)


def test_to_dict_round_trips_through_json():
    data = json.loads(json.dumps(to_dict(FULL)))
    assert data["creator_ids"] == [str(2**62 + 1), "5"] and data["date_to"] == "2015-07-31"
    assert from_dict(data) == FULL
    assert to_dict(Filters()) == {} and from_dict({}) == Filters()
    assert from_dict(to_dict(Filters(panoramas="exclude"))) == Filters(panoramas="exclude")


@pytest.mark.parametrize("garbage", [None, [], "x", 42, {"relative": "x"}, {"panoramas": ["only"]},
                                     {"date_from": "2021-13-01", "angle_from": "n", "angle_to": float("nan")},
                                     {"relative": [0, "days"]}, {"relative": [True, "days"]},
                                     {"relative": [3, "weeks", 1]}, {"sequence_ids": "abc"},
                                     {"creator_ids": [1.5, "12a", True, -3, "9" * 5000, None]},
                                     {"feature_classes": {"a": 1}}, {"angle_from": 400, "unknown": 1}])
def test_from_dict_on_garbage_gives_no_filter(garbage):
    assert from_dict(garbage) == Filters()


def test_from_dict_keeps_the_good_keys_of_a_damaged_dict():
    data = {"panoramas": "exclude", "date_to": 20150731, "creator_ids": ["7", 8, "x"], "relative": [2, "years"]}
    assert from_dict(data) == Filters(panoramas="exclude", creator_ids=(7, 8), relative=(2, "years"))


def test_is_active_and_summary():
    assert not is_active(Filters()) and summary(Filters()) == ""
    short = Filters(date_from=date(2015, 7, 1), date_to=date(2015, 7, 31), panoramas="only", creator_ids=(1, 2))
    assert is_active(short)
    assert summary(short) == "2015-07-01 – 2015-07-31 · panoramas only · 2 creators"
    assert summary(FULL) == ("2015-07-01 – 2015-07-31 · last 3 months · panoramas only · 2 creators · "
                             "1 organization · 2 sequences · compass 350°–10° · 2 classes · "
                             "seen 2020-01-01 – 2020-12-31")
    assert summary(Filters(date_to=date(2015, 7, 31), relative=(1, "years"), panoramas="exclude")) == (
        "until 2015-07-31 · last 1 year · no panoramas")
    assert summary(Filters(seen_from=date(2020, 1, 1), angle_from=90)) == "compass 90°–360° · seen from 2020-01-01"


# -- coverage layers ------------------------------------------------------------------------


def test_coverage_expressions_for_image_layers():
    assert coverage_expression(Filters(panoramas="only"), "image") == '"is_pano"'
    assert coverage_expression(Filters(panoramas="exclude"), "sequence") == 'NOT coalesce("is_pano", false)'
    sequences = Filters(sequence_ids=("abc", "o'neil"))
    assert coverage_expression(sequences, "image") == "\"sequence_id\" IN ('abc', 'o''neil')"
    assert coverage_expression(sequences, "overview") == "\"sequence_id\" IN ('abc', 'o''neil')"
    assert coverage_expression(sequences, "sequence") == "\"id\" IN ('abc', 'o''neil')"
    both = Filters(panoramas="exclude", sequence_ids=("abc",))
    assert coverage_expression(both, "image") == "NOT coalesce(\"is_pano\", false) AND \"sequence_id\" IN ('abc')"
    assert coverage_expression(Filters(feature_classes=("object--bench",), creator_ids=(1,)), "image") is None


def test_coverage_expressions_for_map_feature_layers():
    classes = Filters(feature_classes=("warning--*", "regulatory--stop--g1", "information--"))
    expected = ("(\"value\" IN ('regulatory--stop--g1') OR \"value\" LIKE 'warning--%' "
                "OR \"value\" LIKE 'information--%')")
    assert coverage_expression(classes, "traffic_sign") == expected
    assert coverage_expression(classes, "point") == expected
    assert coverage_expression(Filters(feature_classes=("it's",)), "point") == "\"value\" IN ('it''s')"
    assert coverage_expression(Filters(feature_classes=("odd_--",)), "point") == "left(\"value\", 6) = 'odd_--'"
    assert coverage_expression(Filters(panoramas="only"), "point") is None
    for layer in ("overview", "sequence", "image", "point", "traffic_sign"):
        assert coverage_expression(Filters(), layer) is None
    with pytest.raises(ValueError):
        coverage_expression(Filters(), "images")


def test_quote_escapes_like_qgis():
    assert quote("o'neil") == "'o''neil'"
    assert quote("a\\b\n\t") == "'a\\\\b\\n\\t'"


def test_coverage_unsupported_names_what_coverage_layers_cannot_apply():
    assert coverage_unsupported(FULL) == ["dates", "creators", "organizations", "compass angle", "seen range"]
    assert coverage_unsupported(Filters(relative=(1, "days"), panoramas="only", sequence_ids=("a",))) == ["dates"]
    assert coverage_unsupported(Filters(panoramas="exclude", feature_classes=("object--bench",))) == []


def test_feature_groups_by_prefix():
    values = ["regulatory--stop--g1", "object--bench", "warning--x", "regulatory--stop--g1", "mystery",
              "information--parking--g1", "complementary--both--g2", "marking--discrete--arrow", "regulatory--yield"]
    assert feature_groups(values) == {
        "regulatory--": ["regulatory--stop--g1", "regulatory--yield"],
        "object--": ["object--bench"],
        "warning--": ["warning--x"],
        "other": ["mystery"],
        "information--": ["information--parking--g1"],
        "complementary--": ["complementary--both--g2"],
        "marking--": ["marking--discrete--arrow"],
    }
    assert feature_groups([]) == {}


def test_a_range_up_to_360_includes_north():
    from mapillary_qgis.core.filters import Filters, image_matcher
    from mapillary_qgis.core.records import ImageRecord

    match = image_matcher(Filters(angle_from=350, angle_to=360))
    angles = {a: match(ImageRecord(1, 0, 0, 1, compass_angle=a)) for a in (0.0, 349.9, 350.0, 359.9, 360.0, 10.0)}
    assert angles == {0.0: True, 349.9: False, 350.0: True, 359.9: True, 360.0: True, 10.0: False}


def test_extreme_dates_are_open_bounds_not_errors():
    from datetime import date

    from mapillary_qgis.core.filters import Filters, image_matcher, time_bounds
    from mapillary_qgis.core.records import ImageRecord

    assert time_bounds(Filters(date_to=date(9999, 12, 31)), tz="UTC")[1] is None
    assert image_matcher(Filters(date_from=date(1, 1, 1), date_to=date(9999, 12, 31)))(ImageRecord(1, 0, 0, 5))


def test_saved_garbage_never_breaks_a_project():
    from mapillary_qgis.core.filters import from_dict

    assert from_dict({"angle_from": 10}).angle_from is None  # half a range
    assert from_dict({"relative": [3_000_000_000, "days"]}).relative is None
    assert from_dict({"date_from": "0001-01-01"}).date_from is not None


def test_midnight_skipped_by_dst_in_the_machine_zone(monkeypatch):
    """Sao Paulo skipped midnight on 2018-11-04: the day started at 01:00 local, 03:00 UTC."""
    from datetime import date, datetime, timezone

    from mapillary_qgis.core.filters import Filters, time_bounds

    monkeypatch.setenv("TZ", "America/Sao_Paulo")
    start, _ = time_bounds(Filters(date_from=date(2018, 11, 4)))
    assert start == int(datetime(2018, 11, 4, 3, tzinfo=timezone.utc).timestamp() * 1000)


def test_no_filter_is_the_accept_all_matcher_that_callers_may_skip():
    assert image_matcher(Filters()) is accept_all and feature_matcher(Filters()) is accept_all
    assert accept_all(image(1)) is True
    panoramas = image_matcher(Filters(panoramas="only"))  # one check: the check itself, same answers
    assert panoramas is not accept_all
    assert [panoramas(image(1, is_pano=p)) for p in (True, False, None)] == [True, False, False]
    both = image_matcher(Filters(panoramas="only", creator_ids=(7,)))
    assert [both(image(1, is_pano=True, creator_id=c)) for c in (7, 8)] == [True, False]
