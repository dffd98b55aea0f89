"""The Client contract, against the fake Mapillary over real HTTP on 127.0.0.1."""

import logging
import socket
import threading
import traceback
from urllib.parse import quote

import pytest

from mapillary_qgis.__about__ import USER_AGENT
from mapillary_qgis.client import Client
from mapillary_qgis.errors import (
    ApiError,
    InvalidTokenError,
    MapillaryError,
    MissingTokenError,
    NetworkError,
    NotFoundError,
    RateLimitError,
)
from tests.fake_mapillary.dataset import DEMO_CENTER
from tests.fake_mapillary.tilemath import tile_for
from tests.threads import errors_in_threads

CX, CY = tile_for(*DEMO_CENTER, 14)  # the z14 tile in the middle of the demo data
IMAGE_TILE = f"/maps/vtp/mly1_public/2/14/{CX}/{CY}"
OTHER_TOKEN = "MLY|4242424242424242|0123456789abcdef0123456789abcdef"


def an_image_id(fake):
    return str(fake.dataset.images[0].id)


def leaked(token, text):
    return token in text or quote(token, safe="") in text


# -- where the token travels ----------------------------------------------------


def test_graph_gets_header_and_no_token_in_url(fake, client):
    image_id = an_image_id(fake)
    body = client.get(f"{fake.graph_url}/{image_id}", params={"fields": "id,captured_at"}).json()
    assert body["id"] == image_id
    request = fake.requests[-1]
    assert request.host == "graph"
    assert request.headers["authorization"] == f"OAuth {fake.token}"
    assert "access_token" not in request.query
    assert not leaked(fake.token, request.raw_path)


def test_tiles_get_query_parameter_and_no_header(fake, client):
    response = client.get(fake.tiles_url + IMAGE_TILE)
    assert response.status_code == 200
    request = fake.requests[-1]
    assert request.host == "tiles"
    assert request.query["access_token"] == [fake.token]
    assert "authorization" not in request.headers


def test_sdk_form_endpoint_entity_and_fields_list(fake, client):
    image_id = an_image_id(fake)
    body = client.get(endpoint=image_id, entity=True, params={"fields": ["id", "captured_at"]}).json()
    assert set(body) == {"id", "captured_at"}
    graph = fake.requests[-1]
    assert graph.query["fields"] == ["id,captured_at"]
    assert graph.headers["authorization"] == f"OAuth {fake.token}"

    client.get(endpoint=IMAGE_TILE, entity=False)
    tiles = fake.requests[-1]
    assert tiles.host == "tiles" and tiles.query["access_token"] == [fake.token]
    assert "authorization" not in tiles.headers


def test_header_never_sticks_to_tile_requests_after_graph_calls(fake, client):
    client.get(f"{fake.graph_url}/{an_image_id(fake)}")
    client.get(fake.tiles_url + IMAGE_TILE)
    client.get(f"{fake.graph_url}/{an_image_id(fake)}")
    graph1, tiles, graph2 = fake.requests[-3:]
    assert "authorization" not in tiles.headers
    assert "access_token" not in graph1.query and "access_token" not in graph2.query


def test_other_hosts_get_no_token(fake, client):
    """Signed thumbnail URLs live on another host: the token must not go there."""
    image_id = an_image_id(fake)
    url = client.get(f"{fake.graph_url}/{image_id}", params={"fields": "thumb_256_url"}).json()["thumb_256_url"]
    other = url  # the fake signs thumbnails on another host name (fake.cdn_url), as Meta's CDN is
    response = client.get(other)
    assert response.content[:2] == b"\xff\xd8"  # a JPEG
    request = fake.requests[-1]
    assert "authorization" not in request.headers
    assert "access_token" not in request.query


def test_user_agent(fake, client):
    client.get(fake.tiles_url + IMAGE_TILE)
    assert fake.requests[-1].headers["user-agent"] == USER_AGENT


def test_token_given_in_params_goes_where_its_host_wants_it(fake):
    c = Client(graph_url=fake.graph_url, tiles_url=fake.tiles_url)
    c.get(f"{fake.graph_url}/{an_image_id(fake)}", params={"access_token": fake.token})
    request = fake.requests[-1]
    assert request.headers["authorization"] == f"OAuth {fake.token}"
    assert "access_token" not in request.query


# -- static and instance tokens, no state carried over ---------------------------


