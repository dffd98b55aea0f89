"""Hypothesis strategies for Graph API answers, valid-looking and broken (the fuzz tests share them).

`json_values` is any JSON value, with the field names Mapillary uses so that
broken values land where the parsers look. `mutated` takes a real answer and
replaces, removes, nulls or wraps what sits at one place in it.
"""

import json

from hypothesis import strategies as st

from tests.fake_mapillary.dataset import DemoDataset
from tests.fake_mapillary.store import EntityStore

FIELD_NAMES = (
    "id", "data", "error", "code", "error_subcode", "message", "is_transient", "fbtrace_id", "geometry",
    "computed_geometry", "coordinates", "type", "captured_at", "compass_angle", "computed_compass_angle",
    "creator", "username", "make", "model", "camera_type", "is_pano", "sequence", "organization", "images",
    "object_value", "first_seen_at", "last_seen_at", "value", "image", "created_at", "thumb_256_url",
    "thumb_1024_url", "width", "height",
)
HUGE_NUMBERS = (10**400, -(10**400), 2**64, -(2**63) - 1, 1e308, -1e308, 5e-324, 2**53 + 1)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from(HUGE_NUMBERS),
    st.floats(allow_nan=False),  # JSON has no NaN; Python's json reads "Infinity", so infinities stay
    st.text(max_size=30),
    st.sampled_from(["", "0", "-1", "2021-05-22T15:20:45+0000", "9999-99-99T99:99:99+9999", "MLY|x|y"]),
)
points = st.fixed_dictionaries({"type": st.sampled_from(["Point", "LineString", ""]),
                                 "coordinates": st.one_of(st.lists(scalars, max_size=3), scalars)})
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        points,
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(FIELD_NAMES), st.text(max_size=8)), inner, max_size=5),
    ),
    max_leaves=12,
)


def places(value, path=()):
    """Every path (tuple of keys and indexes) in a JSON value, the root first."""
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from places(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from places(item, (*path, index))


def _replace(value, path, new):
    if not path:
        return new
    copy = dict(value) if isinstance(value, dict) else list(value)
    copy[path[0]] = _replace(value[path[0]], path[1:], new)
    return copy


def _remove(value, path):
    copy = dict(value) if isinstance(value, dict) else list(value)
    if len(path) == 1:
        del copy[path[0]]
    else:
        copy[path[0]] = _remove(value[path[0]], path[1:])
    return copy


@st.composite
def mutated(draw, original):
    """`original` with one to three places replaced by garbage, nulled, wrapped in a list or removed."""
    value = original
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(list(places(value))))
        how = draw(st.sampled_from(["replace", "null", "wrap", "remove"]))
        if how == "remove" and path:
            value = _remove(value, path)
        elif how == "replace":
            value = _replace(value, path, draw(json_values))
        elif how == "null":
            value = _replace(value, path, None)
        else:
            value = _replace(value, path, [_get(value, path)])
    return value


def _get(value, path):
    for key in path:
        value = value[key]
    return value


def deep(depth: int, kind: str = "list") -> bytes:
    """A JSON document nested `depth` levels deep, in lists or objects (past Python's recursion limit when large)."""
    if kind == "list":
        return ("[" * depth + "]" * depth).encode()
    return ('{"data":' * depth + "1" + "}" * depth).encode()


def dumps(value) -> bytes:
    return json.dumps(value).encode()


def real_answers() -> dict:
    """Real answers of the fake's Graph API: an image, a map feature, images, detections, a sequence's ids."""
    dataset = DemoDataset()
    store = EntityStore()
    store.add_dataset(dataset)
    image = store.images[str(dataset.images[0].id)]
    feature = store.map_features[str(dataset.traffic_signs[0].id)]
    with_detections = next(key for key, found in store.detections.items() if found and key in store.images)
    return {
        "image": image,
        "feature": feature,
        "images": {"data": [store.images[str(i.id)] for i in dataset.images[:3]]},
        "detections": {"data": store.detections[with_detections]},
        "image_ids": {"data": [{"id": i} for i in store.sequences[dataset.sequences[0].id][:5]]},
    }
