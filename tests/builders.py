"""Cheap builders for tests: real-looking articles without touching the disk."""

from __future__ import annotations

import hashlib
import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from briefgen.model import Article


def make_article(
    text: str,
    *,
    id: str = "a1",
    title: str = "Untitled",
    outlet: str | None = None,
    published: date | None = None,
    path: str | None = None,
    url: str | None = None,
) -> Article:
    """An :class:`Article` with its hash computed from ``text`` (path defaults to ``<id>.txt``)."""
    return Article(
        id=id,
        title=title,
        outlet=outlet,
        published=published,
        text=text,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        path=path if path is not None else f"{id}.txt",
        url=url,
    )


@contextmanager
def spy_server() -> Iterator[tuple[str, list[str]]]:
    """A local HTTP server recording every request path: ``("127.0.0.1:PORT", paths)``.

    briefgen must never call it while it renders.
    """
    seen: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()
            self.wfile.write(b"body { color: red }")

        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"127.0.0.1:{httpd.server_address[1]}", seen
    finally:
        httpd.shutdown()
        httpd.server_close()
