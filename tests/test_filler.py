"""No filler as a point (#14 item 9): prompts, captions, credits, donation and link lines never
become a point, and the bottom line and key points never open with a reference they do not
show."""

from __future__ import annotations

import pytest

from briefgen.model import Article, Sentence
from briefgen.pipeline import make_briefing
from briefgen.spec import BriefingSpec
from briefgen.summarize.candidates import is_candidate, may_lead
from tests.builders import make_article


def _sentence(text: str) -> Sentence:
    return Sentence(article_id="a1", index=3, start=0, end=len(text), text=text)


@pytest.mark.parametrize(
    "line",
    [
        # newsletter and alert prompts
        "Breaking News Emails Get breaking news alerts and special reports delivered to you.",
        "Sign up now to receive the morning briefing every weekday before seven o'clock.",
        "You can unsubscribe at any time by following the instructions in every message.",
        "Download the app to get the latest updates on the election as they happen tonight.",
        # captions and credits
        "Hide Caption 5 of 23 Photos: The rise and fall of a famous football player and actor.",
        "Image copyright Reuters Image caption The minister arrived in the capital on Monday.",
        "A rescue worker searches the rubble of a house (Photo by the city press office).",
        "Credit: the regional government press service and its staff in the capital city.",
        # donation lines
        "Please support independent journalism with a small monthly gift to our newsroom today.",
        "Donate now and help our reporters keep covering the flood zone through the winter.",
        "Become a member today and get full access to every story we publish each week.",
        # link lines
        "Click here to read the full statement released by the ministry on Tuesday morning.",
        "Watch: the moment the bridge collapsed into the river during the storm on Sunday.",
        "Follow him on Twitter for more updates from the courthouse as the trial goes on.",
    ],
)
def test_page_furniture_is_never_a_candidate(line: str) -> None:
    assert not is_candidate(_sentence(line), BriefingSpec())


@pytest.mark.parametrize(
    "line",
    [
        "The council donated the land to build a new school for three hundred children.",
        "Police followed the suspects to a farm outside the city, officials said on Monday.",
        "The ministry said links between the two groups had been investigated for a year.",
    ],
)
def test_news_that_mentions_those_words_stays_a_candidate(line: str) -> None:
    assert is_candidate(_sentence(line), BriefingSpec())


@pytest.mark.parametrize(
    "opening",
    [
        "He said he hoped to avoid the violence that erupted in other cities.",
        "They said his car was missing from the home.",
        "It showed a small boy locked in a caged bed.",
        "This included discussion of how being private could serve the firm.",
        "Those figures were revised on Friday.",
        "The announcement came on the same day as a memorial service.",
        "Its shares fell 5% in early trading.",
        '"I don\'t know why he took it."',
        '"We lost a future leader," he said.',
        "\"She suggested a few years ago that she'd forgive me if I found a new planet.",
    ],
)
def test_an_unresolved_opening_may_not_lead(opening: str) -> None:
    assert not may_lead(opening)


@pytest.mark.parametrize(
    "opening",
    [
        "Helsinki police said the suspect was arrested on Monday.",
        "Italy won the final in Berlin on Sunday.",
        "Thistle farmers protested outside the ministry.",
        "The announcement of the new budget was delayed until March.",
        '"It is not our intent to clear the park," an officer said over a loudspeaker.',
        '"He phoned me," Trump told reporters outside his club.',
    ],
)
def test_a_self_contained_opening_may_lead(opening: str) -> None:
    assert may_lead(opening)


def _article(text: str) -> Article:
    return make_article(text, title="Flood in the valley")


def test_a_pronoun_sentence_never_becomes_the_bottom_line_or_a_key_point() -> None:
    # The best-connected sentence opens with "He": it may not lead, whatever its score.
    text = (
        "He said the flood in the valley had destroyed two hundred homes and the main bridge. "
        "The flood in the valley destroyed homes and cut the main road on Monday night. "
        "Rescue teams reached the valley villages by boat after the flood cut the road. "
        "Officials opened schools as shelters for families whose homes the flood destroyed. "
        "The regional council will meet on Friday to plan repairs to the main bridge. "
        "Farmers said the flood had ruined the harvest in most of the lower valley."
    )
    briefing = make_briefing([_article(text)])
    points = briefing.bottom_line + briefing.key_points
    assert points
    assert all(may_lead(st.text) for st in points)
    assert not any(st.text.startswith("He said") for st in points)
