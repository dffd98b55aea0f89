"""A faithful local fake of the Mapillary API v4 (Graph and vector tiles) for tests and demos."""

from .dataset import DEMO_BBOX, DEMO_CENTER, DemoDataset
from .server import DEMO_TOKEN, FakeMapillary, RecordedRequest

__all__ = ["DEMO_BBOX", "DEMO_CENTER", "DEMO_TOKEN", "DemoDataset", "FakeMapillary", "RecordedRequest"]
