"""The SSRF guard: private addresses are refused however they are written, even after a
redirect; responses are capped in size and time. Real servers on 127.0.0.1 only."""

from __future__ import annotations

import ipaddress

import pytest

from sdg87.core.errors import InvalidInput
from sdg87.library.safe_http import (
    AddressRefused,
    FetchError,
    FetchPolicy,
    FetchTimeout,
    ResponseTooLarge,
    TooManyRedirects,
    address_problem,
    fetch,
    parse_endpoints,
)
from sdg87.library.tests.local_http import endless_body, gzip_bomb, serving, silent, trickle


@pytest.fixture
def local_server():
    yield from serving()


@pytest.fixture
def other_server():
    """A second loopback server: a redirect target that must never be reached."""
    yield from serving()


CLOSED = FetchPolicy()  # the production default: no private address
OPEN = FetchPolicy(allow_private=True)


def only(server, **limits) -> FetchPolicy:
    """A policy that allows exactly this test server and no other private address."""
    return FetchPolicy(allowed_endpoints=parse_endpoints([server.endpoint]), **limits)


def hello(request):
    request.respond("<hello/>")


# --- happy path --------------------------------------------------------------------------


def test_fetches_a_local_server_when_the_policy_allows_private_addresses(local_server):
    local_server.route("/feed", hello)
    response = fetch(local_server.url("/feed?x=1"), policy=OPEN)
    assert response.status == 200
    assert response.body == b"<hello/>"
    assert local_server.requests[0].query == {"x": ["1"]}


def test_an_allowed_endpoint_lets_in_that_server_only(local_server):
    local_server.route("/feed", hello)
    assert fetch(local_server.url("/feed"), policy=only(local_server)).body == b"<hello/>"


def test_settings_allow_private_addresses_for_tests(local_server, settings):
    local_server.route("/feed", hello)
    settings.HARVEST_ALLOW_PRIVATE_ADDRESSES = True
    assert fetch(local_server.url("/feed")).body == b"<hello/>"


# --- refusals ------------------------------------------------------------------------------


def test_settings_refuse_loopback_by_default(local_server, settings):
    settings.HARVEST_ALLOW_PRIVATE_ADDRESSES = False
    settings.HARVEST_ALLOWED_PRIVATE_ENDPOINTS = []
    local_server.route("/feed", hello)
    with pytest.raises(AddressRefused, match="loopback"):
        fetch(local_server.url("/feed"))
    assert local_server.requests == []


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1",
        "127.1",  # short form
        "0x7f000001",  # hexadecimal
        "2130706433",  # decimal
        "017700000001",  # octal
        "0177.0.0.1",  # octal first octet
        "127.0.0.2",
        "0",  # 0.0.0.0 reaches the local host on Linux
        "0.0.0.0",  # noqa: S104
        "[::1]",
        "[::ffff:127.0.0.1]",  # IPv4-mapped IPv6
        "[::ffff:7f00:1]",
        "[::]",
        "localhost",
        "localhost.",
        "LOCALHOST",
        "api.localhost",
    ],
)
def test_bypass_forms_of_the_loopback_address_are_refused(host, local_server):
    local_server.route("/", hello)
    with pytest.raises(AddressRefused):
        fetch(f"http://{host}:{local_server.port}/", policy=CLOSED)
    assert local_server.requests == []


