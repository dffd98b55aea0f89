"""Fuzz: the Image tab shows broken Graph answers (an image's details, a map feature) without raising.

The details come as the Graph requests hand them over (an object, its `id` a
string) but with wrong types, missing or null fields, nested garbage and huge
numbers (`tests/graph_json.py`). Hypothesis runs a fixed number of examples,
derandomized. The panel's collaborators are real; their client points at a
closed port, so the pictures the panel asks for fail at once.
"""

import socket

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mapillary_qgis.client import Client
from mapillary_qgis.core.tile_source import TileSource
from mapillary_qgis.gui.image_panel import ImagePanel
from mapillary_qgis.qgis_glue.image_controller import ImageController
from mapillary_qgis.qgis_glue.images import ImageService
from tests.graph_json import json_values, mutated, real_answers

FUZZ = settings(max_examples=150, derandomize=True, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                       HealthCheck.data_too_large])
REAL = real_answers()


def as_graph_hands_it_over(value):
    """What `core.graph.entity_details` returns for an answer: an object with a string `id`."""
    details = dict(value) if isinstance(value, dict) else {}
    details["id"] = str(details.get("id", "1234"))
    return details


def answers(name):
    return st.one_of(mutated(REAL[name]), json_values).map(as_graph_hands_it_over)


@pytest.fixture(scope="module")
def closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}"


@pytest.fixture
def panel(qtbot, closed_port):
    client = Client("MLY|1|0123456789abcdef0123456789abcdef", graph_url=closed_port, tiles_url=closed_port,
                    max_retries=0, timeout=(1, 1))
    controller = ImageController(ImageService(client, TileSource(client), None))
    widget = ImagePanel(controller, on_set_token=lambda: None, on_zoom=lambda details: None)
    qtbot.addWidget(widget)
    yield widget
    controller.shutdown()


@FUZZ
@given(details=answers("image"))
def test_image_details_are_shown(panel, details):
    panel.show_details(details)
    assert panel.details is details
    assert all(isinstance(label.text(), str) and label.text() for label in panel.values.values())


@FUZZ
@given(details=answers("feature"))
def test_map_features_are_shown(panel, details):
    panel.show_feature(details, [])
    assert panel.feature_label.text()
    assert all(isinstance(panel.strip.item(row).toolTip(), str) for row in range(panel.strip.count()))
