"""The literal pre-check in front of the furniture and stub patterns never changes an answer."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.base.text import plain_lower
from briefgen.ingest.read import ingest
from briefgen.summarize.candidates import NOT_NEWS
from briefgen.summarize.fragments import STUB
from briefgen.summarize.segment import segment_all

ROOT = Path(__file__).resolve().parent.parent

# One line per alternative of each pattern: the screen must let every one through.
FURNITURE = [
    "Tweet with a location", "Add location information to your Tweets", "Alexa Internet",
    "the Wayback Machine", "The Internet Archive", "These crawls are part of an effort",
    "Interactive transcript", "Dow Jones Reprints", "All rights reserved.", "Copyright 2019",
    "© 2019 Reuters", "Sign up for our emails", "Subscribe to the podcast", "our newsletter",
    "Click here to read", "Follow us", "Photo: AP", "Image credit: NASA", "video :",
    "Getty Images", "Associated Press photo", "Related: more news", "Read more", "Share this",
    "We use cookies.", "Enable JavaScript", "your browser is old", "see https://x.org",
    "visit www.example.com", "FILE - In this photo", "a file photo", "photo released by",
    "AP Photo/Evan Vucci", "Reuters Images", "staff photographer", "He is seen at the rally.",
    "She was pictured there.", "an electron micrograph", "✉ write to us",
    "This undated photo shows", "This picture", "location history", "as an interest to",
    "Stay up to date on the latest", "contributed to this report", "contributed reporting",
    "broken links", "no more 404", "crawl data", "Get news alerts", "You can unsubscribe.",
    "Newsletters", "Sign up now", "Download the app", "Turn on push notifications",
    "delivered in your inbox", "Hide caption", "Image copyright PA", "3 of 23 photos",
    "Illustrations by Ann", "Photo courtesy of", "Credit: NASA", "Caption: the dog",
    "Donate now", "Support independent journalism", "Make a donation today",
    "Become a member", "Tap here", "Click the link", "Links below", "Watch: the video",
    "Listen: the podcast", "See also: more", "More: stories", "Photos: the fire",
    "Follow Anna on Twitter", "Email the author",
]  # fmt: skip
STUBS = [
    "the page you requested", "the page you are looking for", "Page not found",
    "404: sorry, not found", "Error 404", "This content is no longer available",
    "Please donate", "make a donation", "Support our journalism", "Become a patron",
    "Click to share", "Sign in to comment", "Log in to continue", "opens in a new window",
]  # fmt: skip
SPECIAL_CASE = ["ſubscribe to the podcast", "Tweet with a location"]  # long s, Kelvin sign


@pytest.mark.parametrize(("screen", "examples"), [(NOT_NEWS, FURNITURE), (STUB, STUBS)])
def test_every_alternative_of_a_pattern_passes_its_screen(screen, examples):
    for text in examples:
        assert screen.pattern.search(text), f"example does not match the pattern: {text!r}"
        assert screen.search(text), f"the screen hides a match: {text!r}"


def test_case_folding_the_screen_cannot_see_still_reaches_the_pattern():
    for text in SPECIAL_CASE:
        assert bool(NOT_NEWS.search(text)) == bool(NOT_NEWS.pattern.search(text))


def test_screened_and_bare_patterns_agree_on_every_seed_sentence():
    articles = ingest([str(ROOT / "seeds")]).articles
    texts = [s.text for s in segment_all(articles)]
    texts += [t.upper() for t in texts] + [t + " Photo: Getty" for t in texts]
    for screen in (NOT_NEWS, STUB):  # the split patterns and the whole alternation agree
        assert [bool(screen.search(t)) for t in texts] == [
            bool(screen.pattern.search(t)) for t in texts
        ]


def test_a_screen_narrowed_to_an_article_answers_as_the_whole_one_for_its_sentences():
    article = "Sign up for our newsletter. The talks ended. Photo: AP. Read more at www.x.org."
    sentences = ["Sign up for our newsletter.", "The talks ended.", "Photo: AP.", "Read more."]
    narrowed = NOT_NEWS.within(plain_lower(article))
    assert len(narrowed.parts) < len(NOT_NEWS.parts)
    assert [bool(narrowed.search(s)) for s in sentences] == [True, False, True, True]
    assert [bool(narrowed.search(s)) for s in sentences] == [
        bool(NOT_NEWS.search(s)) for s in sentences
    ]
