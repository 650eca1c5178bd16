"""Selection as an editor would pick (issue #16): readable key points, whole sentences only, one
real article read in order."""

from __future__ import annotations

from dataclasses import replace

from briefgen.base.readability import readability
from briefgen.model import Sentence
from briefgen.spec import BriefingSpec
from briefgen.summarize.candidates import is_candidate
from briefgen.summarize.fragments import is_fragment
from briefgen.summarize.rank import rank
from briefgen.summarize.segment import segment_all
from briefgen.summarize.select import grade_goal, summarize, summary_text
from tests.builders import make_article

HARD = (
    "The intergovernmental consultative mechanism's comprehensive institutionalization "
    "necessitates considerable administrative reorganization across participating jurisdictions."
)
EASY = [
    "The council met in the old town hall on Monday night.",
    "Ten members voted for the new bus plan.",
    "Two members said the fares were too high.",
    "The mayor said the first buses will run in May.",
    "People at the meeting asked for more night buses.",
    "The plan now goes to the state for a final vote.",
]
FILLER = [
    "Administrative reorganization of consultative jurisdictions remains institutionally "
    "complicated according to intergovernmental observers and municipal representatives.",
    "Comprehensive institutionalization of transportation governance requires considerable "
    "coordination between municipal authorities and regional administrative organizations.",
]


def _sentence(text: str) -> Sentence:
    return Sentence(article_id="a1", index=0, start=0, end=len(text), text=text)


def test_quote_pieces_stub_pages_and_donation_lines_are_never_candidates() -> None:
    spec = BriefingSpec()
    for text in (
        '"And it did in this case, and we are all very sad about it.',
        "It was the best day of my life,” she said on Sunday to reporters.",
        "Sorry, the page you requested was not found on this server today.",
        "Please donate today to keep our local reporting free for everyone.",
    ):
        assert is_fragment(text)
        assert not is_candidate(_sentence(text), spec), text
    whole = '"We will rebuild the bridge," the mayor said on Sunday.'
    assert not is_fragment(whole) and is_candidate(_sentence(whole), spec)


LEAD = (
    "The regional council approved the controversial transportation modernization plan after a "
    "lengthy debate on Monday."
)
MORE = [
    "Implementation responsibilities remain distributed among numerous overlapping "
    "administrative authorities and committees.",
    "Financial sustainability considerations dominated deliberations among participating "
    "municipal representatives throughout.",
]


def _council(spec: BriefingSpec) -> tuple[float, list[str]]:
    """The grade goal and the bottom line + key points of a story told mostly in hard prose."""
    articles = [
        make_article(" ".join([LEAD, *FILLER, *EASY[:3], *MORE]), id="a1", outlet="A"),
        make_article(" ".join([LEAD, HARD, EASY[3]]), id="a2", outlet="B"),
    ]
    ranking = rank(articles, segment_all(articles), spec)
    summary = summarize(ranking, spec)
    return grade_goal(ranking, spec), [s.text for s in summary.bottom_line + summary.key_points]


def test_key_points_read_at_the_grade_target_when_the_sources_allow() -> None:
    spec = BriefingSpec()
    goal, shown = _council(spec)
    assert goal == spec.targets.max_grade  # the sources' median is harder than 12 + 2
    assert readability(shown).flesch_kincaid_grade <= goal
    # The central fact both outlets report stays the bottom line: easier key points pay for it.
    assert shown[0] == LEAD
    # Without a goal the same ranking reads harder.
    loose = replace(
        spec,
        selection=replace(spec.selection, grade_below_sources=-100.0),
        targets=replace(spec.targets, max_grade=100.0),
    )
    _, free = _council(loose)
    assert readability(free).flesch_kincaid_grade > spec.targets.max_grade


def test_one_real_article_beside_stubs_is_read_in_order() -> None:
    story = (
        "Flood waters forced 3,000 people from their homes in the river valley on Tuesday. "
        "Rescue crews used boats to reach families trapped on rooftops overnight. "
        "The river crested at nine metres, the highest level in fifty years. "
        "Officials opened four shelters in schools across the valley. "
        "Power was cut to 12,000 homes as substations flooded. "
        "Farmers said the harvest in the lower valley was lost. "
        "Engineers warned that two old levees could still fail this week. "
        "The flood waters are expected to recede slowly over the weekend."
    )
    stub = "Watch the latest video from the valley flood on our home page today."
    articles = [make_article(story, id="a1"), make_article(stub, id="a2")]
    shown = summary_text(articles, segment_all(articles), 45, BriefingSpec())
    sentences = [s.text for s in segment_all(articles[:1])]
    assert shown == sentences[: len(shown)] and len(shown) >= 3
