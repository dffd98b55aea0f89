"""Human-readable labels for Mapillary classes and cameras."""

from __future__ import annotations

import re

_PART_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_VARIANT_RE = re.compile(r"^g[0-9]+$")  # the design variant ending sign classes: --g1, --g2
_PANORAMA = "Panorama (spherical)"
_CAMERAS = {
    "spherical": _PANORAMA,
    "equirectangular": _PANORAMA,
    "perspective": "Perspective",
    "fisheye": "Fisheye",
}


def feature_label(value: str) -> str:
    """`regulatory--stop--g1` -> `Regulatory: stop`; a value of another shape is returned as it is.

    Middle parts are joined with commas: `object--support--utility-pole` -> `Object: support, utility pole`.
    """
    parts = str(value).split("--")
    if len(parts) > 2 and _VARIANT_RE.match(parts[-1]):
        parts = parts[:-1]
    if len(parts) < 2 or not all(_PART_RE.match(part) for part in parts):
        return str(value)
    category = parts[0].replace("-", " ")
    return f"{category[:1].upper()}{category[1:]}: " + ", ".join(part.replace("-", " ") for part in parts[1:])


def camera_label(details: dict) -> str:
    """`Panorama (spherical)`, `Perspective`, `Fisheye` or `Unknown`, from `camera_type` (else `is_pano`)."""
    label = _CAMERAS.get(str(details.get("camera_type", "")).lower())
    if label is None and details.get("is_pano") is True:
        return _PANORAMA
    return label or "Unknown"


# Frequent map-feature and traffic-sign classes, offered in the class picker before any are loaded.
COMMON_CLASSES = (
    "regulatory--stop--g1", "regulatory--yield--g1", "regulatory--no-entry--g1", "regulatory--no-parking--g2",
    "regulatory--maximum-speed-limit-30--g1", "regulatory--maximum-speed-limit-50--g1",
    "regulatory--one-way-straight--g1", "regulatory--keep-right--g1",
    "warning--pedestrians-crossing--g1", "warning--children--g1", "warning--curve-left--g1",
    "warning--road-bump--g1", "warning--traffic-signals--g1",
    "information--parking--g1", "information--pedestrians-crossing--g1", "information--bus-stop--g1",
    "complementary--both-directions--g2", "complementary--chevron-left--g1",
    "object--street-light", "object--fire-hydrant", "object--bench", "object--junction-box",
    "object--traffic-light--general-upright", "object--support--utility-pole", "object--manhole",
    "object--bike-rack", "object--trash-can", "object--cctv-camera",
    "marking--discrete--crosswalk-zebra", "marking--continuous--solid",
)
