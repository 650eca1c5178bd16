"""Control and bidi formatting characters from a feed never reach a reader: not in the JSON,
the HTML, the Markdown, the DOCX or the index."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from briefgen.ingest.clean import for_people
from briefgen.service.runner import run_briefing

HIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)
EVIL = "\u202eevil\u202c \u2066isolate\u2069 \u200fmark\x1b[31m red\x07 \u061c"


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


@pytest.mark.parametrize(
    ("shown", "expected"),
    [
        (EVIL, "evil isolate mark red"),
        ("Out\u200flet\u0085 News", "Outlet News"),
        ("نص عربي", "نص عربي"),  # right-to-left text itself is kept
        ("👩\u200d💻 ZWJ kept", "👩\u200d💻 ZWJ kept"),
    ],
)
def test_for_people_strips_controls_and_bidi_formatting(shown: str, expected: str) -> None:
    assert for_people(shown) == expected


def test_a_hostile_feed_title_reaches_no_output(tmp_path: Path) -> None:
    items = "".join(
        f"<item><title>{title}</title><description>{body}</description></item>"
        for title, body in [
            (
                f"Harbour {EVIL} wall",
                "The council said on Monday that the harbour wall will be rebuilt before the "
                "winter storms arrive in the town. The mayor said the work will start in March.",
            ),
            (
                "Repairs \u202ecost\u202c millions",
                "Engineers found deep cracks in the harbour wall after the floods last year. "
                "The repairs will cost the town about four million euros over two years.",
            ),
        ]
    )
    feed = tmp_path / "feed.rss"
    feed.write_text(
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>',
        encoding="utf-8",
    )
    config = tmp_path / "b.toml"
    config.write_text(
        '[[briefings]]\nname = "hb"\nfeeds = ["feed.rss"]\nformats = ["json", "html", "md", '
        '"docx"]\n[briefings.readability]\nmax_grade = 40\n'
    )
    outcome = run_briefing(config, "hb")
    assert outcome.status == "published", outcome.message
    assert outcome.edition is not None
    data = json.loads((outcome.edition / "hb.json").read_text(encoding="utf-8"))
    titles = [s["title"] for s in data["sources"]]
    assert "Harbour evil isolate mark red wall" in titles
    assert [s for s in _strings(data) if HIDDEN.search(s)] == []
    for name in ("hb.html", "hb.md"):
        assert not HIDDEN.search((outcome.edition / name).read_text(encoding="utf-8")), name
    import docx

    document = docx.Document(str(outcome.edition / "hb.docx"))
    assert not any(HIDDEN.search(p.text) for p in document.paragraphs)
    index = (tmp_path / "reports" / "index.html").read_text(encoding="utf-8")
    assert not HIDDEN.search(index)
