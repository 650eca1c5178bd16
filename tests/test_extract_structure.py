"""Article text from the structure of a page: paragraphs, headings, charsets, scripts, copies."""

from __future__ import annotations

from pathlib import Path

from briefgen.base.text import word_count
from briefgen.ingest.clean import clean_text, decode_bytes
from briefgen.ingest.fetch import _decode, parse_feed
from briefgen.ingest.html import article_from_html, plain_title
from briefgen.ingest.read import read_article
from briefgen.model import Sentence
from briefgen.spec import BriefingSpec
from briefgen.summarize.candidates import is_candidate
from briefgen.summarize.segment import split_sentences

LEAD = (
    "The finance minister of the coastal province spoke to reporters on Tuesday morning after "
    "the budget meeting in the capital."
)
WARNING = (
    "The minister\nwarned that a downturn could force cuts\nin public spending, she said on "
    "Tuesday."
)


def page(body: str, head: str = "<title>Budget talks</title>") -> str:
    return f"<html><head>{head}</head><body><article>{body}</article></body></html>"


def paragraphs_of(html: str) -> list[str]:
    return article_from_html(html).text.split("\n\n")


# --------------------------------------------------------------------------- 1. structure


def test_source_line_breaks_inside_a_sentence_are_joined_back() -> None:
    got = paragraphs_of(page(f"<p>{LEAD}</p><div>{WARNING}</div>"))
    assert got == [LEAD, WARNING.replace("\n", " ")]


def test_br_inside_a_sentence_joins_and_br_after_a_sentence_ends_a_paragraph() -> None:
    body = f"<p>{LEAD}</p><p>Officials said the plan<br>would take effect in June.<br>"
    body += "Critics object.</p>"
    assert paragraphs_of(page(body))[1:] == [
        "Officials said the plan would take effect in June.",
        "Critics object.",
    ]


def test_a_sentence_split_across_two_paragraph_elements_is_one_paragraph() -> None:
    body = f"<p>{LEAD}</p><p>The governor said that the</p><p>budget would pass by Friday.</p>"
    assert (
        paragraphs_of(page(body))[-1] == "The governor said that the budget would pass by Friday."
    )


def test_a_sentence_fragment_is_never_a_candidate() -> None:
    spec = BriefingSpec()
    fragment = "warned that a downturn could force cuts in public spending, she said."
    whole = "The minister " + fragment
    for text, expected in ((fragment, False), (whole, True)):
        sentence = Sentence(article_id="a1", index=0, start=0, end=len(text), text=text)
        assert is_candidate(sentence, spec) is expected


def test_plain_text_line_opening_in_lower_case_continues_the_line_before() -> None:
    long_line = LEAD + " " + LEAD
    assert clean_text(f"{long_line}\nThe minister said the plan\nwould pass.") == (
        f"{long_line}\n\nThe minister said the plan would pass."
    )


# --------------------------------------------------------------------------- 2. headings


CLOSE = "The vote is expected before the end of the month, officials in the capital said."


def test_short_lines_list_items_and_subheadings_inside_the_article_stay() -> None:
    body = (
        f"<h1>Budget talks</h1><p>{LEAD}</p><p>Nobody objected</p><h2>What the budget holds</h2>"
        f"<ul><li>More money for schools</li><li>Fewer road projects</li></ul><p>{CLOSE}</p>"
        "<h3>More from the province</h3>"
    )
    assert paragraphs_of(page(body)) == [
        LEAD,
        "Nobody objected",
        "What the budget holds",
        "More money for schools",
        "Fewer road projects",
        CLOSE,
    ]


def test_a_subheading_is_never_a_candidate_sentence() -> None:
    body = f"<p>{LEAD}</p><h2>The minister told parliament on Tuesday that schools come first</h2>"
    article = article_from_html(page(body + f"<p>{CLOSE}</p>"))
    spans = split_sentences(article.text)
    texts = [article.text[a:b] for a, b in spans]
    assert "The minister told parliament on Tuesday that schools come first" in texts
    spec = BriefingSpec()
    candidates = [
        t
        for t in texts
        if is_candidate(Sentence(article_id="a1", index=0, start=0, end=len(t), text=t), spec)
    ]
    assert candidates == [LEAD, CLOSE]


