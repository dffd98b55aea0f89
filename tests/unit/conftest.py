"""Unit-test fixtures: a clean Client state around each test, and a Client on the fake."""

import pytest

from mapillary_qgis.client import Client


@pytest.fixture(autouse=True)
def no_default_token():
    """No test sees another's default token, proxy resolver, retry listener or CA bundle."""
    for reset in (Client.set_token, Client.set_proxy_resolver, Client.set_retry_listener, Client.set_ca_bundle):
        reset(None)
    yield
    for reset in (Client.set_token, Client.set_proxy_resolver, Client.set_retry_listener, Client.set_ca_bundle):
        reset(None)


@pytest.fixture
def waits():
    """The backoff waits a `client` would have slept."""
    return []


@pytest.fixture
def client(fake, waits):
    """A Client on the fake that records its backoff instead of sleeping."""
    c = Client(fake.token, graph_url=fake.graph_url, tiles_url=fake.tiles_url, timeout=(2, 5))
    c._sleep = waits.append
    return c
