"""Creator usernames to ids against the fake Mapillary over real HTTP, cached."""

import threading

import pytest

from mapillary_qgis.client import Client
from mapillary_qgis.core.creators import CreatorDirectory
from mapillary_qgis.errors import ApiError, InvalidTokenError, RateLimitError


def graph_requests(fake):
    return [r for r in fake.requests if r.host == "graph"]


def test_a_username_resolves_to_its_creator_id_with_one_request(fake, client):
    creator = fake.dataset.creators[1]
    assert CreatorDirectory(client).resolve([creator.username]) == ({creator.username: creator.id}, [])
    (request,) = graph_requests(fake)
    assert request.path == "/images"
    assert request.query["creator_username"] == [creator.username]
    assert request.query["limit"] == ["1"] and request.query["fields"] == ["creator"]
    assert request.headers["authorization"] == f"OAuth {fake.token}"
    assert "access_token" not in request.query


def test_an_unknown_username_is_reported_not_raised(fake, client):
    resolved, unknown = CreatorDirectory(client).resolve(["nobody_at_all"])
    assert (resolved, unknown) == ({}, ["nobody_at_all"])
    assert len(graph_requests(fake)) == 1


def test_second_resolve_makes_no_request_known_or_unknown(fake, client):
    directory = CreatorDirectory(client)
    names = [fake.dataset.creators[0].username, "nobody_at_all"]
    first = directory.resolve(names)
    assert len(graph_requests(fake)) == 2
    fake.clear_requests()
    assert directory.resolve(names) == first
    assert directory.resolve([f"@{names[0]}", f" {names[1]} "])[0] == {f"@{names[0]}": fake.dataset.creators[0].id}
    assert graph_requests(fake) == []


def test_digits_are_ids_without_a_request(fake, client):
    creator = fake.dataset.creators[2]
    entries = ["123", str(2**62 + 1), "", "  ", creator.username, "123"]
    resolved, unknown = CreatorDirectory(client).resolve(entries)
    assert resolved == {"123": 123, str(2**62 + 1): 2**62 + 1, creator.username: creator.id}
    assert unknown == []
    assert [r.query["creator_username"] for r in graph_requests(fake)] == [[creator.username]]


def test_every_dataset_creator_resolves_from_several_threads(fake, client):
    directory = CreatorDirectory(client)
    results = []
    threads = [threading.Thread(target=lambda: results.append(directory.resolve(
        [c.username for c in fake.dataset.creators]))) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    expected = {c.username: c.id for c in fake.dataset.creators}
    assert results == [(expected, [])] * 4
    fake.clear_requests()
    directory.resolve(expected)
    assert graph_requests(fake) == []


def test_errors_propagate_typed_and_are_not_cached(fake, client):
    name = fake.dataset.creators[0].username
    with pytest.raises(InvalidTokenError):
        CreatorDirectory(Client("MLY|not-a-token", graph_url=fake.graph_url, max_retries=0)).resolve([name])
    directory = CreatorDirectory(Client(fake.token, graph_url=fake.graph_url, max_retries=0))
    fake.inject("rate_limit", host="graph", count=1)
    with pytest.raises(RateLimitError):
        directory.resolve([name])
    assert directory.resolve([name]) == ({name: fake.dataset.creators[0].id}, [])


def test_an_unreadable_answer_is_an_api_error(fake, client):
    fake.inject("status", host="graph", status=200, body=b'{"data": [{"creator": {}}]}',
                content_type="application/json")
    with pytest.raises(ApiError):
        CreatorDirectory(client).resolve(["someone"])
    fake.inject("status", host="graph", status=200, body=b'{"nodata": 1}', content_type="application/json")
    with pytest.raises(ApiError):
        CreatorDirectory(client).resolve(["someone"])
