"""Sentences that are not whole sentences of the story: pieces a briefing must never show.

Kept apart from :mod:`briefgen.summarize.candidates` (page furniture and filler) so each list can
grow on its own.  :func:`is_fragment` is one of the tests a candidate must pass:

* **unbalanced quotation marks**: one piece of a quote that runs over several sentences
  (``"And it did in this case.``), which reads as broken when shown alone;
* **error and stub pages** scraped in place of an article ("Sorry, the page you requested was not
  found.");
* **donation and link lines** ("Support our journalism", "Click to share").
"""

from __future__ import annotations

from briefgen.base.text import Screened

STUB = Screened(
    [
        ("page", r"page you (?:requested|are looking for|were looking for)"),
        ("page", r"\bpage (?:was )?not (?:be )?found\b"),
        ("page", r"\bthis page is (?:no longer |not |currently un)available\b"),
        ("404", r"\b404\b.*\bnot found\b|\berror 404\b"),
        ("available", r"\bthis (?:content|video) is (?:no longer |not |currently un)available\b"),
        ("donat", r"\b(?:please )?(?:donate|make a donation)\b"),
        ("journalism", r"support (?:our|independent) journalism"),
        ("become a", r"\bbecome a (?:member|subscriber|patron)\b"),
        ("click to", r"\bclick to (?:share|email|print|open)\b"),
        (" in to", r"\b(?:log|sign) in to (?:comment|continue|read)\b"),
        ("window", r"\bopens in a new window\b"),
    ]
)  # fmt: skip
"""Stub pages, donation and link lines (:data:`_STUB` behind its screen)."""


def unbalanced_quotes(text: str) -> bool:
    """Whether ``text`` opens or closes a quotation it does not also close or open."""
    return text.count('"') % 2 == 1 or text.count("“") != text.count("”")


def is_fragment(text: str) -> bool:
    """Whether ``text`` is a piece of a quote, an error or stub page, or a donation/link line."""
    return unbalanced_quotes(text) or bool(STUB.search(text))
