"""Reading article files into Articles: seeds, encodings, HTML, Markdown and bad input."""

from __future__ import annotations

import hashlib
import os
from datetime import date
from pathlib import Path

import pytest
import trafilatura

from briefgen.errors import IngestError
from briefgen.ingest.read import article_from_html, collect_paths, ingest, read_article

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_WIRE = SEEDS / "000_f4493892df17a64d.txt"
SEED_VESTI = SEEDS / "002_7bd0d2179170dade.txt"
RESOURCES = Path(__file__).parent / "resources" / "ingest"
FURNITURE = ("Back to top button", "Photo www", "US TRENDING NEWS")
TOKAYEV_SENTENCE = (
    "President Kassym-Jomart Tokayev accepted the invitation and conveyed his country’s "
    "willingness to contribute constructively to the proposed framework."
)
ARTICLE = (
    "Astana, January 21 — Kazakhstan has accepted an invitation to join the Board of Peace.\n\n"
    "The presidential press service said the “€2 billion” fund would open in June.\n"
)


# --------------------------------------------------------------------------- seeds


@pytest.mark.parametrize("seed", [SEED_WIRE, SEED_VESTI], ids=["wire", "vesti"])
def test_seed_text_holds_no_page_furniture(seed: Path) -> None:
    text = read_article(seed).text
    for furniture in FURNITURE:
        assert furniture not in text
    assert "Kazakhstan" not in text.split("\n")


def test_seed_keeps_key_sentences_word_for_word() -> None:
    wire, vesti = read_article(SEED_WIRE).text, read_article(SEED_VESTI).text
    assert TOKAYEV_SENTENCE in wire
    assert "The diplomatic experience of President Kassym-Jomart Tokayev is also" in vesti
    assert vesti.endswith("instability on the international stage.")


def test_seed_headings_are_dropped_and_paragraphs_kept_whole() -> None:
    text = read_article(SEED_WIRE).text
    assert "Background of the Proposed Board of Peace" not in text
    paragraphs = text.split("\n\n")
    assert paragraphs[0].startswith("Kazakhstan: The evolving landscape of international")
    assert len(paragraphs) == 15
    assert all(p.endswith(".") for p in paragraphs)


def test_seed_titles_come_from_the_first_real_line() -> None:
    assert read_article(SEED_WIRE).title == (
        "Kazakhstan : Global Diplomacy Takes a New Turn as Signals Support "
        "for a New Peace Framework"
    )
    vesti = read_article(SEED_VESTI)
    assert vesti.title.startswith("Experts analyze how Astana's foreign policy steps affect")
    assert vesti.title.endswith("but also in Central Asia")
    assert not vesti.text.startswith("Experts analyze")


