"""Fetch a URL from the internet without letting it reach into our own network (SSRF guard).

Every harvest request goes through :func:`fetch`. For each hop (the URL, then every
redirect) it:

1. accepts only ``http`` and ``https`` URLs with a host name and no credentials;
2. resolves the host name once and checks **every** address it resolves to: loopback,
   private, link-local, multicast, reserved, unspecified (``0.0.0.0``, ``::``), shared
   (100.64/10) and documentation ranges are refused, and so is an IPv6 address that embeds
   one of those (IPv4-mapped ``::ffff:a.b.c.d``, 6to4, Teredo, NAT64). Numeric forms such as
   ``127.1``, ``0x7f000001``, ``2130706433`` or ``0177.0.0.1`` are checked as the address the
   resolver turns them into; ``localhost`` and ``*.localhost`` are refused by name;
3. connects to the address it checked (the connection is pinned: no second lookup that a
   rebinding DNS server could answer differently), with TLS verified against the host name;
4. caps the time (connect and read timeouts, and a deadline for the whole fetch), the
   number of redirects and the size of the body, counted while it streams (and after
   gzip decompression).

Private addresses are allowed only through settings: ``HARVEST_ALLOW_PRIVATE_ADDRESSES``
(all of them; for a test or an intranet deployment) or ``HARVEST_ALLOWED_PRIVATE_ENDPOINTS``
(exact ``address:port`` pairs, e.g. ``["127.0.0.1:8081"]``).
"""

from __future__ import annotations

import concurrent.futures
import http.client
import ipaddress
import socket
import ssl
import time
import zlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import quote, urljoin, urlsplit

from django.conf import settings

from sdg87.core.errors import DomainError, InvalidInput

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
CHUNK_SIZE = 64 * 1024
USER_AGENT = "sdg87-harvester/1.0 (+https://github.com/sdg87; OAI-PMH and RSS harvester)"

# Networks that are not "global" although ``ipaddress`` calls some of them global, or that
# carry another address inside them.
NAT64_NETWORKS = (
    ipaddress.IPv6Network("64:ff9b::/96"),
    ipaddress.IPv6Network("64:ff9b:1::/48"),
)


class FetchError(DomainError):
    """The URL could not be fetched safely; the message says why, on one line."""

    code = "fetch_failed"
    exit_code = 1
    status_code = 502


class AddressRefused(FetchError):
    code = "address_refused"
    status_code = 400


class FetchTimeout(FetchError):
    code = "fetch_timeout"
    status_code = 504


class ResponseTooLarge(FetchError):
    code = "response_too_large"


class TooManyRedirects(FetchError):
    code = "too_many_redirects"


class BadResponse(FetchError):
    """The endpoint answered, but not with what the protocol expects (e.g. bad XML)."""

    code = "bad_response"


@dataclass(frozen=True)
class FetchPolicy:
    """The limits of one fetch; :meth:`from_settings` reads them from the settings."""

    allow_private: bool = False
    allowed_endpoints: frozenset[tuple[str, int]] = frozenset()
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    deadline: float = 120.0
    max_bytes: int = 50 * 1024 * 1024
    max_redirects: int = 5

    @classmethod
    def from_settings(cls, **overrides: object) -> FetchPolicy:
        values: dict[str, object] = {
            "allow_private": bool(getattr(settings, "HARVEST_ALLOW_PRIVATE_ADDRESSES", False)),
            "allowed_endpoints": parse_endpoints(
                getattr(settings, "HARVEST_ALLOWED_PRIVATE_ENDPOINTS", ())
            ),
            "connect_timeout": float(getattr(settings, "HARVEST_CONNECT_TIMEOUT", 10)),
            "read_timeout": float(getattr(settings, "HARVEST_READ_TIMEOUT", 30)),
            "deadline": float(getattr(settings, "HARVEST_FETCH_DEADLINE", 120)),
            "max_bytes": int(getattr(settings, "HARVEST_MAX_RESPONSE_BYTES", 50 * 1024 * 1024)),
            "max_redirects": int(getattr(settings, "HARVEST_MAX_REDIRECTS", 5)),
        }
        values.update(overrides)
        return cls(**values)  # type: ignore[arg-type]


