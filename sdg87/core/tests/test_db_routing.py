"""The primary/replica router and the read-your-writes middleware, without a replica.

The router only names aliases, so its decisions are tested without opening a connection to
either; tests/replica/ runs the same code against a real primary and streaming standby.
"""

from __future__ import annotations

import time
from unittest import mock

import pytest
from django.core import signing
from django.db import DEFAULT_DB_ALIAS, transaction
from django.http import HttpResponse
from django.test import RequestFactory

from config.database import REPLICA_ALIAS, database_settings, replica_database_settings
from config.env import ConfigurationError, database_choice
from sdg87.core import db_routing
from sdg87.core.db_routing import (
    PIN_COOKIE_NAME,
    PIN_COOKIE_SALT,
    PrimaryReplicaRouter,
    ReadYourWritesMiddleware,
    current_scope,
    replica_reads,
)

router = PrimaryReplicaRouter()


class _Model:
    """Stands in for a model class: the router never looks at it."""


# --- the router's decisions --------------------------------------------------------------


def test_writes_go_to_the_primary_inside_and_outside_a_request():
    assert router.db_for_write(_Model) == DEFAULT_DB_ALIAS
    with replica_reads():
        assert router.db_for_write(_Model) == DEFAULT_DB_ALIAS


def test_reads_outside_any_request_go_to_the_primary():
    # Commands, the task worker and tests write then read: they never read a stale copy.
    assert current_scope() is None
    assert router.db_for_read(_Model) == DEFAULT_DB_ALIAS


def test_reads_in_a_replica_scope_go_to_the_replica():
    with replica_reads():
        assert router.db_for_read(_Model) == REPLICA_ALIAS
    assert router.db_for_read(_Model) == DEFAULT_DB_ALIAS


def test_reads_after_a_write_in_the_same_scope_go_to_the_primary():
    with replica_reads() as scope:
        assert router.db_for_read(_Model) == REPLICA_ALIAS
        router.db_for_write(_Model)
        assert scope.wrote
        assert router.db_for_read(_Model) == DEFAULT_DB_ALIAS


def test_reads_of_a_pinned_scope_go_to_the_primary():
    with replica_reads(pinned=True):
        assert router.db_for_read(_Model) == DEFAULT_DB_ALIAS


@pytest.mark.django_db
def test_reads_inside_an_atomic_block_go_to_the_primary():
    # The django_db test itself runs in a transaction: so does every read in it.
    with replica_reads():
        assert router.db_for_read(_Model) == DEFAULT_DB_ALIAS
        with transaction.atomic():
            assert router.db_for_read(_Model) == DEFAULT_DB_ALIAS


def test_reads_while_the_primary_connection_is_in_an_atomic_block_go_to_the_primary():
    primary = mock.Mock(in_atomic_block=True, connection=None, autocommit=True)
    with (
        replica_reads(),
        mock.patch.object(db_routing, "connections", {DEFAULT_DB_ALIAS: primary}),
    ):
        assert router.db_for_read(_Model) == DEFAULT_DB_ALIAS
        primary.in_atomic_block = False
        assert router.db_for_read(_Model) == REPLICA_ALIAS
        # A connection with autocommit off is in a transaction too.
        primary.connection, primary.autocommit = object(), False
        assert router.db_for_read(_Model) == DEFAULT_DB_ALIAS


def test_the_scope_ends_with_its_block_even_on_an_error():
    with pytest.raises(RuntimeError), replica_reads():
        raise RuntimeError("boom")
    assert current_scope() is None


def test_migrations_never_run_on_the_replica():
    assert router.allow_migrate(REPLICA_ALIAS, "accounts") is False
    assert router.allow_migrate(REPLICA_ALIAS, "accounts", model_name="user") is False
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "accounts") is None  # Django's default: yes


def test_objects_from_primary_and_replica_may_be_related():
    from_primary = mock.Mock(_state=mock.Mock(db=DEFAULT_DB_ALIAS))
    from_replica = mock.Mock(_state=mock.Mock(db=REPLICA_ALIAS))
    elsewhere = mock.Mock(_state=mock.Mock(db="other"))
    assert router.allow_relation(from_primary, from_replica) is True
    assert router.allow_relation(from_primary, elsewhere) is None


# --- the middleware ----------------------------------------------------------------------


class _Recorder:
    """A view that records where its reads went, and writes when asked to."""

    def __init__(self, *, write: bool = False) -> None:
        self.write = write
        self.reads: list[str] = []

    def __call__(self, request) -> HttpResponse:
        self.reads.append(router.db_for_read(_Model))
        if self.write:
            router.db_for_write(_Model)
            self.reads.append(router.db_for_read(_Model))
        return HttpResponse("ok")


def _pin_cookie(value: str = "1", *, salt: str = PIN_COOKIE_SALT) -> str:
    return signing.get_cookie_signer(salt=PIN_COOKIE_NAME + salt).sign(value)


def test_a_get_from_a_client_that_did_not_write_reads_from_the_replica_and_is_not_pinned():
    view = _Recorder()
    response = ReadYourWritesMiddleware(view)(RequestFactory().get("/api/v1/goals"))

    assert view.reads == [REPLICA_ALIAS]
    assert PIN_COOKIE_NAME not in response.cookies
    assert current_scope() is None  # cleared after the request


