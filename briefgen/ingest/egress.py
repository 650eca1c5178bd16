"""The egress guard: which addresses briefgen may connect to, and a transport that obeys it.

A scheduled briefing follows links from third-party feeds and their redirects, so a URL is
attacker-chosen.  Every connection goes through :class:`GuardedBackend`: the host is resolved
once, every address it resolves to is checked against the :class:`EgressPolicy`, and the socket
is opened to the checked address itself (no second lookup, so a DNS answer that changes between
check and connect cannot reach an internal address).  TLS still verifies the certificate
against, and sends SNI for, the host name: httpcore passes it to ``start_tls``.  Redirects open
new connections through the same backend, so every hop is checked.

A thread-local deadline (:func:`deadline`) bounds connect, TLS, headers and body together:
every socket operation gets at most the time left, so a server dripping one header byte a
second cannot hold a fetch past its timeout.

Reusable by anything that makes outgoing requests (feeds, pages, webhooks):
``httpx.Client(transport=guarded_transport(policy))``.
"""

from __future__ import annotations

import contextlib
import ipaddress
import queue
import socket
import ssl
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import httpcore
import httpx

__all__ = [
    "EgressPolicy",
    "EgressRefused",
    "GuardedBackend",
    "address_problem",
    "deadline",
    "guarded_transport",
]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

_SHARED = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT (RFC 6598)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")  # IPv4 embedded in the low 32 bits (RFC 6052)
_PRIVATE_KINDS = frozenset({"loopback", "private", "shared"})


class EgressRefused(Exception):
    """A connection the policy refuses; the message names the host and the address."""


def _embedded_v4(ip: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries (mapped, 6to4, Teredo, NAT64), if any."""
    if not isinstance(ip, ipaddress.IPv6Address):
        return None
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def address_problem(ip: IPAddress) -> str | None:
    """Why ``ip`` is not a public address (``"loopback"``, ``"private"`` ...), or None."""
    inner = _embedded_v4(ip)
    if inner is not None:
        problem = address_problem(inner)
        return f"{problem}, inside an IPv6 address" if problem else None
    if ip.is_unspecified:
        return "unspecified"
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link-local"
    if ip.is_multicast:
        return "multicast"
    if isinstance(ip, ipaddress.IPv4Address) and ip in _SHARED:
        return "shared"
    if ip.is_reserved:
        return "reserved"
    return "private" if ip.is_private else None if ip.is_global else "reserved"


@dataclass(frozen=True)
class EgressPolicy:
    """Public addresses only, unless networks are allowed explicitly.

    ``allow_networks`` admits any address inside them (e.g. ``10.0.0.0/8`` for an intranet
    feed); ``allow_private`` admits loopback, private (RFC 1918, fc00::/7) and shared
    (100.64/10) addresses, but never link-local ones (169.254.169.254 is the cloud metadata
    service), multicast or unspecified addresses: name those in ``allow_networks`` if needed.
    """

    allow_networks: tuple[IPNetwork, ...] = ()
    allow_private: bool = False

    @classmethod
    def of(cls, networks: Iterable[str] = (), allow_private: bool = False) -> EgressPolicy:
        return cls(tuple(ipaddress.ip_network(n, strict=False) for n in networks), allow_private)

    def refusal(self, ip: IPAddress) -> str | None:
        """Why connecting to ``ip`` is refused, or None when it is allowed."""
        problem = address_problem(ip)
        if problem is None:
            return None
        inner = _embedded_v4(ip) or ip
        if any(ip in net or inner in net for net in self.allow_networks):
            return None
        if self.allow_private and problem.split(",")[0] in _PRIVATE_KINDS:
            return None
        return problem


# --------------------------------------------------------------------------- deadline

_state = threading.local()


@contextlib.contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Every guarded socket operation in this thread ends within ``seconds`` from now."""
    previous = getattr(_state, "deadline", None)
    _state.deadline = time.monotonic() + seconds
    try:
        yield
    finally:
        _state.deadline = previous


def _budget(timeout: float | None, error: type[Exception] = httpcore.ReadTimeout) -> float | None:
    """``timeout`` cut to the time left before the thread's deadline; past it, ``error``."""
    end = getattr(_state, "deadline", None)
    if end is None:
        return timeout
    left = end - time.monotonic()
    if left <= 0:
        raise error("deadline passed")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    """A network stream whose every operation ends by the thread's deadline."""

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _budget(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _budget(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        budget = _budget(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self._inner.start_tls(ssl_context, server_hostname, budget))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


# --------------------------------------------------------------------------- connecting


def _resolve(host: str, port: int, timeout: float | None) -> list[str]:
    """Addresses of ``host`` (a lookup that hangs ends with the deadline, as a timeout)."""
    answer: queue.Queue[list[str] | OSError] = queue.Queue(maxsize=1)

    def lookup() -> None:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
            answer.put([str(info[4][0]).split("%")[0] for info in infos])
        except OSError as exc:
            answer.put(exc)

    threading.Thread(target=lookup, daemon=True, name="briefgen-resolve").start()
    try:
        got = answer.get(timeout=timeout)
    except queue.Empty:
        raise httpcore.ConnectTimeout(f"{host}: name lookup timed out") from None
    if isinstance(got, OSError):
        raise httpcore.ConnectError(f"{host}: name lookup failed ({got})")
    return list(dict.fromkeys(got))


class GuardedBackend(httpcore.NetworkBackend):
    """httpcore's socket backend, connecting only to addresses the policy allows."""

    def __init__(self, policy: EgressPolicy) -> None:
        self.policy = policy
        self._plain = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        budget = _budget(timeout, httpcore.ConnectTimeout)
        addresses = _resolve(host, port, budget)
        for address in addresses:
            why = self.policy.refusal(ipaddress.ip_address(address))
            if why:
                raise EgressRefused(f"refused to connect to {host} ({address}: {why} address)")
        last: Exception = httpcore.ConnectError(f"{host}: no address")
        for address in addresses:  # each one checked above: no second lookup
            try:
                stream = self._plain.connect_tcp(
                    address,
                    port,
                    _budget(timeout, httpcore.ConnectTimeout),
                    local_address,
                    socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
                continue
            return _DeadlineStream(stream)
        raise last

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        raise EgressRefused(f"refused to connect to the unix socket {path}")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


def guarded_transport(policy: EgressPolicy, **kwargs: Any) -> httpx.HTTPTransport:
    """An httpx transport whose connections all pass :class:`GuardedBackend`.

    Proxies are not supported (the guard would check the proxy, not the target)."""
    transport = httpx.HTTPTransport(**kwargs)
    pool = transport._pool
    if not isinstance(pool, httpcore.ConnectionPool) or isinstance(pool, httpcore.HTTPProxy):
        raise ValueError("the egress guard cannot check connections through a proxy")
    pool._network_backend = GuardedBackend(policy)
    return transport
