"""Webhook delivery: a JSON POST with a Slack-compatible ``text``, retried, against a server on
127.0.0.1."""

from __future__ import annotations

import json
import shutil
import textwrap
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from briefgen.errors import DeliveryError
from briefgen.service.runner import run_briefing
from briefgen.service.webhook import post_json
from briefgen.spec import FetchLimits

ROOT = Path(__file__).resolve().parent.parent

# The tests' own servers are on 127.0.0.1: they opt in to private addresses.
LOCAL = FetchLimits(timeout=5, allow_private_networks=True)
LOCAL_SHORT = FetchLimits(timeout=2, allow_private_networks=True)


class Hook:
    """Answers each POST with the next status of ``answers`` (then 200) and keeps the bodies."""

    def __init__(self) -> None:
        self.answers: list[int] = []
        self.posts: list[dict[str, Any]] = []
        self.types: list[str] = []
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                hook.posts.append(json.loads(body))
                hook.types.append(self.headers["Content-Type"])
                self.send_response(hook.answers.pop(0) if hook.answers else 200)
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *_args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/services/T000/B000/secret"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def hook() -> Iterator[Hook]:
    h = Hook()
    yield h
    h.server.shutdown()
    h.server.server_close()


def test_post_json_retries_server_errors_then_succeeds(hook: Hook) -> None:
    hook.answers = [500, 503]
    post_json(
        hook.url,
        {"text": "hello"},
        LOCAL,
        retries=2,
        backoff=0,
    )
    assert hook.posts == [{"text": "hello"}] * 3
    assert hook.types == ["application/json"] * 3


def test_post_json_gives_up_with_the_reason_and_hides_the_secret_path(hook: Hook) -> None:
    hook.answers = [500, 500, 500]
    with pytest.raises(DeliveryError) as err:
        post_json(
            hook.url,
            {"text": "x"},
            LOCAL,
            retries=2,
            backoff=0,
        )
    assert str(err.value) == (
        f"http://127.0.0.1:{hook.server.server_port}/…: HTTP 500 after 3 attempts"
    )
    assert "secret" not in str(err.value)


def test_a_client_error_is_not_retried(hook: Hook) -> None:
    hook.answers = [404]
    with pytest.raises(DeliveryError, match=r"HTTP 404$"):
        post_json(
            hook.url,
            {"text": "x"},
            LOCAL,
            retries=2,
            backoff=0,
        )
    assert len(hook.posts) == 1


def test_unreachable_webhook_fails_within_the_timeout() -> None:
    with pytest.raises(DeliveryError, match="cannot connect"):
        post_json(
            "http://127.0.0.1:9/x",
            {"text": "x"},
            LOCAL_SHORT,
            retries=0,
        )


def test_published_edition_is_posted_once_with_title_bottom_line_points_and_links(
    tmp_path: Path, hook: Hook, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("briefgen.service.webhook.BACKOFF", 0.0)
    articles = tmp_path / "articles"
    articles.mkdir()
    for seed in (ROOT / "seeds").glob("*.txt"):
        shutil.copy(seed, articles)
    config = tmp_path / "briefings.toml"
    config.write_text(
        textwrap.dedent(f"""\
        reports_url = "https://briefings.example.org/"
        [[briefings]]
        name = "kz"
        title = "Kazakhstan and the Board of Peace"
        sources = ["articles/"]
        formats = ["md"]
        webhook_url = "{hook.url}"
        [briefings.fetch]
        allow_private_networks = true  # the test's own server on 127.0.0.1
        """)
    )
    hook.answers = [502]  # the first attempt fails, the retry gets through
    now = datetime(2026, 1, 20, 7, 0, tzinfo=UTC)
    outcome = run_briefing(config, "kz", now=now)
    port = hook.server.server_port
    assert outcome.deliveries == (
        f"kz: posted to webhook http://127.0.0.1:{port}/… (2026-01-20_0700)",
    )
    body = hook.posts[-1]
    data = json.loads((outcome.edition / "kz.json").read_text())  # type: ignore[operator]
    assert body["title"] == "Kazakhstan and the Board of Peace"
    assert body["date"] == "2026-01-20T07:00:00+00:00"
    assert body["bottom_line"] == data["bottom_line"][0]["text"]
    assert [p["text"] for p in body["key_points"]] == [p["text"] for p in data["key_points"]]
    edition = "https://briefings.example.org/kz/2026-01-20_0700/"
    assert body["links"] == {
        "edition": edition,
        "json": edition + "kz.json",
        "md": edition + "kz.md",
    }
    assert body["text"].startswith("*Kazakhstan and the Board of Peace* (20 January 2026)\n")
    assert body["text"].endswith(edition) and "• " in body["text"]

    again = run_briefing(config, "kz", now=datetime(2026, 1, 21, 7, 0, tzinfo=UTC))
    assert again.status == "skipped" and again.deliveries == () and len(hook.posts) == 2


def test_a_webhook_to_an_internal_address_is_refused_by_default(hook: Hook) -> None:
    with pytest.raises(DeliveryError, match=r"refused: .*loopback"):
        post_json(hook.url, {"text": "x"}, FetchLimits(timeout=5), retries=2, backoff=0)
    assert hook.posts == []