@dataclass(frozen=True)
class FetchedResponse:
    url: str
    status: int
    headers: Mapping[str, str]
    body: bytes
    redirects: tuple[str, ...] = field(default=())

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


@dataclass(frozen=True)
class Target:
    """A checked URL: what to connect to and what to ask for."""

    url: str
    scheme: str
    host: str  # ASCII (IDNA) host name or IP literal, without brackets
    port: int
    request_target: str

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        default = 443 if self.scheme == "https" else 80
        return host if self.port == default else f"{host}:{self.port}"


def parse_endpoints(values: Iterable[str]) -> frozenset[tuple[str, int]]:
    """``["127.0.0.1:8081", "[::1]:8081"]`` → ``{("127.0.0.1", 8081), ("::1", 8081)}``."""
    endpoints = set()
    for value in values:
        host, _colon, port = value.strip().rpartition(":")
        address = ipaddress.ip_address(host.strip("[]"))
        endpoints.add((str(address), int(port)))
    return frozenset(endpoints)


# --- URL and address checks (pure) -----------------------------------------


def parse_url(url: str, *, error: type[DomainError] = InvalidInput) -> Target:
    """Check the URL's form (``http``/``https``, a host, no credentials); raise ``error``."""
    text = (url or "").strip()
    if not text:
        raise error("the URL is empty")
    if any(ord(char) < 33 for char in text):
        raise error(f"the URL {text!r} contains spaces or control characters")
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise error(f"malformed URL {text!r}: {exc}") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise error(f"only http and https URLs can be fetched, not {scheme or 'no scheme'!r}")
    if parts.username is not None or parts.password is not None:
        raise error("URLs with a user name or password are not fetched")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise error(f"the URL {text!r} has no host name")
    try:
        ascii_host = host if _is_ip_literal(host) else host.encode("idna").decode("ascii")
    except UnicodeError:
        raise error(f"the host name {host!r} is not valid") from None
    path = quote(parts.path or "/", safe="/%:@!$&'()*+,;=-._~")
    query = quote(parts.query, safe="/%:@!$&'()*+,;=-._~?")
    return Target(
        url=text,
        scheme=scheme,
        host=ascii_host.lower(),
        port=port or (443 if scheme == "https" else 80),
        request_target=path + (f"?{query}" if query else ""),
    )


