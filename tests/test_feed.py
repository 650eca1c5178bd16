"""Atom feeds of editions (reports/<briefing>/feed.xml, reports/feed.xml), read back with
feedparser."""

from __future__ import annotations

import json
import shutil
import textwrap
from datetime import UTC, datetime
from pathlib import Path

import feedparser

from briefgen.service.runner import run_briefing

ROOT = Path(__file__).resolve().parent.parent
EXTRA = ROOT / "tests" / "resources" / "ingest" / "peace_board_brief.md"


def setup(tmp_path: Path, head: str = "") -> Path:
    articles = tmp_path / "articles"
    articles.mkdir()
    for seed in (ROOT / "seeds").glob("*.txt"):
        shutil.copy(seed, articles)
    (tmp_path / "quake").mkdir()
    shutil.copy(ROOT / "tests/resources/provenance/quake/quake_wire.md", tmp_path / "quake")
    shutil.copy(ROOT / "tests/resources/provenance/quake/quake_herald.md", tmp_path / "quake")
    config = tmp_path / "briefings.toml"
    config.write_text(
        head
        + textwrap.dedent("""
        [[briefings]]
        name = "kz"
        title = "Kazakhstan and the Board of Peace"
        sources = ["articles/"]
        formats = ["html", "json"]

        [[briefings]]
        name = "quake"
        sources = ["quake/"]
        formats = ["md", "json"]
        """)
    )
    return config


def at(day: int, hour: int = 7) -> datetime:
    return datetime(2026, 1, day, hour, 0, tzinfo=UTC)


def test_each_briefing_and_all_briefings_get_an_atom_feed_of_their_editions(
    tmp_path: Path,
) -> None:
    config = setup(tmp_path)
    first = run_briefing(config, "kz", now=at(20))
    shutil.copy(EXTRA, tmp_path / "articles")
    second = run_briefing(config, "kz", now=at(21))
    quake = run_briefing(config, "quake", now=at(21, 9))
    reports = tmp_path / "reports"

    kz = feedparser.parse((reports / "kz" / "feed.xml").read_bytes())
    assert not kz.bozo, kz.get("bozo_exception")
    assert kz.feed.title == "kz: briefings"
    assert [e.title for e in kz.entries] == [
        "Kazakhstan and the Board of Peace — 21 January 2026",
        "Kazakhstan and the Board of Peace — 20 January 2026",
    ]
    newest = kz.entries[0]
    data = json.loads((second.edition / "kz.json").read_text())  # type: ignore[operator]
    assert newest.summary == " ".join(s["text"] for s in data["bottom_line"])
    assert newest.updated == "2026-01-21T07:00:00Z"
    assert newest.link == "2026-01-21_0700/kz.html"
    enclosures = {link.href: link.type for link in newest.links if link.rel == "enclosure"}
    assert enclosures == {
        "2026-01-21_0700/kz.html": "text/html",
        "2026-01-21_0700/kz.json": "application/json",
    }
    assert first.edition is not None and (first.edition / "kz.html").is_file()

    everything = feedparser.parse((reports / "feed.xml").read_bytes())
    assert not everything.bozo
    assert [(e.title.split(" — ")[1], e.link) for e in everything.entries] == [
        ("21 January 2026", f"quake/{quake.edition.name}/"),  # type: ignore[union-attr]
        ("21 January 2026", "kz/2026-01-21_0700/kz.html"),
        ("20 January 2026", "kz/2026-01-20_0700/kz.html"),
    ]
    index = (reports / "index.html").read_text()
    assert 'type="application/atom+xml" title="All briefings" href="feed.xml"' in index
    assert '<a class="meta" href="kz/feed.xml">feed</a>' in index
    assert '<a class="meta" href="quake/feed.xml">feed</a>' in index


def test_with_reports_url_links_and_ids_are_absolute(tmp_path: Path) -> None:
    config = setup(tmp_path, 'reports_url = "https://news.example.org/briefings"\n')
    run_briefing(config, "kz", now=at(20))
    parsed = feedparser.parse((tmp_path / "reports" / "kz" / "feed.xml").read_bytes())
    (entry,) = parsed.entries
    assert entry.id == "https://news.example.org/briefings/kz/2026-01-20_0700/"
    assert entry.link == "https://news.example.org/briefings/kz/2026-01-20_0700/kz.html"


def test_a_pruned_edition_leaves_the_feed(tmp_path: Path) -> None:
    config = setup(tmp_path)
    text = config.read_text().replace('formats = ["html", "json"]', 'formats = ["json"]\nkeep = 1')
    config.write_text(text)
    run_briefing(config, "kz", now=at(20))
    shutil.copy(EXTRA, tmp_path / "articles")
    run_briefing(config, "kz", now=at(21))
    parsed = feedparser.parse((tmp_path / "reports" / "kz" / "feed.xml").read_bytes())
    assert [e.id for e in parsed.entries] == ["urn:briefgen:kz:2026-01-21_0700"]
