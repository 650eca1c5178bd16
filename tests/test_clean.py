"""Decoding, normalisation and furniture removal: the pure core of ingest."""

from __future__ import annotations

import pytest

from briefgen.ingest.clean import (
    TextProblem,
    clean_text,
    decode_bytes,
    normalise,
    split_front_matter,
    strip_markdown,
)

CURLY = "The minister said the “€2 billion” fund — agreed in Astana — would open in June.\n"
ACUTE = "Café owners in Astana welcomed the décision on Tuesday.\n"
PROSE = "Kazakhstan accepted the invitation to join the Board of Peace on Tuesday."


# --------------------------------------------------------------------------- decoding


@pytest.mark.parametrize(
    "encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1252"]
)
def test_curly_quotes_and_euro_decode_the_same_in_every_encoding(encoding: str) -> None:
    text, _ = decode_bytes(CURLY.encode(encoding))
    assert text == CURLY


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"])
def test_e_acute_decodes_the_same_in_every_encoding_including_latin1(encoding: str) -> None:
    text, _ = decode_bytes(ACUTE.encode(encoding))
    assert text == ACUTE


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (CURLY.encode("utf-8"), "utf-8"),
        (CURLY.encode("utf-8-sig"), "utf-8-sig"),
        (CURLY.encode("utf-16"), "utf-16"),
        (CURLY.encode("utf-16-le"), "utf-16-le"),  # no BOM: found by its NUL pattern
        (CURLY.encode("cp1252"), "cp1252"),  # bytes 0x80-0x9F: cp1252, not latin-1
        (ACUTE.encode("latin-1"), "latin-1"),
    ],
)
def test_decode_bytes_reports_the_encoding_used(data: bytes, expected: str) -> None:
    assert decode_bytes(data)[1] == expected


def test_cyrillic_cp1251_is_left_to_charset_normalizer() -> None:
    text = "Президент Казахстана Касым-Жомарт Токаев принял приглашение присоединиться к Совету."
    assert decode_bytes(text.encode("cp1251")) == (text, "cp1251")


def test_png_bytes_are_binary() -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00"
    with pytest.raises(TextProblem, match="looks like a binary file, not text"):
        decode_bytes(png * 20)


@pytest.mark.parametrize("data", [b"", b"  \n\t\r\n  ", "\n \n".encode("utf-16")])
def test_empty_or_whitespace_only_input_is_an_empty_file(data: bytes) -> None:
    with pytest.raises(TextProblem, match="empty file"):
        decode_bytes(data)


def test_bytes_no_encoding_explains_are_undecodable() -> None:
    with pytest.raises(TextProblem, match="could not decode"):
        decode_bytes(b"The report \x81\x8d\x8f\x90\x9d said. " * 20)


def test_a_few_icon_font_characters_are_tolerated_but_a_page_of_them_is_undecodable() -> None:
    icons = "".join(chr(0xF000 + i) for i in range(800))  # private use: Font Awesome glyphs
    page = f"<html><body><p>{PROSE}</p><i>{icons}</i>" + f"<p>{PROSE}</p>" * 800 + "</body></html>"
    assert decode_bytes(page.encode("utf-8")) == (page, "utf-8")
    with pytest.raises(TextProblem, match="could not decode"):
        decode_bytes((PROSE + icons * 3).encode("utf-8"))
    tabs_and_escapes = f"{PROSE}\t\x1b[1m{PROSE}\x0c\r\n"
    assert decode_bytes(tabs_and_escapes.encode("utf-8"))[0] == tabs_and_escapes


# --------------------------------------------------------------------------- normalising


def test_normalise_fixes_mojibake_spaces_controls_and_line_endings() -> None:
    raw = "Kazakhstan\u00e2\u0080\u0099s plan\r\nPresident\u00a0Tokayev\x00 spoke"
    raw += "\x0bagain\r\x1b[31mred\x1b[0m\u200b."
    assert normalise(raw) == "Kazakhstan’s plan\nPresident Tokayev spoke\nagain\nred."


def test_normalise_composes_unicode_and_keeps_curly_quotes() -> None:
    assert normalise("Cafe\u0301 “Astana”") == "Café “Astana”"


# --------------------------------------------------------------------------- furniture


@pytest.mark.parametrize(
    "furniture",
    [
        "Back to top button",
        "Back to top",
        "Photo www",
        "Photo: Reuters",
        "(Photo by Aigerim Seitkali/AFP)",
        "AP Photo/Efrem Lukatsky",
        "Share this article",
        "Facebook Twitter WhatsApp Email",
        "Advertisement",
        "Read more",
        "Read more: Kazakhstan signs Abraham Accords",
        "Subscribe to our newsletter",
        "Click here to get the latest headlines",
        "Tweet with a location You can add location information to your Tweets.",
        "RELATED: Tokayev meets Trump in Washington",
        "We use cookies to improve your experience. By continuing you accept our policy.",
        "© 2026 Steppe Herald. All rights reserved.",
    ],
)
def test_furniture_lines_are_removed(furniture: str) -> None:
    text = clean_text(f"{PROSE}\n\n{furniture}\n\n{PROSE.replace('Tuesday', 'Monday')}")
    assert furniture not in text
    assert text == f"{PROSE}\n\n{PROSE.replace('Tuesday', 'Monday')}"


@pytest.mark.parametrize(
    "prose",
    [
        "Share prices in Almaty fell 3% after the announcement.",
        "Photographs released by the ministry on Tuesday showed the delegation arriving.",
        "Subscribers to the fund must pay $1 billion for a permanent seat.",
        "Readers of the communiqué noted that Gaza is named first.",
    ],
)
def test_prose_that_starts_like_furniture_is_kept(prose: str) -> None:
    assert clean_text(f"{PROSE}\n\n{prose}") == f"{PROSE}\n\n{prose}"