def test_seed_article_records_encoding_hash_and_no_outlet() -> None:
    article = read_article(SEED_WIRE, "a7")
    assert article.id == "a7"
    assert article.encoding == "utf-8"
    assert article.outlet is None  # the all-caps banner is furniture, not the outlet
    assert article.sha256 == hashlib.sha256(article.text.encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------- plain text


def test_date_line_and_byline_become_metadata_not_body(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_text(
        "Tokayev accepts Board of Peace invitation\nPublished: January 21, 2026\n"
        "By Aigerim Seitkali\n\n" + ARTICLE,
        encoding="utf-8",
    )
    article = read_article(path)
    assert article.title == "Tokayev accepts Board of Peace invitation"
    assert article.published == date(2026, 1, 21)
    assert article.text.startswith("Astana, January 21 — Kazakhstan has accepted")
    assert "Aigerim" not in article.text and "Published" not in article.text


def test_title_falls_back_to_first_sentence_cut_short(tmp_path: Path) -> None:
    path = tmp_path / "untitled.txt"
    path.write_text(
        "Kazakhstan said on Tuesday that it had accepted an invitation from Washington to "
        "join a new international body for resolving conflicts.\n",
        encoding="utf-8",
    )
    assert read_article(path).title == (
        "Kazakhstan said on Tuesday that it had accepted an invitation from Washington …"
    )


@pytest.mark.parametrize(
    ("encoding", "warned"),
    [("utf-8", False), ("utf-8-sig", False), ("utf-16", True), ("cp1252", True)],
)
def test_file_in_any_encoding_gives_the_same_article(
    tmp_path: Path, encoding: str, warned: bool
) -> None:
    path = tmp_path / f"article-{encoding}.txt"
    path.write_bytes(ARTICLE.encode(encoding))
    result = ingest([str(path)])
    assert result.articles[0].text == ARTICLE.strip().replace("\n\n\n", "\n\n")
    assert result.articles[0].encoding == encoding
    assert any(f"decoded as {encoding}" in w for w in result.warnings) is warned


def test_txt_holding_html_is_read_as_html(tmp_path: Path) -> None:
    path = tmp_path / "saved-page.txt"
    path.write_text((RESOURCES / "astana_summit.html").read_text("utf-8"), encoding="utf-8")
    assert read_article(path).outlet == "Steppe Herald"


# --------------------------------------------------------------------------- HTML


def test_html_page_gives_title_outlet_date_url_and_prose_only() -> None:
    article = read_article(RESOURCES / "astana_summit.html")
    assert article.title == "Tokayev backs Gaza peace board"
    assert article.outlet == "Steppe Herald"
    assert article.published == date(2026, 1, 21)
    assert article.url == "https://steppeherald.example/2026/01/21/tokayev-peace-board"
    assert article.text.startswith("President Kassym-Jomart Tokayev has accepted an invitation")
    assert len(article.text.split("\n\n")) == 4
    for junk in ("dataLayer", "loadAd", "cookie", "Politics", "Sport", "position: fixed", "©"):
        assert junk not in article.text


def test_html_falls_back_to_paragraphs_when_trafilatura_finds_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(trafilatura, "bare_extraction", lambda *args, **kwargs: None)
    html = (
        "<html><body><nav>Home News</nav><p>The Board of Peace met in Astana on Tuesday.</p>"
        "<script>track()</script></body></html>"
    )
    article = article_from_html(html, url="https://example.org/x")
    assert "The Board of Peace met in Astana on Tuesday." in article.text
    assert "track()" not in article.text and article.encoding is None


def test_html_with_no_text_is_an_error_naming_the_file() -> None:
    html = "<html><head><script>var a = 1;</script></head><body><nav>Home</nav></body></html>"
    with pytest.raises(IngestError, match=r"^pages/empty\.html: no article text found in HTML$"):
        article_from_html(html, path="pages/empty.html")


# --------------------------------------------------------------------------- Markdown


def test_markdown_front_matter_gives_metadata_and_plain_prose() -> None:
    article = read_article(RESOURCES / "peace_board_brief.md")
    assert article.title == "Kazakhstan joins Board of Peace"
    assert article.outlet == "Central Asia Monitor"
    assert article.published == date(2026, 1, 22)
    assert article.url == "https://camonitor.example/news/kazakhstan-board-of-peace"
    assert article.text.startswith(
        "President Kassym-Jomart Tokayev has accepted an invitation to join the Board of Peace, "
        "the Akorda press service said on Thursday."
    )
    for syntax in ("**", "](", "#", "![", "```", "iframe", "- a permanent", "_financial"):
        assert syntax not in article.text
    assert "funding for the reconstruction of Gaza;" in article.text.split("\n\n")


def test_markdown_front_matter_with_nested_yaml_and_crlf(tmp_path: Path) -> None:
    path = tmp_path / "nested.md"
    front = (
        "---\ntitle: Board\u00a0of Peace\ntags:\n  - Kazakhstan\n  - Gaza\nsite: Kazinform\n---\n"
    )
    path.write_bytes((front + ARTICLE).replace("\n", "\r\n").encode("utf-8"))
    article = read_article(path)
    assert (article.title, article.outlet) == ("Board of Peace", "Kazinform")
    assert article.text.startswith("Astana, January 21")


def test_markdown_with_bad_front_matter_warns_and_keeps_going(tmp_path: Path) -> None:
    path = tmp_path / "bad.md"
    path.write_text("---\ntitle: [unclosed\n---\n\n" + ARTICLE, encoding="utf-8")
    result = ingest([str(path)])
    assert "Kazakhstan has accepted an invitation" in result.articles[0].text
    assert any("bad.md: front matter is not valid YAML" in w for w in result.warnings)


# --------------------------------------------------------------------------- bad input

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00"


@pytest.mark.parametrize(
    ("name", "data", "problem"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.md", b"  \n\n\t \n", "empty file"),
        ("picture.txt", PNG * 20, "looks like a binary file, not text"),
        ("garbled.txt", b"The report \x81\x8d\x8f\x90\x9d said. " * 20, "could not decode"),
        ("furniture.txt", b"US TRENDING NEWS\n\nAdvertisement\nBack to top button\n", "no article"),
    ],
)
def test_bad_file_raises_ingest_error_naming_it(
    tmp_path: Path, name: str, data: bytes, problem: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(IngestError, match=problem) as info:
        read_article(path)
    assert name in str(info.value) and "\n" not in str(info.value)


def test_missing_path_is_an_error_naming_it(tmp_path: Path) -> None:
    missing = str(tmp_path / "nowhere")
    with pytest.raises(IngestError, match="nowhere: no such file or folder"):
        ingest([missing])


def test_folder_without_articles_is_an_error_naming_it(tmp_path: Path) -> None:
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.7")
    with pytest.raises(IngestError, match=f"no readable articles in {tmp_path}"):
        ingest([str(tmp_path)])


def test_folder_of_only_bad_files_lists_each_problem(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "image.html").write_bytes(PNG * 20)
    with pytest.raises(IngestError, match=r"empty\.txt: empty file; .*image\.html: looks like"):
        ingest([str(tmp_path)])


def test_ingest_keeps_the_good_file_and_warns_about_the_bad_one(tmp_path: Path) -> None:
    (tmp_path / "a_good.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "b_bad.txt").write_bytes(PNG * 20)
    result = ingest([str(tmp_path)])
    assert [a.id for a in result.articles] == ["a1"]
    assert result.articles[0].path is not None and result.articles[0].path.endswith("a_good.txt")
    assert len(result.dropped) == 1 and result.dropped[0].path.endswith("b_bad.txt")
    assert result.dropped[0].reason == "looks like a binary file, not text"
    assert result.warnings == [f"{result.dropped[0].path}: looks like a binary file, not text"]


# --------------------------------------------------------------------------- paths


def test_collect_paths_walks_folders_filters_types_and_sorts(tmp_path: Path) -> None:
    (tmp_path / "sub" / "deeper").mkdir(parents=True)
    for name in ("b.txt", "a.md", "sub/c.html", "sub/deeper/d.HTM", "e.pdf", "sub/f.json"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    paths = collect_paths([str(tmp_path), str(tmp_path / "b.txt"), str(tmp_path / "*.md")])
    assert [p.relative_to(tmp_path).as_posix() for p in paths] == [
        "a.md",
        "b.txt",
        "sub/c.html",
        "sub/deeper/d.HTM",
    ]


def test_collect_paths_survives_symlink_loops_and_dedupes_links(tmp_path: Path) -> None:
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "a.txt").write_text("x", encoding="utf-8")
    os.symlink(tmp_path, tmp_path / "news" / "loop")
    os.symlink(tmp_path / "news" / "a.txt", tmp_path / "alias.txt")
    assert collect_paths([str(tmp_path)]) == [(tmp_path / "news" / "a.txt").resolve()]


def test_glob_without_matches_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match=r"\*\.html: no files match"):
        collect_paths([str(tmp_path / "*.html")])


def test_ingest_is_deterministic_and_in_path_order() -> None:
    first = ingest([str(SEED_VESTI), str(SEEDS)])
    second = ingest([str(SEEDS / "*.txt")])
    assert first == second
    assert [a.id for a in first.articles] == ["a1", "a2"]
    assert first.articles[0].path is not None and first.articles[0].path.endswith(
        "000_f4493892df17a64d.txt"
    )