def test_a_get_that_writes_reads_from_the_primary_afterwards_and_pins_the_client(settings):
    settings.REPLICA_PIN_SECONDS = 7
    view = _Recorder(write=True)
    response = ReadYourWritesMiddleware(view)(RequestFactory().get("/"))

    assert view.reads == [REPLICA_ALIAS, DEFAULT_DB_ALIAS]
    cookie = response.cookies[PIN_COOKIE_NAME]
    assert cookie["max-age"] == 7
    assert cookie["httponly"]
    assert current_scope() is None


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_an_unsafe_request_reads_from_the_primary_throughout_and_pins_the_client(method):
    view = _Recorder()
    response = ReadYourWritesMiddleware(view)(getattr(RequestFactory(), method)("/"))

    assert view.reads == [DEFAULT_DB_ALIAS]
    assert PIN_COOKIE_NAME in response.cookies


def test_a_pinned_client_reads_from_the_primary():
    view = _Recorder()
    request = RequestFactory().get("/")
    request.COOKIES[PIN_COOKIE_NAME] = _pin_cookie()
    response = ReadYourWritesMiddleware(view)(request)

    assert view.reads == [DEFAULT_DB_ALIAS]
    # A read-only request does not extend the pin: it ends REPLICA_PIN_SECONDS after the write.
    assert PIN_COOKIE_NAME not in response.cookies


def test_the_pin_cookie_the_middleware_sets_is_the_one_it_honours():
    response = ReadYourWritesMiddleware(_Recorder())(RequestFactory().post("/"))
    request = RequestFactory().get("/")
    request.COOKIES[PIN_COOKIE_NAME] = response.cookies[PIN_COOKIE_NAME].value
    view = _Recorder()
    ReadYourWritesMiddleware(view)(request)

    assert view.reads == [DEFAULT_DB_ALIAS]


def test_an_expired_pin_reads_from_the_replica_again(settings):
    settings.REPLICA_PIN_SECONDS = 5
    response = ReadYourWritesMiddleware(_Recorder())(RequestFactory().post("/"))
    request = RequestFactory().get("/")
    request.COOKIES[PIN_COOKIE_NAME] = response.cookies[PIN_COOKIE_NAME].value
    view = _Recorder()
    with mock.patch("time.time", return_value=time.time() + 6):
        ReadYourWritesMiddleware(view)(request)

    assert view.reads == [REPLICA_ALIAS]


@pytest.mark.parametrize(
    "forged",
    ["1", "1:forged-signature", _pin_cookie(salt="other")],
    # Fixed ids: the signed value carries a timestamp, and xdist workers must collect the same
    # test names even when they collect in different seconds.
    ids=["unsigned", "bad-signature", "other-salt"],
)
def test_a_forged_pin_cookie_is_ignored(forged):
    view = _Recorder()
    request = RequestFactory().get("/")
    request.COOKIES[PIN_COOKIE_NAME] = forged
    ReadYourWritesMiddleware(view)(request)

    assert view.reads == [REPLICA_ALIAS]


def test_a_pin_of_zero_seconds_turns_read_your_writes_off(settings):
    settings.REPLICA_PIN_SECONDS = 0
    view = _Recorder(write=True)
    response = ReadYourWritesMiddleware(view)(RequestFactory().post("/"))

    assert PIN_COOKIE_NAME not in response.cookies


def test_the_scope_is_cleared_when_the_view_raises():
    def failing_view(request):
        router.db_for_write(_Model)
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        ReadYourWritesMiddleware(failing_view)(RequestFactory().get("/"))
    assert current_scope() is None


# --- settings ------------------------------------------------------------------------------


def test_the_replica_entry_mirrors_default_in_tests_and_keeps_its_options():
    default = database_settings(database_choice("postgres://u:p@primary:5432/sdg87"))
    default["OPTIONS"] = {"connect_timeout": 5}
    replica = replica_database_settings(
        default, database_choice("postgres://u:p@standby:5433/sdg87"), conn_max_age=30
    )

    assert replica["HOST"] == "standby"
    assert replica["PORT"] == 5433
    assert replica["CONN_MAX_AGE"] == 30
    assert replica["OPTIONS"] == {"connect_timeout": 5}
    assert replica["TEST"] == {"MIRROR": "default"}


def test_a_replica_of_a_sqlite_database_is_refused():
    default = database_settings(database_choice("sqlite:///:memory:"))
    with pytest.raises(ConfigurationError, match="PostgreSQL DATABASE_URL"):
        replica_database_settings(default, database_choice("postgres://u@standby/sdg87"))


def test_database_replica_url_is_read_from_the_environment(monkeypatch):
    from config import env

    monkeypatch.delenv("DATABASE_REPLICA_URL", raising=False)
    assert env.database_replica_choice() is None
    monkeypatch.setenv("DATABASE_REPLICA_URL", "postgres://u@standby:5433/sdg87")
    assert env.database_replica_choice().url == "postgres://u@standby:5433/sdg87"
    monkeypatch.setenv("DATABASE_REPLICA_URL", "sqlite:///replica.sqlite3")
    with pytest.raises(ConfigurationError, match="DATABASE_REPLICA_URL"):
        env.database_replica_choice()


def test_replica_pin_seconds_is_read_from_the_environment(monkeypatch):
    from config import env

    monkeypatch.delenv("REPLICA_PIN_SECONDS", raising=False)
    assert env.replica_pin_seconds() == 5
    monkeypatch.setenv("REPLICA_PIN_SECONDS", "12")
    assert env.replica_pin_seconds() == 12
    monkeypatch.setenv("REPLICA_PIN_SECONDS", "-1")
    with pytest.raises(ConfigurationError, match="REPLICA_PIN_SECONDS"):
        env.replica_pin_seconds()


def test_without_a_replica_the_settings_add_no_router_nor_middleware(settings):
    if REPLICA_ALIAS in settings.DATABASES:
        pytest.skip("this run has DATABASE_REPLICA_URL set")
    assert settings.DATABASE_ROUTERS == []
    assert "sdg87.core.db_routing.ReadYourWritesMiddleware" not in settings.MIDDLEWARE