def test_short_line_repeated_on_consecutive_lines_is_dropped() -> None:
    text = clean_text(f"{PROSE}\n\nKazakhstan\nKazakhstan\n\nThe board meets in Astana.")
    assert "Kazakhstan\n" not in text
    assert text == f"{PROSE}\n\nThe board meets in Astana."


def test_all_caps_banner_is_dropped_only_at_the_top() -> None:
    assert clean_text(f"US TRENDING NEWS\n\n{PROSE}") == PROSE
    quoted = "NATO SAID NO."
    assert clean_text(f"{PROSE}\n\n{quoted}") == f"{PROSE}\n\n{quoted}"


def test_headings_are_not_body_prose() -> None:
    text = clean_text(f"Background of the Proposed Board of Peace\n\n{PROSE}\n\nConclusion\n")
    assert text == PROSE


def test_hard_wrapped_lines_join_into_one_paragraph() -> None:
    wrapped = "Kazakhstan accepted the invitation\nto join the Board of Peace\non Tuesday."
    assert clean_text(wrapped) == PROSE


def test_one_paragraph_per_line_text_keeps_its_paragraphs() -> None:
    long_a = PROSE + " The decision was announced by the presidential press service in Astana."
    long_b = "Analysts said the move fits Kazakhstan's long-standing policy of mediation abroad."
    long_b += " Critics asked how much the permanent seat would cost."
    assert clean_text(f"{long_a}\n{long_b}") == f"{long_a}\n\n{long_b}"


def test_clean_text_is_idempotent() -> None:
    once = clean_text(f"US TRENDING NEWS\n\n{PROSE}\n\nBack to top button")
    assert clean_text(once) == once


# --------------------------------------------------------------------------- markdown


def test_strip_markdown_leaves_plain_prose() -> None:
    md = (
        "# Heading\n\n![map](map.png)\n\nPresident **Tokayev** met the *board* in "
        "[Astana](https://example.org) and `Gaza`.\n\n```\ncode();\n```\n\n- first item;\n"
    )
    lines = [line for line in strip_markdown(md).split("\n") if line]
    assert lines == [
        "Heading",
        "President Tokayev met the board in Astana and Gaza.",
        "first item;",
    ]


def test_front_matter_is_parsed_and_removed() -> None:
    meta, body, warning = split_front_matter("---\ntitle: Board\nsource: Kazinform\n---\nText.")
    assert (meta, body, warning) == ({"title": "Board", "source": "Kazinform"}, "Text.", None)


def test_bad_front_matter_is_kept_as_text_with_a_warning() -> None:
    text = "---\ntitle: [unclosed\n---\nText."
    meta, body, warning = split_front_matter(text)
    assert meta == {} and body == text
    assert warning is not None and "not valid YAML" in warning


# --------------------------------------------------------------------------- mojibake search


def _mandatory_sets(alternative: list[tuple[object, object]]) -> list[set[str]]:
    """The characters each single, unrepeated position of a parsed alternative may be."""
    import re._constants as sre

    out = []
    for op, av in alternative:
        if op is sre.LITERAL:
            out.append({chr(av)})  # type: ignore[call-overload]
        elif op is sre.IN and all(o in (sre.LITERAL, sre.RANGE) for o, _ in av):  # type: ignore[attr-defined]
            chars: set[str] = set()
            for o, a in av:  # type: ignore[attr-defined]
                lo, hi = (a, a) if o is sre.LITERAL else a
                chars |= {chr(c) for c in range(lo, hi + 1)}
            out.append(chars)
    return out


def test_every_mojibake_match_is_short_and_holds_a_character_beyond_ascii() -> None:
    import re._constants as sre
    import re._parser as sre_parse

    from ftfy.badness import BADNESS_RE

    from briefgen.ingest.clean import MOJIBAKE_REACH

    parsed = sre_parse.parse(BADNESS_RE.pattern, BADNESS_RE.flags)
    assert parsed.getwidth()[1] < MOJIBAKE_REACH
    [(op, (_, alternatives))] = list(parsed)
    assert op is sre.BRANCH
    for alternative in alternatives:
        sets = _mandatory_sets(list(alternative))
        assert any(chars and all(ord(c) > 0x7F for c in chars) for chars in sets), alternative


def test_mojibake_search_near_non_ascii_agrees_with_ftfy_everywhere_in_a_text() -> None:
    import random

    from ftfy.badness import is_bad

    from briefgen.ingest.clean import looks_like_mojibake

    rng = random.Random(7)
    odd = "ÃÂâ€™œ“”—–…éèüÖØÙ²³×°µ»«¢£¤¥¦§¨©ª¬®¯±´¶·¸¹º¼½¾¿ВГРСвЂ ΒΓΞΟβ√≈‚Ä"
    ascii_ = "abcxyz AZ.,!?\n  019"
    texts = ["", PROSE, "Ã a start", "Ã©", CURLY, ACUTE, "Itâ€™s", "Ã", PROSE + "Ã "]
    for _ in range(4000):  # short and long texts, dense and sparse in odd characters
        size, share = rng.randint(1, 150), rng.choice([0.02, 0.1, 0.3, 0.6])
        chars = [rng.choice(odd if rng.random() < share else ascii_) for _ in range(size)]
        texts.append("".join(chars))
    for text in texts:
        assert looks_like_mojibake(text) is is_bad(text), text
    assert looks_like_mojibake("Itâ€™s") and looks_like_mojibake(PROSE + " Ã©.")
    assert not looks_like_mojibake(CURLY) and not looks_like_mojibake(ACUTE)
