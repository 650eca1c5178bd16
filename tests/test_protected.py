"""Tests that guard the promise (#14 item 10): every protected word and phrase of shortening, one
row each, and the deletion test's edge cases.  The tables are written out here, not read from
:mod:`briefgen.summarize.guards`, so a word dropped from a list there fails a row here."""

from __future__ import annotations

import pytest

from briefgen.base.text import is_deletion_of, word_count, words
from briefgen.summarize import compress
from briefgen.summarize.compress import (
    drop_dash_asides,
    drop_parentheticals,
    shorten,
)
from briefgen.summarize.guards import capitalise, protected, well_formed

NEGATIONS = [
    "not", "no", "never", "without", "neither", "nor", "none", "nobody", "nothing", "nowhere",
    "cannot", "don't", "isn't", "won't", "didn’t",
]  # fmt: skip
MODALS = [
    "may", "might", "could", "would", "will", "should", "must", "can", "shall", "they'll",
    "she'd", "we’ll",
]  # fmt: skip
HEDGES = [
    "reportedly", "allegedly", "possibly", "likely", "unlikely", "probably", "perhaps",
    "apparently", "about", "around", "nearly", "almost", "some", "approximately", "roughly",
    "alleged", "suspected", "supposedly", "purportedly", "seemingly", "presumably", "arguably",
    "believed", "only",
]  # fmt: skip
HEDGE_PHRASES = [
    "as far as", "so far as", "it seems", "it appears", "we know", "thought to", "said to be",
    "at least", "at most", "up to", "more than", "less than", "fewer than",
]  # fmt: skip
NUMBERS = [
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
    "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety", "hundred",
    "hundreds", "thousand", "thousands", "million", "millions", "billion", "billions",
    "trillion", "dozen", "dozens", "half", "once", "twice", "first", "second", "third", "40",
    "3.5", "1,200", "5%", "$9",
]  # fmt: skip

TABLE = (
    [(w, "negation") for w in NEGATIONS]
    + [(w, "modal") for w in MODALS]
    + [(w, "hedge") for w in HEDGES + HEDGE_PHRASES]
    + [(w, "number") for w in NUMBERS]
    + [("Reuters", "name"), ("Sen. Warren", "name")]
)


@pytest.mark.parametrize(("word", "kind"), TABLE)
def test_every_protected_word_is_protected_as_its_kind(word: str, kind: str) -> None:
    assert protected(f"and {word} then") == kind
    # in any case: the lists are lower-case, the text is not
    if kind == "name":  # a capital opening the sentence is no name; elsewhere it is
        assert protected(f"{word.split()[0]} then", at_start=True) is None
        return
    opening = word[:1].upper() + word[1:]
    assert protected(f"{opening} then", at_start=True) == kind
    if " " not in word:
        assert protected(f"and {word.upper()} then") == kind


@pytest.mark.parametrize(("word", "kind"), TABLE)
def test_no_aside_holding_a_protected_word_is_cut(word: str, kind: str) -> None:
    dash = f"The council — which met {word} times in the spring — approved the new plan."
    assert drop_dash_asides(dash) == dash
    paren = f"The council approved the plan (after {word} debates) on a close vote today."
    assert drop_parentheticals(paren) == paren


def test_an_aside_without_protected_words_is_cut() -> None:
    # the other side of the table: the rules do cut when nothing is protected
    dash = "The council — which met in the spring — approved the new plan."
    assert drop_dash_asides(dash) == "The council approved the new plan."
    paren = "The council approved the plan (after long debates) on a close vote today."
    assert drop_parentheticals(paren) == "The council approved the plan on a close vote today."


@pytest.mark.parametrize(
    "sentence",
    [
        "Venture capital firm Kleiner (Reuters) is seeking to recover its costs from the trial.",
        "According to some officials, the talks will resume on Monday with both sides present.",
        "According to two officials, the talks will resume on Monday with both sides present.",
    ],
)
def test_a_named_or_hedged_attribution_is_not_cut(sentence: str) -> None:
    assert drop_parentheticals(sentence) == sentence
    # Attributions are meaning (#14 item 3): shortening keeps every one of them whole.
    assert "(Reuters)" in shorten(sentence) or "According to" in shorten(sentence)