@pytest.mark.parametrize("host", ["127.1", "0x7f000001", "2130706433", "017700000001"])
def test_numeric_forms_do_reach_the_loopback_server_so_refusing_them_matters(host, local_server):
    local_server.route("/", hello)
    assert fetch(f"http://{host}:{local_server.port}/", policy=OPEN).body == b"<hello/>"


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",  # cloud metadata
        "http://[fd00:ec2::254]/",  # AWS metadata over IPv6 (unique local)
        "http://[::ffff:169.254.169.254]/",
        "http://[::ffff:a9fe:a9fe]/",
        "http://10.0.0.1/",
        "http://172.16.0.1/",
        "http://192.168.1.1/",
        "http://100.64.0.1/",  # shared address space (carrier-grade NAT)
        "http://224.0.0.1/",  # multicast
        "http://240.0.0.1/",  # reserved
        "http://255.255.255.255/",
        "http://[fe80::1]/",  # link-local
        "http://[fc00::1]/",  # unique local
        "http://[ff02::1]/",  # multicast
        "http://[64:ff9b::7f00:1]/",  # NAT64 of 127.0.0.1
        "http://[2002:7f00:1::]/",  # 6to4 of 127.0.0.1
        "http://[::127.0.0.1]/",  # IPv4-compatible
    ],
)
def test_private_link_local_and_reserved_addresses_are_refused_before_connecting(url):
    # The guard refuses before any socket is opened: no traffic leaves this machine.
    with pytest.raises(AddressRefused):
        fetch(url, policy=CLOSED)


def test_a_host_name_that_resolves_to_a_private_address_is_refused(local_server):
    lookups = []

    def resolver(host, port):
        lookups.append(host)
        return ["10.1.2.3"]

    with pytest.raises(AddressRefused, match=r"intranet\.example \(10\.1\.2\.3\)"):
        fetch("http://intranet.example/", policy=CLOSED, resolver=resolver)
    assert lookups == ["intranet.example"]


def test_a_host_name_is_refused_when_any_of_its_addresses_is_private():
    def resolver(host, port):
        return ["93.184.216.34", "127.0.0.1"]

    with pytest.raises(AddressRefused, match=r"127\.0\.0\.1"):
        fetch("http://mixed.example/", policy=CLOSED, resolver=resolver)


def test_the_connection_is_pinned_to_the_one_address_checked(local_server):
    """DNS rebinding: the name is resolved once, and that checked address is used."""
    local_server.route("/", hello)
    answers = iter([["127.0.0.1"], ["169.254.169.254"]])
    lookups = []

    def rebinding_resolver(host, port):
        lookups.append(host)
        return next(answers)

    response = fetch(
        f"http://rebind.example:{local_server.port}/",
        policy=only(local_server),
        resolver=rebinding_resolver,
    )
    assert response.body == b"<hello/>"
    assert lookups == ["rebind.example"]
    assert local_server.requests[0].headers["host"] == f"rebind.example:{local_server.port}"


def test_a_redirect_to_another_local_address_is_refused(local_server, other_server):
    other_server.route("/secret", hello)
    local_server.route("/feed", lambda request: request.redirect(other_server.url("/secret")))
    with pytest.raises(AddressRefused):
        fetch(local_server.url("/feed"), policy=only(local_server))
    assert local_server.paths() == ["/feed"]
    assert other_server.requests == []


def test_a_redirect_to_the_metadata_address_is_refused(local_server):
    local_server.route(
        "/feed", lambda request: request.redirect("http://169.254.169.254/latest/meta-data/")
    )
    with pytest.raises(AddressRefused, match=r"169\.254\.169\.254"):
        fetch(local_server.url("/feed"), policy=only(local_server))


def test_a_redirect_to_loopback_by_name_is_refused(local_server):
    local_server.route(
        "/feed", lambda request: request.redirect(f"http://localhost:{local_server.port}/x")
    )
    with pytest.raises(AddressRefused):
        fetch(local_server.url("/feed"), policy=only(local_server))


def test_a_redirect_to_a_non_http_scheme_is_refused(local_server):
    local_server.route("/feed", lambda request: request.redirect("file:///etc/passwd"))
    with pytest.raises(FetchError, match="only http and https"):
        fetch(local_server.url("/feed"), policy=only(local_server))


def test_a_relative_redirect_on_the_same_server_is_followed(local_server):
    local_server.route("/old", lambda request: request.redirect("/new", status=301))
    local_server.route("/new", hello)
    response = fetch(local_server.url("/old"), policy=only(local_server))
    assert response.body == b"<hello/>"
    assert response.url == local_server.url("/new")


