"""``briefgen build`` reads feeds and article URLs as ``briefgen run`` does (the same gather, the
same limits), beside files and folders."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefgen.cli import main
from briefgen.service.inputs import is_feed
from tests.test_fetch import FEEDS, Server

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def web() -> Iterator[Server]:
    srv = Server()
    srv.thread.start()
    yield srv
    srv.httpd.shutdown()
    srv.httpd.server_close()


@pytest.mark.parametrize(
    ("source", "feed"),
    [
        ("news.atom", True),
        ("dir/news.RSS", True),
        ("https://example.org/world/feed", True),
        ("https://example.org/rss.xml?x=1", True),
        ("https://example.org/2026/01/story.html", False),
        ("seeds/", False),
        ("notes.md", False),
    ],
)
def test_which_inputs_are_feeds(source: str, feed: bool) -> None:
    assert is_feed(source) is feed


def test_build_reads_a_folder_a_feed_url_and_a_page_url(tmp_path: Path, web: Server) -> None:
    out = tmp_path / "out"
    page = f"{web.base}/pages/uzbekistan.html"
    args = ["build", str(ROOT / "seeds"), f"{web.base}/feeds/news.atom", page]
    args += ["--allow-private-networks"]  # the test's own server is on 127.0.0.1
    result = CliRunner().invoke(main, [*args, "-o", str(out), "--formats", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads((out / "briefing.json").read_text())
    where = [s["url"] or Path(s["path"]).name for s in data["sources"]]
    assert sorted(map(str, where)) == sorted(
        [
            "000_f4493892df17a64d.txt",
            "002_7bd0d2179170dade.txt",
            page,
        ]
    )  # the feed's Uzbekistan entry and the page are one article: kept once
    assert "/feeds/news.atom" in web.paths()
    assert f"{page}: dropped as duplicate of {page}" in result.output


def test_build_from_a_local_feed_file_with_a_topic(tmp_path: Path) -> None:
    feed = tmp_path / "caspian.rss"
    feed.write_bytes((FEEDS / "news.rss").read_bytes().replace(b"{base}", b"http://127.0.0.1:9"))
    out = tmp_path / "out"
    args = ["build", str(ROOT / "seeds"), str(feed), "-o", str(out), "--formats", "json"]
    result = CliRunner().invoke(main, [*args, "--topic", '"Board of Peace" OR Gaza'])
    assert result.exit_code == 0, result.output
    data = json.loads((out / "briefing.json").read_text())
    reasons = {d["reason"] for d in data["dropped"]}
    assert 'off topic: does not match "Board of Peace" OR Gaza' in reasons


def test_build_refuses_urls_on_internal_addresses_unless_allowed(
    tmp_path: Path, web: Server
) -> None:
    page = f"{web.base}/pages/uzbekistan.html"
    args = ["build", str(ROOT / "seeds"), page, "-o", str(tmp_path / "out"), "--formats", "json"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert f"{page}: refused to connect to 127.0.0.1" in result.output
    assert "/pages/uzbekistan.html" not in web.paths()