def test_shortening_discards_a_rule_that_would_change_a_word(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The last safety net: a buggy rule's output is thrown away, the source is shown instead.
    source = "The council approved the new plan after a long debate on Tuesday."
    monkeypatch.setattr(compress, "RULES", (lambda t: t.replace("approved", "rejected"),))
    assert shorten(source) == source
    monkeypatch.setattr(compress, "RULES", (lambda t: t.replace(" new", ""),))
    assert shorten(source) == "The council approved the plan after a long debate on Tuesday."


SOURCE = "Officials said the deal is unlikely to pass before the vote in Astana on Friday."

DELETIONS = [
    # (shown, is a faithful deletion of SOURCE)
    (SOURCE, True),
    ("The deal is unlikely to pass before the vote in Astana on Friday.", True),
    ("The deal is unlikely to pass.", True),
    ("Officials said the deal is unlikely to pass before the vote in Astana on Friday", True),
    ("The deal is likely to pass before the vote in Astana on Friday.", False),  # part of a word
    ("The deal is unlike to pass.", False),  # part of a word
    ("The deal is unlikely to pass before the vote in astana on Friday.", False),  # inner case
    ("THE deal is unlikely to pass.", False),  # case beyond the first letter
    ("officials said the deal is unlikely to pass.", False),  # a lowered first letter too
    ("The deal is unlikely to pass before the vote in Astana on Friday!", False),  # end mark
    ("The deal is unlikely to pass before the vote in Astana on Saturday.", False),  # last word
    ("The deal is unlikely to pass before the vote in Astana on Friday.,", False),  # added mark
    ("The deal is unlikely to pass, before the vote.", False),  # added comma
    ("Officials said the deal is unlikely to pass before the vote in Astana on Friday. Friday",
     False),  # a token past the end
    ("Deal the is unlikely to pass.", False),  # reordered
    ("", False),
    (".", True),
]  # fmt: skip


@pytest.mark.parametrize(("shown", "faithful"), DELETIONS)
def test_the_deletion_test_compares_every_token_exactly(shown: str, faithful: bool) -> None:
    assert is_deletion_of(shown, SOURCE) is faithful


def test_curly_and_straight_apostrophes_are_the_same_token() -> None:
    assert is_deletion_of("Kazakhstan's role grew.", "Kazakhstan’s role grew quickly.")
    assert not is_deletion_of("Kazakhstans role grew.", "Kazakhstan’s role grew quickly.")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kazakhstan’s role grew in 2026.", ["Kazakhstan’s", "role", "grew", "in", "2026"]),
        ("don't &a;&a; co_op — U.S.", ["don't", "a", "a", "co", "op", "U", "S"]),
        ("", []),
    ],
)
def test_a_word_is_letters_and_digits_with_inner_apostrophes(
    text: str, expected: list[str]
) -> None:
    assert words(text) == expected
    assert word_count(text) == len(expected)


@pytest.mark.parametrize(("span", "kind"), [("a few % points", "number"), ("in $ terms", "number")])
def test_a_percent_or_dollar_sign_alone_is_a_number(span: str, kind: str) -> None:
    assert protected(span) == kind


WELL_FORMED = [
    ("Five words make a sentence.", True),
    ("Four words make one", False),
    ("Four words, no more.", False),
    ('"Quoted words open this sentence here."', True),
    ("‘Quoted words open this sentence here.’", True),
    ("lower case opening is not a sentence.", False),
    ("2026 was a year of many elections.", True),
    ("The plan, , was approved by all.", False),
    ("The plan () was approved by all.", False),
    (", the plan was approved by all.", False),
    ('He said "yes" to the plan today.', True),
    ('The plan "was approved by all members.', False),
    ("The plan “was approved by all members.", False),
    ("The plan (approved by all members.", False),
    ("The plan (first floated) was approved.", True),
    ("The plan was approved by all members", False),
    ('The plan was approved by all members."', False),
    ('"The plan was approved by all members."', True),
]


@pytest.mark.parametrize(("text", "ok"), WELL_FORMED)
def test_a_cut_must_leave_a_well_formed_sentence(text: str, ok: bool) -> None:
    assert well_formed(text) is ok


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the plan failed.", "The plan failed."),
        ('"the plan failed."', '"The plan failed."'),
        ("‘the plan failed.’", "‘The plan failed.’"),
        ("(the plan) failed.", "(The plan) failed."),
        ("2 plans failed.", "2 plans failed."),
        ("— the plan failed.", "— the plan failed."),
        ("The plan failed.", "The plan failed."),
    ],
)
def test_only_the_first_letter_is_capitalised(text: str, expected: str) -> None:
    assert capitalise(text) == expected