def test_static_default_and_instance_override(fake):
    fake.add_token(OTHER_TOKEN)
    Client.set_token(fake.token)
    assert Client.get_token() == fake.token
    Client(graph_url=fake.graph_url, tiles_url=fake.tiles_url).get(fake.tiles_url + IMAGE_TILE)
    assert fake.requests[-1].query["access_token"] == [fake.token]

    Client(OTHER_TOKEN, graph_url=fake.graph_url, tiles_url=fake.tiles_url).get(fake.tiles_url + IMAGE_TILE)
    assert fake.requests[-1].query["access_token"] == [OTHER_TOKEN]


def test_rotating_the_default_token_leaves_no_stale_token(fake):
    """The SDK's mutable default params kept sending the old token; ours does not."""
    fake.add_token(OTHER_TOKEN)
    Client.set_token(fake.token)
    first = Client(graph_url=fake.graph_url, tiles_url=fake.tiles_url)
    first.get(fake.tiles_url + IMAGE_TILE)
    Client.set_token(OTHER_TOKEN)
    first.get(fake.tiles_url + IMAGE_TILE)
    Client(graph_url=fake.graph_url, tiles_url=fake.tiles_url).get(fake.tiles_url + IMAGE_TILE)
    assert [r.query["access_token"] for r in fake.requests[-3:]] == [[fake.token], [OTHER_TOKEN], [OTHER_TOKEN]]


def test_params_are_never_mutated(fake, client):
    params = {"fields": ["id", "captured_at"]}
    client.get(f"{fake.graph_url}/{an_image_id(fake)}", params=params)
    client.get(fake.tiles_url + IMAGE_TILE, params=params)
    assert params == {"fields": ["id", "captured_at"]}


def test_missing_token_is_an_error_before_any_request(fake):
    c = Client(graph_url=fake.graph_url, tiles_url=fake.tiles_url)
    with pytest.raises(MissingTokenError) as info:
        c.get(fake.tiles_url + IMAGE_TILE)
    assert isinstance(info.value, InvalidTokenError)
    assert "token" in str(info.value).lower()
    assert fake.requests == []


# -- errors, retries and timeouts --------------------------------------------------


def test_invalid_token_is_not_retried(fake, client, waits):
    fake.inject("invalid_token", host="graph")
    with pytest.raises(InvalidTokenError) as info:
        client.get(f"{fake.graph_url}/{an_image_id(fake)}")
    assert info.value.status == 401 and info.value.code == 190
    assert len(fake.requests) == 1 and waits == []


def test_unknown_token_answered_401_by_the_server(fake):
    c = Client(OTHER_TOKEN, graph_url=fake.graph_url, tiles_url=fake.tiles_url)
    with pytest.raises(InvalidTokenError):
        c.get(f"{fake.graph_url}/{an_image_id(fake)}")
    with pytest.raises(InvalidTokenError):
        c.get(fake.tiles_url + IMAGE_TILE)


def test_not_found(fake, client, waits):
    with pytest.raises(NotFoundError) as info:
        client.get(f"{fake.graph_url}/1234")
    assert (info.value.status, info.value.code, info.value.subcode) == (400, 100, 33)
    assert info.value.fbtrace_id
    assert waits == []


def test_rate_limit_403_code_4_is_retried_then_succeeds(fake, client, waits):
    fake.inject("rate_limit", host="tiles", count=2)
    assert client.get(fake.tiles_url + IMAGE_TILE).status_code == 200
    assert len(fake.requests) == 3
    assert len(waits) == 2 and waits[0] <= 1.0 and 1.0 <= waits[1] <= 2.0  # exponential, jittered


def test_rate_limit_429_honours_retry_after(fake, client, waits):
    fake.inject("rate_limit", host="graph", status=429, retry_after=7)
    client.get(f"{fake.graph_url}/{an_image_id(fake)}")
    assert waits == [7.0]


def test_retry_after_beyond_max_wait_gives_up_at_once(fake, client, waits):
    fake.inject("rate_limit", host="graph", status=429, retry_after=3600)
    with pytest.raises(RateLimitError) as info:
        client.get(f"{fake.graph_url}/{an_image_id(fake)}")
    assert info.value.retry_after == 3600 and waits == [] and len(fake.requests) == 1


