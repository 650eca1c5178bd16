"""Property-based tests of hostile input at the edges a scheduled run is exposed to: config
TOML, feed XML and HTTP responses (served on 127.0.0.1 by the test).  Whatever arrives, the
outcome is a result or one of briefgen's one-line errors, never another exception."""

from __future__ import annotations

import gzip
import json
import socket
import socketserver
import threading
import time
import zlib
from collections.abc import Iterator
from pathlib import Path

import brotli
import pytest
import zstandard
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefgen.errors import BriefgenError
from briefgen.ingest.fetch import Fetcher, FetchError, parse_feed
from briefgen.service.config import load_config
from briefgen.spec import FetchLimits

FAST = settings(
    deadline=None, max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

# --------------------------------------------------------------------------- config TOML

KEYS = [
    "name", "title", "sources", "feeds", "formats", "schedule", "timezone", "keep", "lock_wait",
    "on_nothing_new", "colour", "jobs",
]  # fmt: skip
TABLES = {
    "readability": ["max_grade", "max_key_point_words", "max_pages", "strict", "typo"],
    "limits": ["max_file_size", "max_run_seconds", "max_memory", "follow_symlinks", "nope"],
    "fetch": ["timeout", "max_bytes", "allow_networks", "allow_private_networks", "workers"],
}
scalars = st.one_of(
    st.integers(-(2**63), 2**63 - 1),
    st.floats(allow_nan=False),
    st.booleans(),
    st.text(max_size=30),
)
values = st.one_of(scalars, st.lists(scalars, max_size=4))


def toml_value(v: object) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and v in (float("inf"), float("-inf")):
        return "inf" if v > 0 else "-inf"
    if isinstance(v, list):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    return json.dumps(v)  # ints, floats, and strings as TOML basic strings (mostly valid)


@st.composite
def configs(draw: st.DrawFn) -> str:
    lines = ["[[briefings]]"]
    for key in draw(st.lists(st.sampled_from(KEYS), unique=True, max_size=6)):
        lines.append(f"{key} = {toml_value(draw(values))}")
    for table in draw(st.lists(st.sampled_from(sorted(TABLES)), unique=True, max_size=3)):
        lines.append(f"[briefings.{table}]")
        for key in draw(st.lists(st.sampled_from(TABLES[table]), unique=True, max_size=3)):
            lines.append(f"{key} = {toml_value(draw(values))}")
    return "\n".join(lines) + "\n" + draw(st.sampled_from(["", "[[briefings", "x = ", "\x00"]))


@FAST
@given(text=configs())
def test_any_config_loads_or_is_one_config_error(tmp_path: Path, text: str) -> None:
    path = tmp_path / "b.toml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        load_config(path)
    except BriefgenError as exc:
        assert ("\n" not in str(exc) and str(exc).startswith(str(path))) or "config" in str(exc)


# --------------------------------------------------------------------------- feed XML

xml_text = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=60)
markup = st.sampled_from(
    ["", "<![CDATA[", "]]>", "&amp;", "&lol;", "<!ENTITY x 'y'>", "<p>", "</item>", "&#0;"]
)


@st.composite
def feeds(draw: st.DrawFn) -> bytes:
    doctype = draw(
        st.sampled_from(
            [
                "",
                '<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;">]>',
                '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
            ]
        )
    )
    items = "".join(
        f"<item><title>{draw(xml_text)}{draw(markup)}</title><link>{draw(xml_text)}</link>"
        f"<pubDate>{draw(xml_text)}</pubDate><description>{draw(xml_text)}{draw(markup)}"
        "</description></item>"
        for _ in range(draw(st.integers(0, 3)))
    )
    root = draw(st.sampled_from(["rss", "feed", "rdf:RDF", "html"]))
    doc = f'<?xml version="1.0"?>{doctype}<{root}><channel>{items}</channel></{root}>'
    return doc.encode("utf-8", "surrogatepass")[: draw(st.integers(10, 10_000))]