def test_a_redirect_loop_stops_after_the_redirect_limit(local_server):
    local_server.route("/loop", lambda request: request.redirect("/loop"))
    with pytest.raises(TooManyRedirects):
        fetch(local_server.url("/loop"), policy=only(local_server, max_redirects=3))
    assert len(local_server.requests) == 4


# --- size and time --------------------------------------------------------------------------


def test_a_declared_length_over_the_limit_is_refused_before_reading(local_server):
    local_server.route("/big", lambda request: request.respond(b"x" * 5000))
    with pytest.raises(ResponseTooLarge):
        fetch(local_server.url("/big"), policy=only(local_server, max_bytes=1000))


def test_an_endless_body_is_cut_at_the_limit_while_streaming(local_server):
    local_server.route("/endless", endless_body)
    with pytest.raises(ResponseTooLarge, match="larger than 1,000,000 bytes"):
        fetch(local_server.url("/endless"), policy=only(local_server, max_bytes=1_000_000))


def test_a_gzip_bomb_is_cut_at_the_limit_after_decompression(local_server):
    local_server.route("/bomb", gzip_bomb(20_000_000))
    with pytest.raises(ResponseTooLarge):
        fetch(local_server.url("/bomb"), policy=only(local_server, max_bytes=1_000_000))


def test_a_gzip_body_within_the_limit_is_decompressed(local_server):
    local_server.route("/small", gzip_bomb(1000))
    assert fetch(local_server.url("/small"), policy=only(local_server)).body == b"\0" * 1000


def test_a_silent_server_times_out(local_server):
    local_server.route("/silent", silent)
    with pytest.raises(FetchTimeout):
        fetch(local_server.url("/silent"), policy=only(local_server, read_timeout=0.5))


def test_a_trickling_server_is_stopped_by_the_overall_deadline(local_server):
    local_server.route("/slow", trickle)
    with pytest.raises(FetchTimeout, match="longer than 1 s"):
        fetch(local_server.url("/slow"), policy=only(local_server, read_timeout=5, deadline=1))


def test_an_http_error_status_is_a_fetch_error(local_server):
    local_server.route("/broken", lambda request: request.respond("oops", status=500))
    with pytest.raises(FetchError, match="HTTP 500"):
        fetch(local_server.url("/broken"), policy=only(local_server))


def test_a_closed_port_is_a_clear_fetch_error(local_server):
    port = local_server.port
    local_server.stop()
    with pytest.raises(FetchError, match="cannot connect"):
        fetch(f"http://127.0.0.1:{port}/", policy=OPEN)


# --- the URL itself ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "",
        "not a url",
        "ftp://example.org/file",
        "file:///etc/passwd",
        "gopher://example.org/",
        "javascript:alert(1)",
        "http://",
        "http://user:secret@example.org/",
        "http://example.org:99999/",
        "http://exa mple.org/",
    ],
)
def test_a_malformed_or_non_http_url_is_invalid_input(url):
    with pytest.raises(InvalidInput):
        fetch(url, policy=CLOSED)


# --- the address rule itself (pure) ------------------------------------------------------------


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111"])
def test_public_addresses_are_allowed(address):
    assert address_problem(ipaddress.ip_address(address)) is None


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "loopback"),
        ("0.0.0.0", "unspecified"),  # noqa: S104
        ("169.254.169.254", "link-local"),
        ("10.0.0.1", "private"),
        ("224.0.0.1", "multicast"),
        ("::ffff:10.0.0.1", "embeds 10.0.0.1"),
        ("::ffff:8.8.8.8", None),
    ],
)
def test_address_problem_names_the_reason(address, reason):
    problem = address_problem(ipaddress.ip_address(address))
    if reason is None:
        assert problem is None
    else:
        assert reason in problem