def test_short_lines_before_and_after_the_article_and_link_blocks_are_furniture() -> None:
    body = (
        f"<p>Tuesday, 4 March</p><p>{LEAD}</p><p>Nobody objected</p><p>{CLOSE}</p>"
        '<p><a href="/x">Budget talks collapse in the neighbouring province last year</a></p>'
        "<p>Filed under Politics</p>"
    )
    assert paragraphs_of(page(body)) == [LEAD, "Nobody objected", CLOSE]


def test_plain_text_list_items_are_kept_and_a_lone_heading_dropped() -> None:
    text = f"What the budget holds\n\n{LEAD}\n\n- More money for schools\n- Fewer road projects"
    assert clean_text(text) == f"{LEAD}\n\n- More money for schools\n\n- Fewer road projects"


# --------------------------------------------------------------------------- 3. charsets

CZECH = "Příliš žluťoučký kůň úpěl ďábelské ódy, řekl ministr."


def test_meta_charset_windows_1250_is_honoured(tmp_path: Path) -> None:
    html = page(f"<p>{CZECH} {LEAD}</p>", '<meta charset="windows-1250"><title>Zpráva</title>')
    path = tmp_path / "cz.html"
    path.write_bytes(html.encode("cp1250"))
    article = read_article(path)
    assert CZECH in article.text
    assert article.encoding == "cp1250"


def test_http_equiv_charset_is_honoured() -> None:
    meta = '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-2">'
    data = page(f"<p>{CZECH}</p>", meta).encode("iso-8859-2")
    assert decode_bytes(data) == (page(f"<p>{CZECH}</p>", meta), "iso8859-2")


def test_http_header_charset_comes_before_guessing() -> None:
    data = f"<p>{CZECH}</p>".encode("cp1250")
    assert _decode(data, "windows-1250", "https://example.org/a") == f"<p>{CZECH}</p>"


def test_one_bad_byte_in_utf8_is_replaced_not_a_reason_for_latin1() -> None:
    text = "Zürich’s “budget” passed. " * 400
    data = text.encode("utf-8")
    data = data[:5000] + b"\xff" + data[5000:]
    decoded, encoding = decode_bytes(data)
    assert encoding == "utf-8"
    assert decoded.count("\ufffd") == 1
    assert decoded.replace("\ufffd", "") == text


# --------------------------------------------------------------------------- 4. languages

CHINESE = (
    "政府今天宣布了新的预算计划。计划将于明年开始实施，重点是教育和医疗。财政部长说：“这是必要的。”"
)


def test_chinese_page_is_extracted_whole_and_split_at_full_stops() -> None:
    text = article_from_html(page(f"<p>{CHINESE}</p><p>{CHINESE[:20]}</p>")).text
    assert text.startswith(CHINESE)
    spans = split_sentences(CHINESE)
    assert [CHINESE[a:b] for a, b in spans] == [
        "政府今天宣布了新的预算计划。",
        "计划将于明年开始实施，重点是教育和医疗。",
        "财政部长说：“这是必要的。”",
    ]


def test_unspaced_text_is_not_one_word() -> None:
    assert word_count("政府今天宣布了新的预算计划。") == 13
    assert word_count("รัฐบาลประกาศนโยบายใหม่ในวันนี้") > 5
    assert word_count("The minister’s plan, in 2026.") == 5


def test_thai_sentences_end_at_spaces() -> None:
    thai = "รัฐบาลประกาศนโยบายใหม่ในวันนี้ เกษตรกรได้รับผลกระทบจากน้ำท่วม"
    assert len(split_sentences(thai)) == 2


def test_pdf_letters_survive_thai_shaping() -> None:
    from briefgen.check.gate import _letters

    source = "เกษตรกรที่ได้รับผลกระทบจากน้ำท่วม"
    # What pdftotext gives back from a rendered PDF: SARA AM's nikhahit lost, a mark moved.
    extracted = "เกษตรกรที่ได้รบ\nั ผลกระทบจากน้าท่วม"
    assert _letters(source) == _letters(extracted)


# --------------------------------------------------------------------------- 5. copies


