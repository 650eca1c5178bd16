"""The egress guard and fetch limits: no internal address is fetched, no limit is outlived.

Servers run on 127.0.0.1 in the test; the default policy must refuse them, and the tests that
need them to answer opt in with ``allow_private_networks`` or ``allow_networks``.
"""

from __future__ import annotations

import gzip
import ipaddress
import socket
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import brotli
import pytest
import zstandard

from briefgen.ingest.egress import EgressPolicy, address_problem
from briefgen.ingest.fetch import Fetcher, FetchError, gather
from briefgen.spec import BriefingSpec, FetchLimits

PAGE = (
    b"<html><head><title>Harbour wall</title></head><body><article>"
    + b"<p>The council said the harbour wall will be rebuilt before the winter storms.</p>" * 5
    + b"</article></body></html>"
)
Handler = Callable[[BaseHTTPRequestHandler], None]


class Server:
    """A 127.0.0.1 server whose routes are functions of the request handler."""

    def __init__(self, routes: dict[str, Handler]) -> None:
        self.requests: list[str] = []
        server = self

        class H(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                server.requests.append(self.path)
                routes.get(self.path, _not_found)(self)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.httpd.daemon_threads = True
        self.httpd.handle_error = lambda request, address: None  # type: ignore[method-assign]
        self.port = self.httpd.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _not_found(h: BaseHTTPRequestHandler) -> None:
    _send(h, b"not found", status=404)


def _send(h: BaseHTTPRequestHandler, body: bytes, status: int = 200, **headers: str) -> None:
    h.send_response(status)
    h.send_header("Content-Type", headers.pop("ctype", "text/html; charset=utf-8"))
    for key, value in headers.items():
        h.send_header(key.replace("_", "-"), value)
    h.send_header("Content-Length", str(len(body)))
    h.end_headers()
    h.wfile.write(body)


def _redirect(to: str) -> Handler:
    return lambda h: _send(h, b"", status=302, Location=to)


def _drip_headers(h: BaseHTTPRequestHandler) -> None:
    """A status line, then one header byte every 0.1 s for a minute."""
    try:
        h.wfile.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
        for _ in range(600):
            h.wfile.write(b"a")
            h.wfile.flush()
            time.sleep(0.1)
    except OSError:
        pass


BOMB = b"\0" * 50_000_000  # compressed below; decoded it would be 50 times max_bytes
ENCODERS: dict[str, Callable[[bytes], bytes]] = {
    "gzip": gzip.compress,
    "deflate": zlib.compress,
    "br": lambda b: brotli.compress(b, quality=1),
    "zstd": zstandard.ZstdCompressor().compress,
}


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    routes: dict[str, Handler] = {
        "/page": lambda h: _send(h, PAGE),
        "/drip": _drip_headers,
        "/corrupt": lambda h: _send(h, b"\x1f\x8b not gzip", Content_Encoding="gzip"),
        "/odd-encoding": lambda h: _send(h, b"xx", Content_Encoding="compress"),
    }
    for name, encode in ENCODERS.items():
        small, bomb = encode(PAGE), encode(BOMB)
        routes[f"/{name}"] = lambda h, b=small, n=name: _send(h, b, Content_Encoding=n)
        routes[f"/{name}-bomb"] = lambda h, b=bomb, n=name: _send(h, b, Content_Encoding=n)
    srv = Server(routes)
    routes["/to-loopback"] = _redirect(f"http://127.0.0.2:{srv.port}/page")
    routes["/to-mapped"] = _redirect(f"http://[::ffff:127.0.0.2]:{srv.port}/page")
    routes["/to-metadata"] = _redirect("http://169.254.169.254/latest/meta-data/")
    yield srv
    srv.close()


ONLY_THIS = FetchLimits(timeout=2, allow_networks=("127.0.0.1/32",))


@pytest.mark.parametrize(
    ("address", "problem"),
    [
        ("127.0.0.1", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("169.254.169.254", "link-local"),
        ("100.64.0.1", "shared"),
        ("224.0.0.1", "multicast"),
        ("240.0.0.1", "reserved"),
        ("0.0.0.0", "unspecified"),
        ("::1", "loopback"),
        ("::", "unspecified"),
        ("fe80::1", "link-local"),
        ("fc00::1", "private"),
        ("ff02::1", "multicast"),
        ("::ffff:127.0.0.1", "loopback, inside an IPv6 address"),
        ("::ffff:169.254.169.254", "link-local, inside an IPv6 address"),
        ("64:ff9b::a00:1", "private, inside an IPv6 address"),
        ("2002:7f00:1::", "loopback, inside an IPv6 address"),
        ("8.8.8.8", None),
        ("2606:4700:4700::1111", None),
    ],
)
def test_only_public_addresses_are_fetchable_by_default(address: str, problem: str | None) -> None:
    assert address_problem(ipaddress.ip_address(address)) == problem


def test_opt_ins_admit_only_what_they_name() -> None:
    ip = ipaddress.ip_address
    intranet = EgressPolicy.of(["10.0.0.0/8"])
    assert intranet.refusal(ip("10.20.30.40")) is None
    assert intranet.refusal(ip("::ffff:10.20.30.40")) is None
    assert intranet.refusal(ip("192.168.1.1")) == "private"
    private = EgressPolicy.of(allow_private=True)
    assert private.refusal(ip("127.0.0.1")) is None and private.refusal(ip("100.64.1.1")) is None
    assert private.refusal(ip("169.254.169.254")) == "link-local"  # cloud metadata stays out
    assert private.refusal(ip("224.0.0.1")) == "multicast"


def test_default_refuses_the_local_server(server: Server) -> None:
    before = len(server.requests)
    with Fetcher(FetchLimits(timeout=2)) as f, pytest.raises(FetchError) as info:
        f.get(f"{server.base}/page")
    assert str(info.value) == (
        f"{server.base}/page: refused to connect to 127.0.0.1 (127.0.0.1: loopback address)"
    )
    assert len(server.requests) == before


def test_opted_in_network_is_fetched(server: Server) -> None:
    with Fetcher(ONLY_THIS) as f:
        body, charset, final = f.get(f"{server.base}/page")
    assert body == PAGE and charset == "utf-8" and final == f"{server.base}/page"


@pytest.mark.parametrize(
    ("path", "refused"),
    [
        ("/to-loopback", "127.0.0.2 (127.0.0.2: loopback address)"),
        ("/to-mapped", "::ffff:127.0.0.2 (::ffff:127.0.0.2: loopback, inside an IPv6 address"),
        ("/to-metadata", "169.254.169.254 (169.254.169.254: link-local address)"),
    ],
)
def test_every_redirect_hop_is_checked(server: Server, path: str, refused: str) -> None:
    with Fetcher(ONLY_THIS) as f, pytest.raises(FetchError) as info:
        f.get(server.base + path)
    message = str(info.value)
    assert message.startswith(f"{server.base}{path}: redirect to http://")
    assert f"refused to connect to {refused}" in message


def test_connects_to_the_address_it_checked(
    server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DNS rebinding: the name resolves once; a second lookup would have said 10.9.9.9."""
    real = socket.getaddrinfo
    lookups: list[str] = []

    def rebinding(host: str, port: object, *args: object, **kw: object) -> object:
        if host == "feed.example":
            lookups.append(host)
            host = "127.0.0.1" if len(lookups) == 1 else "10.9.9.9"
        return real(host, port, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    with Fetcher(ONLY_THIS) as f:
        body, _, final = f.get(f"http://feed.example:{server.port}/page")
    assert body == PAGE and final == f"http://feed.example:{server.port}/page"
    assert lookups == ["feed.example"]


def test_refused_entry_link_falls_back_to_the_feed_text(server: Server, tmp_path: Path) -> None:
    feed = tmp_path / "feed.rss"
    link = f"{server.base}/page"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item>'
        f"<title>Harbour wall</title><link>{link}</link><description>The council said the "
        "harbour wall will be rebuilt before the winter storms arrive.</description>"
        "</item></channel></rss>"
    )
    before = len(server.requests)
    result = gather("t", [], [str(feed)], BriefingSpec())
    assert result.warnings == [
        f"{link}: refused to connect to 127.0.0.1 (127.0.0.1: loopback address);"
        " used the feed's own text"
    ]
    assert "rebuilt before the winter storms" in result.articles[0].text
    assert len(server.requests) == before


def test_dripping_headers_cannot_outlast_the_timeout(server: Server) -> None:
    started = time.monotonic()
    with (
        Fetcher(FetchLimits(timeout=1, allow_private_networks=True)) as f,
        pytest.raises(FetchError, match="timed out"),
    ):
        f.get(f"{server.base}/drip")
    assert time.monotonic() - started < 1.8


@pytest.mark.parametrize("encoding", sorted(ENCODERS))
def test_every_content_encoding_is_decoded(server: Server, encoding: str) -> None:
    with Fetcher(ONLY_THIS) as f:
        assert f.get(f"{server.base}/{encoding}")[0] == PAGE


@pytest.mark.parametrize("encoding", sorted(ENCODERS))
def test_decompression_bombs_stop_at_max_bytes(server: Server, encoding: str) -> None:
    limits = FetchLimits(timeout=5, max_bytes=1_000_000, allow_networks=("127.0.0.1/32",))
    with Fetcher(limits) as f, pytest.raises(FetchError) as info:
        f.get(f"{server.base}/{encoding}-bomb")
    assert str(info.value).endswith("larger than 1,000,000 bytes once decoded")


@pytest.mark.parametrize(
    ("path", "reason"),
    [("/corrupt", "corrupt gzip body"), ("/odd-encoding", "unsupported content encoding")],
)
def test_bad_bodies_are_one_line_errors(server: Server, path: str, reason: str) -> None:
    with Fetcher(ONLY_THIS) as f, pytest.raises(FetchError, match=reason) as info:
        f.get(server.base + path)
    assert "\n" not in str(info.value)


def test_allow_networks_must_be_networks() -> None:
    with pytest.raises(ValueError, match="'intranet' is not a network"):
        FetchLimits(allow_networks=("intranet",))


def test_a_fetched_page_over_its_time_budget_is_skipped(
    server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pages are downloaded in threads but read in the main thread, within the budget."""
    from briefgen.errors import IngestError
    from briefgen.ingest import fetch
    from briefgen.spec import Limits

    def slow(*args: object, **kw: object) -> object:
        time.sleep(30)
        raise AssertionError("not reached")

    monkeypatch.setattr(fetch, "article_from_html", slow)
    spec = BriefingSpec(fetch=ONLY_THIS, limits=Limits(max_article_seconds=1))
    started = time.monotonic()
    with pytest.raises(IngestError) as info:
        gather("t", [f"{server.base}/page"], [], spec)
    assert time.monotonic() - started < 5
    assert str(info.value) == (
        f"briefing 't': no articles from any source ({server.base}/page: still being read "
        "after 1 s, its time budget (raise it with --max-article-seconds); skipped)"
    )
