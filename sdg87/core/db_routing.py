"""Reads from a PostgreSQL streaming replica, writes to the primary, read-your-writes.

Installed only when ``DATABASE_REPLICA_URL`` is set (``config.settings.base``): the settings
add a ``replica`` database alias, :class:`PrimaryReplicaRouter` to ``DATABASE_ROUTERS`` and
:class:`ReadYourWritesMiddleware` to ``MIDDLEWARE``.

Where a query goes:

- every write (``db_for_write``) goes to the primary (``default``); so do migrations, which
  never run on the replica;
- a read goes to the replica only inside a *replica-eligible scope*: an HTTP request with a
  safe method (GET, HEAD, OPTIONS, TRACE) from a client that has not written recently, set up
  by the middleware, or an explicit :func:`replica_reads` block. Everything else (management
  commands, the background worker, tests, migrations) reads from the primary, so that code
  that writes and then reads never sees a stale copy;
- inside that scope a read still goes to the primary when (a) the primary connection is in a
  transaction (an ``atomic`` block, or autocommit off), (b) the request has already written
  (the router saw a ``db_for_write``), or (c) the client wrote less than
  ``REPLICA_PIN_SECONDS`` ago: the middleware then answers with a signed cookie
  (``sdg87_primary``, lifetime ``REPLICA_PIN_SECONDS``) and reads of the client's next
  requests go to the primary while the cookie is valid. That is read-your-writes for browsers
  and any client that keeps cookies, whatever the replication lag (within the window).

A request with an unsafe method (POST, PUT, PATCH, DELETE) reads from the primary throughout:
what it validates against is what it writes to.
"""

from __future__ import annotations

import contextvars
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, HttpResponse

from config.database import REPLICA_ALIAS

PIN_COOKIE_NAME = "sdg87_primary"
PIN_COOKIE_SALT = "sdg87.core.db_routing.pin"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


@dataclass
class RoutingScope:
    """What the router knows about the current request (or :func:`replica_reads` block)."""

    pinned: bool = False  # reads go to the primary: the client wrote recently, or unsafe method
    wrote: bool = False  # the router routed a write during this scope


_scope: contextvars.ContextVar[RoutingScope | None] = contextvars.ContextVar(
    "sdg87_db_routing_scope", default=None
)


def current_scope() -> RoutingScope | None:
    """The routing scope of this thread/context, ``None`` outside any (reads on the primary)."""
    return _scope.get()


@contextmanager
def replica_reads(*, pinned: bool = False) -> Iterator[RoutingScope]:
    """Let reads inside the block go to the replica (unless ``pinned``, or after a write)."""
    scope = RoutingScope(pinned=pinned)
    token = _scope.set(scope)
    try:
        yield scope
    finally:
        _scope.reset(token)


def _primary_in_transaction() -> bool:
    # Attributes only: asking the connection (get_autocommit) would open one for every read.
    primary = connections[DEFAULT_DB_ALIAS]
    if primary.in_atomic_block:
        return True
    return primary.connection is not None and not primary.autocommit


def read_alias() -> str:
    """The alias a read goes to right now, by the rules of the module docstring."""
    scope = _scope.get()
    if scope is None or scope.pinned or scope.wrote or _primary_in_transaction():
        return DEFAULT_DB_ALIAS
    return REPLICA_ALIAS


class PrimaryReplicaRouter:
    """``DATABASE_ROUTERS`` entry: reads to the replica when safe, everything else primary."""

    def db_for_read(self, model: type, **hints: Any) -> str:
        return read_alias()

    def db_for_write(self, model: type, **hints: Any) -> str:
        scope = _scope.get()
        if scope is not None:
            scope.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        # Both aliases hold the same database: an object read from the replica may be
        # related to one written to the primary.
        aliases = {DEFAULT_DB_ALIAS, REPLICA_ALIAS}
        if obj1._state.db in aliases and obj2._state.db in aliases:
            return True
        return None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        # A hot standby is read-only: its schema arrives by replication.
        if db == REPLICA_ALIAS:
            return False
        return None


def pin_seconds() -> int:
    return int(getattr(settings, "REPLICA_PIN_SECONDS", 5))


def client_is_pinned(request: HttpRequest) -> bool:
    """Whether the request carries a valid pin cookie (its client wrote within the window)."""
    seconds = pin_seconds()
    if seconds <= 0 or PIN_COOKIE_NAME not in request.COOKIES:
        return False
    try:
        request.get_signed_cookie(PIN_COOKIE_NAME, salt=PIN_COOKIE_SALT, max_age=seconds)
    except (KeyError, signing.BadSignature):  # SignatureExpired is a BadSignature
        return False
    return True


def pin_client(response: HttpResponse) -> None:
    """Make the client's next requests read from the primary for ``REPLICA_PIN_SECONDS``."""
    seconds = pin_seconds()
    if seconds <= 0:
        return
    response.set_signed_cookie(
        PIN_COOKIE_NAME,
        str(int(time.time())),
        salt=PIN_COOKIE_SALT,
        max_age=seconds,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


class ReadYourWritesMiddleware:
    """Opens the routing scope of each request and pins clients that wrote to the primary.

    Place it first (after SecurityMiddleware), so that the session and authentication reads
    are routed too.
    """

    sync_capable = True
    async_capable = False

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        unsafe = request.method not in SAFE_METHODS
        with replica_reads(pinned=unsafe or client_is_pinned(request)) as scope:
            response = self.get_response(request)
        if unsafe or scope.wrote:
            pin_client(response)
        return response