def test_retries_are_bounded(fake, client, waits):
    fake.inject("server_error_html", count=None)
    client.max_retries = 2
    with pytest.raises(ApiError) as info:
        client.get(fake.tiles_url + IMAGE_TILE)
    assert info.value.status == 500
    assert len(fake.requests) == 3 and len(waits) == 2
    assert "<html" not in str(info.value).lower()


def test_other_api_errors_carry_their_details(fake, client):
    fake.inject("blocked", host="graph")
    with pytest.raises(ApiError) as info:
        client.get(f"{fake.graph_url}/{an_image_id(fake)}")
    error = info.value
    assert (error.status, error.code, error.subcode) == (403, 368, 1348007)
    assert error.fbtrace_id and error.api_message


def test_read_timeout(fake, client):
    fake.inject("hang", delay=5)
    client.timeout = (2, 0.3)
    with pytest.raises(NetworkError) as info:
        client.get(fake.tiles_url + IMAGE_TILE)
    assert "in time" in str(info.value)


def dead_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_connection_refused_is_retried_and_explained(fake, waits):
    port = dead_port()
    c = Client(fake.token, graph_url=f"http://127.0.0.1:{port}", tiles_url=f"http://127.0.0.1:{port}")
    c._sleep = waits.append
    with pytest.raises(NetworkError) as info:
        c.get(endpoint="me")
    assert "refused" in str(info.value)
    assert len(waits) == c.max_retries


def test_truncated_body_is_a_network_error(fake, client):
    fake.inject("truncated", host="tiles", count=None)
    client.max_retries = 1
    with pytest.raises(NetworkError):
        client.get(fake.tiles_url + IMAGE_TILE)
    assert len(fake.requests) == 2


def test_get_json_rejects_non_json(fake, client):
    fake.inject("status", host="graph", status=200, body=b"<html>hello</html>")
    with pytest.raises(MapillaryError, match="not JSON"):
        client.get_json(f"{fake.graph_url}/{an_image_id(fake)}")


# -- the token never leaks ---------------------------------------------------------


FAULTS = [
    ("invalid_token", {}),
    ("rate_limit", {}),
    ("rate_limit", {"status": 429, "retry_after": 1}),
    ("not_found", {}),
    ("blocked", {}),
    ("server_error_html", {}),
    ("server_error_json", {}),
    ("truncated", {}),
    ("hang", {"delay": 3}),
]


@pytest.mark.parametrize("host", ["graph", "tiles"])
@pytest.mark.parametrize("kind,options", FAULTS, ids=[f[0] + str(i) for i, f in enumerate(FAULTS)])
def test_token_absent_from_errors_and_debug_logs(fake, client, caplog, host, kind, options):
    caplog.set_level(logging.DEBUG)
    client.timeout = (2, 0.3)
    fake.inject(kind, host=host, count=None, **options)
    url = fake.tiles_url + IMAGE_TILE if host == "tiles" else f"{fake.graph_url}/{an_image_id(fake)}"
    with pytest.raises(MapillaryError) as info:
        client.get(url)
    error = info.value
    texts = [
        str(error), repr(error), error.api_message or "",
        "".join(traceback.format_exception(type(error), error, error.__traceback__)),
        caplog.text,
    ]
    assert caplog.text  # the client did log at DEBUG
    for text in texts:
        assert not leaked(fake.token, text), text
        assert "MLY|" not in text.replace("MLY|REDACTED", "")


def test_token_absent_from_successful_response_urls_and_logs(fake, client, caplog):
    caplog.set_level(logging.DEBUG)
    response = client.get(fake.tiles_url + IMAGE_TILE)
    assert not leaked(fake.token, response.url)
    assert not leaked(fake.token, response.request.url)
    assert "Authorization" not in response.request.headers
    assert "GET" in caplog.text and not leaked(fake.token, caplog.text)


def test_requests_exception_urls_are_redacted(fake):
    """requests puts the full URL, token included, into connection errors."""
    port = dead_port()
    c = Client(fake.token, tiles_url=f"http://127.0.0.1:{port}", max_retries=0)
    with pytest.raises(NetworkError) as info:
        c.get(f"http://127.0.0.1:{port}{IMAGE_TILE}")
    assert f"127.0.0.1:{port}" in str(info.value)
    assert "access_token=REDACTED" in str(info.value) or "access_token" not in str(info.value)
    assert not leaked(fake.token, str(info.value))


# -- threads and proxies ---------------------------------------------------------------


