"""What the deployment's nginx config does on its own: per-client limits, the cache key, its errors.

Two service processes behind Debian's nginx running deploy/nginx/templates/default.conf.template
(tests/replicas.py) with the per-client limits compose.yaml ships. Each test that counts
requests against a limit sends them from its own loopback address (127.0.0.2, ...), since
nginx limits per client address. Skipped where nginx is not installed.
"""

from __future__ import annotations

import http.client
import json
import socket
from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx
import pytest

from tests.deploy_config import compose, compose_default
from tests.replicas import ReplicaSet, find_nginx, replica_set

pytestmark = pytest.mark.skipif(find_nginx() is None, reason="nginx is not installed (apt-get install nginx-light)")

LIMIT_NAMES = ("PIXELGAN_CLIENT_RATE", "PIXELGAN_CLIENT_BURST", "PIXELGAN_CLIENT_CONNECTIONS")


def shipped_limits() -> dict[str, str]:
    """The per-client limits compose.yaml gives nginx when nothing overrides them."""
    environment = compose()["services"]["nginx"]["environment"]
    return {name: compose_default(environment[name]) for name in LIMIT_NAMES}


@pytest.fixture(scope="module")
def replicas() -> Iterator[ReplicaSet]:
    with replica_set(2, nginx_values=shipped_limits()) as started:
        yield started


def client_from(address: str, replicas: ReplicaSet) -> httpx.Client:
    """A client whose connections come from `address`, one of the loopback's 127.0.0.0/8."""
    return httpx.Client(base_url=replicas.url, timeout=30, transport=httpx.HTTPTransport(local_address=address))


def raw_response(url: str, request: bytes) -> tuple[int, http.client.HTTPMessage, bytes]:
    """Send `request` as it is (no client to tidy it up) and read nginx's answer."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as connection:
        connection.sendall(request)
        response = http.client.HTTPResponse(connection)
        response.begin()
        return response.status, response.headers, response.read()


def assert_json_error(status: int, headers: http.client.HTTPMessage | httpx.Headers, body: bytes, code: str) -> None:
    assert headers["Content-Type"].startswith("application/json"), body[:200]
    error = json.loads(body)
    assert error["code"] == code
    assert isinstance(error["detail"], str) and error["detail"]


def test_one_client_over_its_rate_gets_json_429_and_others_do_not(replicas: ReplicaSet) -> None:
    burst = int(shipped_limits()["PIXELGAN_CLIENT_BURST"])
    with client_from("127.0.0.2", replicas) as greedy, client_from("127.0.0.3", replicas) as other:
        answers = []
        for _ in range(burst + 400):
            answers.append(greedy.get("/healthz"))
            if answers[-1].status_code == 429:
                break
        meanwhile = other.get("/healthz")
    statuses = [answer.status_code for answer in answers]
    assert statuses[-1] == 429, "never limited"
    assert set(statuses[:-1]) == {200}
    assert len(statuses) > burst  # the configured burst passes before the limit bites
    refused = answers[-1]
    assert_json_error(429, refused.headers, refused.content, "too_many_requests")
    assert refused.headers["Retry-After"] == "1"
    assert meanwhile.status_code == 200  # per address: another client is still served


def test_equivalent_urls_share_one_cache_entry(replicas: ReplicaSet) -> None:
    with client_from("127.0.0.4", replicas) as client:
        first = client.get("/generate?seed=7&scale=3&levels=8")
        same = [
            client.get(path)
            for path in (
                "/generate?seed=07&scale=3&levels=8",
                "/generate?seed=+7&scale=03&levels=8.0",
                "/generate?levels=8&scale=3&seed=7",
                "/generate?seed=7&scale=3&levels=8&utm_source=mail&x=",
            )
        ]
        other = client.get("/generate?seed=8&scale=3&levels=8")
        morph = [client.get("/morph?from=1&to=2&frames=2&scale=1&format=png") for _ in range(2)]
    assert (first.status_code, first.headers["X-Cache-Status"]) == (200, "MISS")
    assert [(answer.status_code, answer.headers["X-Cache-Status"]) for answer in same] == [(200, "HIT")] * len(same)
    assert all(answer.content == first.content for answer in same)
    assert other.headers["X-Cache-Status"] == "MISS" and other.content != first.content
    assert [answer.headers["X-Cache-Status"] for answer in morph] == ["MISS", "HIT"]


@pytest.mark.parametrize(
    "query",
    [
        "seed=9&scale=3&seed=7",  # the service reads the last seed, nginx the first
        "SEED=9&seed=7&scale=3",  # nginx matches names without regard to case, the service exactly
        "se%65d=7&seed=9&scale=3",  # the service decodes names, nginx does not
    ],
)
def test_queries_nginx_could_misread_are_never_cached(replicas: ReplicaSet, query: str) -> None:
    with client_from("127.0.0.5", replicas) as client:
        answers = [client.get(f"/generate?{query}") for _ in range(2)]
        direct = httpx.get(replicas.replica_url(0) + f"/generate?{query}", timeout=30)
    assert [answer.headers["X-Cache-Status"] for answer in answers] == ["BYPASS", "BYPASS"]
    assert all(answer.content == direct.content for answer in answers)


def test_server_header_has_no_version(replicas: ReplicaSet) -> None:
    with client_from("127.0.0.6", replicas) as client:
        proxied = client.get("/healthz")
    assert proxied.headers["Server"] == "nginx"  # the replica's `server: uvicorn` is replaced too


@pytest.mark.parametrize(
    ("request_bytes", "status", "code"),
    [
        (b"NOT HTTP AT ALL\r\n\r\n", 400, "bad_request"),
        (b"GET /generate?seed=" + b"1" * 20000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414, "uri_too_long"),
        (b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"y" * 20000 + b"\r\n\r\n", 431, "header_too_large"),
        (b"POST /pixelate HTTP/1.1\r\nHost: x\r\nContent-Length: 999999999\r\n\r\n", 413, "body_too_large"),
    ],
    ids=["bad_request", "uri_too_long", "header_too_large", "body_too_large"],
)
def test_nginx_own_errors_are_json(replicas: ReplicaSet, request_bytes: bytes, status: int, code: str) -> None:
    answer_status, headers, body = raw_response(replicas.url, request_bytes)
    assert answer_status == status
    assert headers["Server"] == "nginx"
    assert_json_error(answer_status, headers, body, code)
