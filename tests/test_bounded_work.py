"""Tiny hostile inputs cost bounded work: front matter, Markdown and furniture regexes."""

from __future__ import annotations

import string
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefgen.ingest.clean import clean_text, split_front_matter, strip_markdown
from briefgen.ingest.meta import parse_plain

BILLION_LAUGHS = (
    '---\na: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]\n"
        for i in range(8)
    )
    + "---\nThe council met on Monday.\n"
)


def _seconds(fn: object, *args: object) -> float:
    started = time.perf_counter()
    fn(*args)  # type: ignore[operator]
    return time.perf_counter() - started


def test_front_matter_aliases_are_refused_at_once() -> None:
    assert len(BILLION_LAUGHS) < 700
    started = time.perf_counter()
    meta, body, warning = split_front_matter(BILLION_LAUGHS)
    assert time.perf_counter() - started < 0.1
    assert meta == {} and body == BILLION_LAUGHS
    assert warning == (
        "front matter is not valid YAML (aliases (*name) are not allowed); read as text"
    )


@pytest.mark.parametrize(
    ("block", "warning"),
    [
        ("[" * 15_000, "front matter nested over 50 levels; read as text"),
        ("a: 1\n" * 5_000, "front matter over 16,000 characters; read as text"),
        (
            "when: 2026-13-45",
            "front matter is not valid YAML (month must be in 1..12); read as text",
        ),
        ("- just\n- a list", "front matter is not a YAML mapping; read as text"),
    ],
)
def test_front_matter_out_of_bounds_is_read_as_text(block: str, warning: str) -> None:
    doc = f"---\n{block}\n---\nThe council met on Monday.\n"
    assert split_front_matter(doc) == ({}, doc, warning)


def test_ordinary_front_matter_still_parses() -> None:
    doc = "---\ntitle: Harbour wall\ntags: [council, storms]\n---\nBody.\n"
    assert split_front_matter(doc) == (
        {"title": "Harbour wall", "tags": ["council", "storms"]},
        "Body.\n",
        None,
    )


@pytest.mark.parametrize("char", list(string.punctuation))
def test_a_100kb_line_of_any_punctuation_is_linear(char: str) -> None:
    """A 100 kB line of "[" took 103 s in the Markdown regexes; every character now < 1 s."""
    line = char * 100_000
    spent = _seconds(strip_markdown, line) + _seconds(clean_text, line)
    spent += _seconds(parse_plain, line)
    assert spent < 1.0, (char, spent)


@pytest.mark.parametrize(
    "unit", ["[a](x", "![a](x", "**a ", "__a ", "*a ", "_a ", "~~a ", "<a ", "<http://a ", "[a]["]
)
def test_unclosed_markup_repeated_is_linear(unit: str) -> None:
    line = unit * (100_000 // len(unit))
    assert _seconds(strip_markdown, line) < 1.0


def test_markdown_is_still_unmarked() -> None:
    md = "**Bold *and* more** with [a link](http://x.org/a_(b)) and _it_ ~~gone~~ `code` <b>x</b>"
    assert strip_markdown(md) == "Bold and more with a link and it gone code x"


@settings(max_examples=150, deadline=2000)
@given(st.text(alphabet=st.sampled_from(list("ab:-&*[]{}!|>'\"#%@` \n\t")), max_size=400))
def test_any_front_matter_gives_a_mapping_or_a_warning(block: str) -> None:
    meta, body, warning = split_front_matter(f"---\n{block}\n---\nBody.\n")
    assert isinstance(meta, dict) and body.endswith("Body.\n")
    if warning:
        assert "\n" not in warning and meta == {}