def _is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def address_problem(address: IPAddress) -> str | None:
    """Why ``address`` must not be contacted, or ``None`` when it is a public address."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(address)
        if embedded is not None:
            problem = address_problem(embedded)
            return f"it embeds {embedded}, {problem}" if problem else None
    if address.is_unspecified:
        return "an unspecified address"
    if address.is_loopback:
        return "a loopback address"
    if address.is_link_local:
        return "a link-local address"
    if address.is_multicast:
        return "a multicast address"
    if address.is_private:
        return "a private address"
    if address.is_reserved:
        return "a reserved address"
    if not address.is_global:
        return "not a public address"
    return None


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if any(address in network for network in NAT64_NETWORKS):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    # IPv4-compatible addresses (::a.b.c.d), deprecated but still routed by some stacks.
    if int(address) >> 32 == 0 and int(address) > 1:
        return ipaddress.IPv4Address(int(address))
    return None


def check_addresses(
    host: str, port: int, addresses: Iterable[str], policy: FetchPolicy
) -> list[str]:
    """The addresses to connect to; refuses the host if any address is not allowed."""
    checked = []
    for text in addresses:
        address = ipaddress.ip_address(text.split("%")[0])
        problem = address_problem(address)
        allowed = (
            problem is None
            or policy.allow_private
            or (str(address), port) in policy.allowed_endpoints
        )
        if not allowed:
            shown = host if host == str(address) else f"{host} ({address})"
            raise AddressRefused(
                f"refused to connect to {shown}: {problem} "
                "(private, loopback and link-local addresses are not harvested)",
                details={"host": host, "address": str(address)},
            )
        checked.append(str(address))
    if not checked:
        raise FetchError(f"the host name {host} has no address")
    return checked


def check_host_now(target: Target, policy: FetchPolicy) -> None:
    """Refuse at once (``AddressRefused``) a URL whose host is an address or a local name
    (``localhost``) that may not be contacted, before anything is queued. Other host names
    are checked when they are resolved, at each connection."""
    host = target.host
    if _is_ip_literal(host):
        check_addresses(host, target.port, [host], policy)
    elif host == "localhost" or host.endswith(".localhost"):
        check_addresses(host, target.port, ["127.0.0.1"], policy)


def system_resolver(timeout: float) -> Resolver:
    """``getaddrinfo`` with a time limit (the C resolver has none of its own)."""

    def resolve(host: str, port: int) -> list[str]:
        executor = concurrent.futures.ThreadPoolExecutor(max_workers=1)
        future = executor.submit(
            socket.getaddrinfo, host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP
        )
        executor.shutdown(wait=False)
        try:
            infos = future.result(timeout=timeout)
        except concurrent.futures.TimeoutError:
            raise FetchTimeout(f"looking up {host} took longer than {timeout:g} s") from None
        except socket.gaierror as exc:
            raise FetchError(f"cannot resolve the host name {host}: {exc.strerror}") from None
        ordered: list[str] = []
        for info in infos:
            address = str(info[4][0])
            if address not in ordered:
                ordered.append(address)
        return ordered

    return resolve


# --- fetching ---------------------------------------------------------------


def fetch(
    url: str,
    *,
    policy: FetchPolicy | None = None,
    headers: Mapping[str, str] | None = None,
    resolver: Resolver | None = None,
) -> FetchedResponse:
    """GET ``url`` under ``policy``; follows redirects, re-checking each one.

    Raises ``InvalidInput`` for a malformed ``url`` and ``FetchError`` (or a subclass)
    for anything that goes wrong after that, including an HTTP status of 400 or more.
    """
    policy = policy or FetchPolicy.from_settings()
    started = time.monotonic()
    deadline = started + policy.deadline
    resolve = resolver or system_resolver(policy.connect_timeout)
    target = parse_url(url)
    redirects: list[str] = []
    while True:
        response = _fetch_once(target, policy, deadline, resolve, headers or {})
        if response.status not in REDIRECT_STATUSES:
            break
        location = response.headers.get("location", "").strip()
        if not location:
            raise FetchError(f"{target.url} answered {response.status} without a Location")
        if len(redirects) >= policy.max_redirects:
            raise TooManyRedirects(
                f"more than {policy.max_redirects} redirects, starting at {url}",
                details={"redirects": redirects},
            )
        next_url = urljoin(target.url, location)
        redirects.append(next_url)
        target = parse_url(next_url, error=FetchError)
    if response.status >= 400:
        raise FetchError(
            f"{target.url} answered HTTP {response.status}",
            details={"status": response.status, "url": target.url},
        )
    return FetchedResponse(
        url=target.url,
        status=response.status,
        headers=response.headers,
        body=response.body,
        redirects=tuple(redirects),
    )


def _remaining(deadline: float, target: Target, policy: FetchPolicy) -> float:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise FetchTimeout(f"fetching {target.url} took longer than {policy.deadline:g} s")
    return remaining


def _fetch_once(
    target: Target,
    policy: FetchPolicy,
    deadline: float,
    resolve: Resolver,
    extra_headers: Mapping[str, str],
) -> FetchedResponse:
    loopback_name = target.host == "localhost" or target.host.endswith(".localhost")
    if loopback_name and not policy.allow_private:
        raise AddressRefused(f"refused to connect to {target.host}: a loopback host name")
    if _is_ip_literal(target.host):
        addresses = [target.host]
    else:
        _remaining(deadline, target, policy)
        addresses = resolve(target.host, target.port)
    addresses = check_addresses(target.host, target.port, addresses, policy)
    sock = _connect(addresses, target, policy, deadline)
    try:
        connection = http.client.HTTPConnection(target.host, target.port)
        connection.sock = sock  # pinned: http.client never opens a socket of its own
        connection.putrequest(
            "GET", target.request_target, skip_host=True, skip_accept_encoding=True
        )
        connection.putheader("Host", target.host_header)
        connection.putheader("User-Agent", USER_AGENT)
        connection.putheader("Accept-Encoding", "gzip, identity")
        connection.putheader("Connection", "close")
        for name, value in extra_headers.items():
            connection.putheader(name, value)
        connection.endheaders()
        sock.settimeout(min(policy.read_timeout, _remaining(deadline, target, policy)))
        response = connection.getresponse()
        headers = {name.lower(): value for name, value in response.getheaders()}
        if response.status in REDIRECT_STATUSES:
            body = b""
        else:
            body = _read_body(response, headers, sock, target, policy, deadline)
        return FetchedResponse(url=target.url, status=response.status, headers=headers, body=body)
    except TimeoutError:
        if time.monotonic() >= deadline - 0.05:
            raise FetchTimeout(
                f"fetching {target.url} took longer than {policy.deadline:g} s"
            ) from None
        raise FetchTimeout(f"{target.url} sent nothing for {policy.read_timeout:g} s") from None
    except (http.client.HTTPException, OSError) as exc:
        raise FetchError(f"bad HTTP response from {target.url}: {_reason(exc)}") from None
    finally:
        sock.close()


def _connect(
    addresses: list[str], target: Target, policy: FetchPolicy, deadline: float
) -> socket.socket:
    last_error: Exception | None = None
    for address in addresses:
        timeout = min(policy.connect_timeout, _remaining(deadline, target, policy))
        try:
            sock = socket.create_connection((address, target.port), timeout=timeout)
        except TimeoutError:
            last_error = FetchTimeout(f"connecting to {target.host} took longer than {timeout:g} s")
            continue
        except OSError as exc:
            last_error = FetchError(f"cannot connect to {target.host}: {_reason(exc)}")
            continue
        if target.scheme == "https":
            try:
                context = ssl.create_default_context()
                sock = context.wrap_socket(sock, server_hostname=target.host)
            except TimeoutError:
                sock.close()
                raise FetchTimeout(f"the TLS handshake with {target.host} timed out") from None
            except (ssl.SSLError, OSError) as exc:
                sock.close()
                raise FetchError(f"TLS failed with {target.host}: {_reason(exc)}") from None
        return sock
    assert last_error is not None
    raise last_error


def _read_body(
    response: http.client.HTTPResponse,
    headers: Mapping[str, str],
    sock: socket.socket,
    target: Target,
    policy: FetchPolicy,
    deadline: float,
) -> bytes:
    limit = policy.max_bytes
    too_large = ResponseTooLarge(
        f"the response from {target.url} is larger than {limit:,} bytes", details={"limit": limit}
    )
    declared = headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_large
    encoding = headers.get("content-encoding", "identity").strip().lower()
    if encoding not in ("identity", "", "gzip", "x-gzip"):
        raise FetchError(f"{target.url} sent an unsupported content encoding {encoding!r}")
    decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS) if "gzip" in encoding else None
    chunks: list[bytes] = []
    size = 0
    while True:
        sock.settimeout(min(policy.read_timeout, _remaining(deadline, target, policy)))
        chunk = response.read1(CHUNK_SIZE)
        if not chunk:
            break
        if decompressor is not None:
            chunk = decompressor.decompress(chunk, limit - size + 1)
            if decompressor.unconsumed_tail:
                raise too_large
        size += len(chunk)
        if size > limit:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


def _reason(exc: BaseException) -> str:
    text = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    return " ".join(str(text).split())
