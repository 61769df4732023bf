"""Reads go to the streaming replica, writes to the primary, and a client reads its own writes.

Each query is told apart by the cluster that logged it (both log every statement): a unique
marker in a request's SQL shows up in exactly one of the two logs.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import requests

from tests.replica.conftest import PIN_SECONDS, REPLICA_URL, SKIP_REASON, Platform

pytestmark = [pytest.mark.replica, pytest.mark.skipif(not REPLICA_URL, reason=SKIP_REASON)]

PIN_COOKIE = "sdg87_primary"


def _marker(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:12].upper()}"


def _token_names(client: requests.Session, platform: Platform) -> set[str]:
    url, params = f"{platform.url}/api/v1/accounts/tokens", {"page_size": 100}
    try:
        response = client.get(url, params=params, timeout=30)
    except requests.ConnectionError:
        # The server closes a keep-alive connection idle for its keepalive (5 s); a request
        # sent on it at that very moment is reset. A GET is safe to send again.
        response = client.get(url, params=params, timeout=30)
    assert response.status_code == 200, response.text
    return {token["name"] for token in response.json()["results"]}


def _create_token(client: requests.Session, platform: Platform, name: str) -> requests.Response:
    return client.post(
        f"{platform.url}/api/v1/accounts/tokens",
        json={"name": name},
        headers={"X-CSRFToken": client.cookies["csrftoken"], "Referer": platform.url + "/"},
        timeout=30,
    )


def _without_pin(client: requests.Session) -> requests.Session:
    """The same signed-in session, from a client that does not carry the pin cookie."""
    other = requests.Session()
    for name in ("sessionid", "csrftoken"):
        other.cookies.set(name, client.cookies[name])
    return other


@contextmanager
def paused_replay(platform: Platform) -> Iterator[None]:
    """The replica stops applying the primary's WAL: as if it lagged behind, indefinitely."""
    platform.wait_for_replay()
    platform.replica.query("SELECT pg_wal_replay_pause()")
    try:
        deadline = time.monotonic() + 10
        while platform.replica.value("SELECT pg_get_wal_replay_pause_state()") != "paused":
            assert time.monotonic() < deadline, "the replica did not pause its replay"
            time.sleep(0.05)
        yield
    finally:
        platform.replica.query("SELECT pg_wal_replay_resume()")


def test_the_replica_is_a_streaming_hot_standby_of_the_primary(platform: Platform):
    assert platform.replica.value("SELECT pg_is_in_recovery()") is True
    assert platform.primary.value("SELECT pg_is_in_recovery()") is False
    assert platform.primary.value("SELECT count(*) FROM pg_stat_replication") >= 1
    # The schema and the loaded data came by replication only: migrations ran on the primary.
    countries = "SELECT count(*) FROM countries_country"
    assert platform.replica.value(countries) == platform.primary.value(countries) > 0


def test_an_anonymous_api_read_is_served_by_the_replica(platform: Platform):
    marker = _marker("ZZREAD")

    response = requests.get(f"{platform.url}/api/v1/instruments/{marker}", timeout=30)

    assert response.status_code == 404  # the look-up ran, and found nothing
    assert platform.replica.log_mentions(marker)
    assert not platform.primary.log_mentions(marker)
    assert PIN_COOKIE not in response.cookies  # a read does not pin the client

    listing = requests.get(f"{platform.url}/api/v1/instruments", timeout=30)
    assert listing.status_code == 200
    assert listing.json()["count"] > 0  # data that reached the replica by streaming


def test_a_write_goes_to_the_primary_and_pins_the_client(platform: Platform):
    client = platform.sign_in()
    marker = _marker("write-")

    response = _create_token(client, platform, marker)

    assert response.status_code == 201, response.text
    assert PIN_COOKIE in response.cookies
    assert platform.primary.log_mentions(marker)
    assert not platform.replica.log_mentions(marker)  # not even a refused INSERT
    assert (
        platform.primary.value("SELECT count(*) FROM accounts_apitoken WHERE name = %s", marker)
        == 1
    )
    # The standby refuses writes outright: the router is what keeps them off it.
    with pytest.raises(Exception, match="read-only transaction"):
        platform.replica.query("UPDATE accounts_apitoken SET name = name WHERE false")


def test_a_client_reads_its_own_write_while_the_replica_lags(platform: Platform):
    writer = platform.sign_in()
    platform.wait_for_replay()  # the session is on the replica too
    bystander = _without_pin(writer)
    assert _token_names(bystander, platform) == _token_names(writer, platform)
    marker = _marker("ryw-")

    with paused_replay(platform):
        created = _create_token(writer, platform, marker)
        assert created.status_code == 201, created.text

        # The writer's next reads go to the primary: its new token is there at once.
        assert marker in _token_names(writer, platform)
        # The same account without the pin cookie reads the replica, which has not replayed
        # the write yet: proof that the pin, not luck, gave the writer its own write.
        assert marker not in _token_names(bystander, platform)
        assert (
            platform.replica.value("SELECT count(*) FROM accounts_apitoken WHERE name = %s", marker)
            == 0
        )

        # Once the pin has expired the writer reads the (still lagging) replica again.
        time.sleep(PIN_SECONDS + 1)
        assert marker not in _token_names(writer, platform)

    platform.wait_for_replay()
    assert marker in _token_names(bystander, platform)
    assert marker in _token_names(writer, platform)
