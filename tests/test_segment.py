from hypothesis import given
from hypothesis import strategies as st

from briefgen.summarize.segment import segment, split_sentences
from tests.builders import make_article


def test_abbreviations_and_decimals_do_not_end_a_sentence() -> None:
    text = "Mr. Smith met U.S. officials on Jan. 21 in Washington. Prices rose 2.5 percent."
    spans = split_sentences(text)
    assert [text[a:b] for a, b in spans] == [
        "Mr. Smith met U.S. officials on Jan. 21 in Washington.",
        "Prices rose 2.5 percent.",
    ]


def test_each_sentence_keeps_article_id_index_and_exact_offsets() -> None:
    article = make_article("First point here.\n\nSecond paragraph, second point.", id="a7")
    sentences = segment(article)
    assert [(s.article_id, s.index) for s in sentences] == [("a7", 0), ("a7", 1)]
    for s in sentences:
        assert article.text[s.start : s.end] == s.text


def test_a_huge_line_without_punctuation_is_split_into_bounded_pieces() -> None:
    text = "word " * 30_000
    spans = split_sentences(text)
    assert spans and all(b - a <= 20_000 for a, b in spans)


@given(st.text(max_size=400))
def test_offsets_point_at_exactly_their_text_for_any_text(text: str) -> None:
    for a, b in split_sentences(text):
        assert 0 <= a < b <= len(text)
        assert text[a:b].strip()


def test_a_title_before_a_name_does_not_end_a_sentence() -> None:
    text = "The Rev. Al Sharpton spoke. Lt. Gov. Dan Patrick said no. Then Sgt. Ann Lee left."
    assert [text[a:b] for a, b in split_sentences(text)] == [
        "The Rev. Al Sharpton spoke.",
        "Lt. Gov. Dan Patrick said no.",
        "Then Sgt. Ann Lee left.",
    ]


def test_a_title_word_at_a_paragraph_end_stays_a_break() -> None:
    text = "He thanked the Gov.\n\nNext paragraph starts here."
    assert [text[a:b] for a, b in split_sentences(text)] == [
        "He thanked the Gov.",
        "Next paragraph starts here.",
    ]