def test_one_client_shared_by_worker_threads(fake, client):
    def work(x):
        for y in range(5):
            assert client.get(f"{fake.tiles_url}/maps/vtp/mly1_public/2/14/{CX - 1 + x % 3}/{CY - 1 + y % 3}").ok
            assert client.get(f"{fake.graph_url}/{an_image_id(fake)}").ok

    assert errors_in_threads(work, 8) == []
    assert len(fake.requests) == 80
    for r in fake.requests:
        if r.host == "tiles":
            assert r.query["access_token"] == [fake.token] and "authorization" not in r.headers
        else:
            assert r.headers["authorization"] == f"OAuth {fake.token}" and "access_token" not in r.query


def test_injected_proxy_resolver_is_used(fake, client):
    port = dead_port()
    seen = []
    Client.set_proxy_resolver(lambda url: seen.append(url) or {"http": f"http://127.0.0.1:{port}"})
    client.max_retries = 0
    with pytest.raises(NetworkError):
        client.get(fake.tiles_url + IMAGE_TILE)
    assert seen and fake.requests == []
    assert not any(leaked(fake.token, url) for url in seen)  # the resolver sees the URL without the query


def test_proxy_environment_is_honoured_outside_qgis(fake, client, monkeypatch):
    port = dead_port()
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{port}")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    client.max_retries = 0
    with pytest.raises(NetworkError):
        client.get(fake.tiles_url + IMAGE_TILE)
    assert fake.requests == []


def test_close_ends_every_threads_connection_and_the_client_still_works(fake, client):
    assert errors_in_threads(lambda i: client.get(fake.tiles_url + IMAGE_TILE), 3) == []
    sessions = list(client._sessions)
    assert len(sessions) == 3
    client.close()
    assert client._sessions == [] and all(not s.adapters["http://"].poolmanager.pools for s in sessions)
    assert client.get(fake.tiles_url + IMAGE_TILE).ok  # a new session, transparently


# -- HTTPS with a certificate authority of one's own (a company network that inspects HTTPS) ---------------

def test_an_untrusted_certificate_is_a_plain_error_and_a_given_authority_is_trusted(tmp_path, fake):
    tls = pytest.importorskip("tests.tls", reason="needs the cryptography package")
    with tls.HttpsServer(tmp_path) as server:
        client = Client(fake.token, graph_url=server.url, max_retries=3)
        with pytest.raises(NetworkError) as info:
            client.get(server.url + "/me")
        message = info.value.message
        assert "could not be verified" in message and "Certificate Manager" in message
        assert fake.token not in message
        assert not info.value.retryable
        Client.set_ca_bundle(str(server.ca))
        try:
            assert client.get(server.url + "/me").json()["ok"] is True
        finally:
            Client.set_ca_bundle(None)
        client.close()
        with pytest.raises(NetworkError):  # back to requests' own authorities
            client.get(server.url + "/me")


def test_a_tls_handshake_cut_off_is_a_passing_network_failure_and_retried(fake, waits):
    """Only a certificate that cannot be verified is the certificate message; anything else may pass."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    accepted = []

    def serve():
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            accepted.append(1)
            connection.recv(4096)  # the ClientHello, then hang up
            connection.close()

    threading.Thread(target=serve, daemon=True).start()
    url = f"https://127.0.0.1:{listener.getsockname()[1]}/me"
    client = Client(fake.token, graph_url=url.rsplit("/", 1)[0], max_retries=2)
    client._sleep = waits.append
    try:
        with pytest.raises(NetworkError) as info:
            client.get(url)
    finally:
        listener.close()
    assert "Could not reach Mapillary" in info.value.message and "Certificate Manager" not in info.value.message
    assert len(accepted) == 3 and len(waits) == 2  # tried again, as any dropped connection


def test_a_bundle_deleted_meanwhile_falls_back_to_requests_own(tmp_path, fake):
    tls = pytest.importorskip("tests.tls", reason="needs the cryptography package")
    with tls.HttpsServer(tmp_path) as server:
        Client.set_ca_bundle(str(tmp_path / "emptied-cache" / "ca-bundle.pem"))  # not there (any more)
        client = Client(fake.token, graph_url=server.url, max_retries=0)
        with pytest.raises(NetworkError) as info:  # a MapillaryError as ever, not an OSError from requests
            client.get(server.url + "/me")
        assert "could not be verified" in info.value.message