@FAST
@given(data=feeds())
def test_any_feed_parses_or_is_one_fetch_error(data: bytes) -> None:
    try:
        entries = parse_feed(data, "feed.xml", 30)
    except FetchError as exc:
        assert "\n" not in str(exc) and str(exc).startswith("feed.xml: ")
        return
    for entry in entries:
        assert "/etc/passwd" not in entry.content and "root:" not in entry.content
        assert len(entry.content) < 20_000  # no entity expansion


# --------------------------------------------------------------------------- HTTP responses


class RawServer:
    """Answers every connection with the bytes in ``self.response``, written in pieces."""

    def __init__(self) -> None:
        self.response: list[bytes] = [b"HTTP/1.1 204 No Content\r\n\r\n"]
        self.pause = 0.0
        outer = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                self.request.settimeout(3)
                try:
                    self.request.recv(65536)
                    for piece in outer.response:
                        self.request.sendall(piece)
                        time.sleep(outer.pause)
                    self.request.shutdown(socket.SHUT_WR)
                except OSError:
                    pass

        socketserver.ThreadingTCPServer.allow_reuse_address = True
        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/x"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture(scope="module")
def raw() -> Iterator[RawServer]:
    srv = RawServer()
    yield srv
    srv.server.shutdown()
    srv.server.server_close()


ENCODE = {
    "gzip": gzip.compress,
    "deflate": zlib.compress,
    "br": brotli.compress,
    "zstd": zstandard.ZstdCompressor().compress,
    "identity": bytes,
    "bogus": bytes,
}
header_text = st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=255), max_size=40).map(
    lambda s: s.encode("latin-1")
)


@st.composite
def responses(draw: st.DrawFn) -> list[bytes]:
    status = draw(st.sampled_from([b"200 OK", b"301 Moved", b"302 Found", b"404 No", b"999 X"]))
    body = draw(st.binary(max_size=3000)) + b"<p>" * draw(st.integers(0, 3))
    if draw(st.booleans()):
        body = b"\0" * draw(st.integers(0, 3_000_000))  # a bomb once encoded
    coding = draw(st.sampled_from(sorted(ENCODE)))
    encoded = ENCODE[coding](body)
    if draw(st.booleans()):
        encoded = encoded[: draw(st.integers(0, len(encoded)))]  # truncated
    headers = [b"Content-Type: " + draw(st.sampled_from([b"text/html; charset=utf-8", b"x/y"]))]
    if coding != "identity":
        headers.append(b"Content-Encoding: " + coding.encode())
    length = draw(st.sampled_from(["exact", "wrong", "none", "chunked"]))
    if length == "exact":
        headers.append(b"Content-Length: %d" % len(encoded))
    elif length == "wrong":
        headers.append(b"Content-Length: %d" % draw(st.integers(0, 10**12)))
    elif length == "chunked":
        headers.append(b"Transfer-Encoding: chunked")
        encoded = b"%x\r\n" % len(encoded) + encoded + b"\r\n0\r\n\r\n"
    if status[:1] == b"3":
        headers.append(b"Location: " + draw(st.sampled_from([b"/x", b"http://10.0.0.1/", b"x:y"])))
    for _ in range(draw(st.integers(0, 3))):
        headers.append(draw(header_text) + b": " + draw(header_text))
    head = b"HTTP/1.1 " + status + b"\r\n" + b"\r\n".join(headers) + b"\r\n\r\n"
    cut = draw(st.integers(1, 4))
    whole = head + encoded
    step = max(1, len(whole) // cut)
    return [whole[i : i + step] for i in range(0, len(whole), step)]


@FAST
@given(pieces=responses())
def test_any_http_response_is_a_body_or_one_fetch_error(
    raw: RawServer, pieces: list[bytes]
) -> None:
    raw.response = pieces
    limits = FetchLimits(timeout=2, max_bytes=1_000_000, allow_networks=("127.0.0.1/32",))
    started = time.monotonic()
    with Fetcher(limits) as fetcher:
        try:
            body, _, _ = fetcher.get(raw.url)
        except FetchError as exc:
            assert "\n" not in str(exc) and str(exc).startswith(raw.url)
        else:
            assert len(body) <= 1_000_000
    assert time.monotonic() - started < 3.0
