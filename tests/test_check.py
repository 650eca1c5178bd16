import subprocess
import sys
from pathlib import Path

import pytest

from briefgen.base.readability import readability
from briefgen.base.text import is_deletion_of


def test_a_verbatim_sentence_is_faithful() -> None:
    s = "Kazakhstan joined the Board of Peace on Tuesday."
    assert is_deletion_of(s, s)


def test_deleting_an_aside_is_faithful() -> None:
    source = "Kazakhstan, a Central Asian state, joined the Board of Peace on Tuesday."
    assert is_deletion_of("Kazakhstan joined the Board of Peace on Tuesday.", source)


def test_a_changed_word_is_not_faithful() -> None:
    source = "Kazakhstan joined the Board of Peace on Tuesday."
    assert not is_deletion_of("Kazakhstan left the Board of Peace on Tuesday.", source)


def test_reordered_words_are_not_faithful() -> None:
    source = "Kazakhstan joined the Board of Peace on Tuesday."
    assert not is_deletion_of("On Tuesday Kazakhstan joined the Board of Peace.", source)


def test_an_added_negation_is_not_faithful() -> None:
    source = "Kazakhstan joined the Board of Peace."
    assert not is_deletion_of("Kazakhstan has not joined the Board of Peace.", source)


def test_an_empty_sentence_is_not_faithful() -> None:
    assert not is_deletion_of("", "Anything at all.")


# Hand-checked: 9 words, 2 sentences, 10 syllables (hap-py = 2, every other word 1).
# Flesch reading ease = 206.835 - 1.015 * 9/2 - 84.6 * 10/9 = 108.27
# Flesch-Kincaid grade = 0.39 * 9/2 + 11.8 * 10/9 - 15.59 = -0.72
SIMPLE = ["The cat sat on the mat.", "It was happy."]

# Hand-checked: 19 words, 1 sentence, 40 syllables (in-ter-na-tion-al 5, com-mu-ni-ty 4,
# op-ti-mi-sm 4, sev-er-al 3, gov-ern-ments 3, de-ci-sion 3, ...; dictionaries give "several"
# 2 or 3, which is the kind of difference the tolerance allows for).
# FRE = 206.835 - 1.015 * 19 - 84.6 * 40/19 = 9.45; FK = 0.39 * 19 + 11.8 * 40/19 - 15.59 = 16.66
LONG = [
    "The international community greeted the decision with cautious optimism, "
    "while several governments asked for more details about its funding."
]
TOLERANCE_FRE = 5.0  # one syllable either way moves this text's FRE by 4.5
TOLERANCE_GRADE = 1.0


@pytest.mark.parametrize(
    ("sentences", "fre", "grade"),
    [(SIMPLE, 108.27, -0.72), (LONG, 9.45, 16.66)],
)
def test_readability_matches_hand_checked_values(
    sentences: list[str], fre: float, grade: float
) -> None:
    r = readability(sentences)
    assert r.flesch_reading_ease == pytest.approx(fre, abs=TOLERANCE_FRE)
    assert r.flesch_kincaid_grade == pytest.approx(grade, abs=TOLERANCE_GRADE)


def test_sentence_length_figures_are_exact() -> None:
    r = readability([*SIMPLE, *LONG])
    assert (r.sentences, r.words) == (3, 28)
    assert r.words_per_sentence == pytest.approx(28 / 3, abs=0.01)
    assert r.share_over_30_words == 0.0


def test_cached_syllable_tables_give_textstats_own_scores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The CMU table and pyphen's patterns come from briefgen's cache; the scores must not move,
    for dictionary words and for names only pyphen can split (Tokayev, Shestakov)."""
    text = (
        "Political scientist Igor Shestakov noted that Kassym-Jomart Tokayev has become "
        "the first post-Soviet leader to join the accords, highlighting Astana's approach."
    )
    grade = f"print(textstat.flesch_kincaid_grade({text!r}))"
    fast = f"from briefgen.base.syllables import textstat; textstat = textstat(); {grade}"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    runs = [f"import textstat; {grade}", fast, fast]  # plain; fast building the cache; reading it
    out = [subprocess.run([sys.executable, "-c", c], capture_output=True, text=True) for c in runs]
    assert all(o.returncode == 0 for o in out), [o.stderr for o in out]
    assert len({float(o.stdout) for o in out}) == 1
    assert len(list((tmp_path / "briefgen").glob("*.pickle"))) == 2


@pytest.mark.parametrize(
    "text",
    [
        " ".join(SIMPLE),
        LONG[0],
        "Political scientist Igor Shestakov noted that Kassym-Jomart Tokayev's approach works.",
        "Don't stop: O'Neil's 3.5% rise — reportedly the first in 20 years — surprised analysts!",
        "",
        "...",
    ],
)
def test_scores_are_textstats_own_and_textstat_is_left_as_shipped(text: str) -> None:
    """briefgen's scorer reproduces textstat exactly, without patching textstat to do it."""
    import textstat as shipped
    from textstat.backend.utils import get_cmudict

    from briefgen.base.syllables import textstat

    ours = textstat()
    for name in ("flesch_reading_ease", "flesch_kincaid_grade", "gunning_fog"):
        assert getattr(ours, name)(text) == getattr(shipped, name)(text), name
    counter = sys.modules["textstat.backend.counts._count_syllables"]
    assert counter.get_cmudict is get_cmudict  # not replaced by briefgen's table


def test_a_sentence_broken_by_a_page_break_is_found_but_a_doctored_one_is_not() -> None:
    from briefgen.check.gate import _finder, _letters

    pdf_text = (  # pdftotext's output: the footer, a form feed, the next page's header
        "KEY POINTS\nKazakhstan seeks to complement existing international\n"
        "Page 1 of 3\n\fKazakhstan joins the Board of Peace …\nBRIEFGEN\n"
        "institutions with more flexible mechanisms. [2, 1]\nBACKGROUND\n"
    )
    shown = _finder(pdf_text, _letters)
    sentence = (
        "Kazakhstan seeks to complement existing international institutions with more "
        "flexible mechanisms."
    )
    assert shown(sentence)
    assert not shown(sentence.replace("more flexible", "flexible"))
    assert not shown("Kazakhstan seeks to complement existing international mechanisms.")