def test_an_article_repeated_in_a_page_is_kept_once() -> None:
    story = f"<p>{LEAD}</p><p>{WARNING.replace(chr(10), ' ')}</p>"
    text = article_from_html(page(story + story)).text
    assert text.count(LEAD) == 1
    assert text.count("warned that a downturn") == 1


# --------------------------------------------------------------------------- 6. titles


def test_titles_are_unescaped_and_stripped_of_markup() -> None:
    assert plain_title("AT&amp;amp;T <em>wins</em>  the\nbid") == "AT&T wins the bid"
    assert plain_title("Profits &lt; costs") == "Profits < costs"


def test_feed_titles_are_unescaped_and_stripped_of_markup() -> None:
    rss = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item>'
        b"<title>AT&amp;amp;T &lt;em&gt;wins&lt;/em&gt; bid</title>"
        b"<link>https://example.org/a</link><description>x</description></item></channel></rss>"
    )
    assert parse_feed(rss, "feed.rss", 5)[0].title == "AT&T wins bid"


def test_related_headings_and_credit_lines_in_other_languages_are_furniture() -> None:
    for furniture in (
        "Lea también: Otro artículo del diario",
        "Empfohlene Beiträge",
        "Quelle: dpa",
    ):
        assert clean_text(f"{LEAD}\n\n{furniture}\n\n{CLOSE}") == f"{LEAD}\n\n{CLOSE}"
    prose = "Sources said the talks had failed"
    assert clean_text(f"{LEAD}\n\n{prose}.") == f"{LEAD}\n\n{prose}."


# --------------------------------------------------------------------------- 7. the benchmark


def test_extraction_benchmark_scores_snippets_as_the_set_defines() -> None:
    from benchmarks.extract import Score

    score = Score()
    output = "The minister spoke.\n\nShe  said\nno."
    score.add("page.html", output, ["She said no.", "absent snippet"], ["minister", "Impressum"])
    assert (score.tp, score.fn, score.fp, score.tn) == (1, 1, 1, 1)
    assert score.per_page == {"page.html": (1, 1)}
    assert (score.precision, score.recall, score.f1) == (0.5, 0.5, 0.5)


def test_extraction_benchmark_time_ratio_is_per_page_and_of_the_totals() -> None:
    from benchmarks.extract import Score, time_ratio

    ours, theirs = Score(), Score()
    for page, mine, other in [("a", 0.03, 0.01), ("b", 0.02, 0.02), ("c", 0.01, 0.02)]:
        ours.add(page, "", [], [], mine)
        theirs.add(page, "", [], [], other)
    ratio = time_ratio(ours, theirs)
    assert ratio.per_page == {"a": 3.0, "b": 1.0, "c": 0.5}
    assert (ratio.median, ratio.p90) == (1.0, 3.0)
    assert abs(ratio.of_totals - 1.2) < 1e-9 and ours.pages == 3


# --------------------------------------------------------------------------- 8. metadata


def test_page_metadata_is_what_trafilatura_extract_metadata_finds() -> None:
    from trafilatura.metadata import extract_metadata
    from trafilatura.utils import load_html

    from briefgen.ingest.html import _metadata

    json_ld = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Budget cut '
        'agreed", "datePublished": "2025-03-04", "publisher": {"@type": "Organization", '
        '"name": "Coast Daily"}}</script>'
    )
    pages = [
        (Path(__file__).parent / "resources" / "ingest" / "astana_summit.html").read_text("utf-8"),
        page(f"<p>{LEAD}</p>", head=f"<title>Budget talks - Coast Daily</title>{json_ld}"),
        page(f"<p>{LEAD}</p><time datetime='2024-11-02'>2 Nov</time>", head=""),
    ]
    found = []
    for html in pages:
        for url in (None, "https://coast.example/news/budget"):
            want = extract_metadata(load_html(html), url).as_dict()
            got = _metadata(load_html(html), url)
            assert got == {key: want[key] for key in ("title", "url", "date", "sitename")}
            found.append(got)
    assert found[0]["sitename"] == "Steppe Herald" and found[2]["date"] == "2025-03-04"
    assert found[3]["url"] == "https://coast.example/news/budget"
