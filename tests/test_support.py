"""Support that holds (#14 item 1): a citation supports a statement only when it reports the same
fact, not merely the same topic."""

from __future__ import annotations

import pytest

from briefgen.summarize.support import conflict, match, same_fact

SHOWN = "Governor Anna Keller said 40 shelters had been opened in schools across the province."


@pytest.mark.parametrize(
    "cited",
    [
        # the same fact in other words
        "Forty shelters have been opened in schools across the province, Governor Anna Keller "
        "said on Monday.",
        "Governor Anna Keller said that 40 shelters had been opened in schools in the province.",
        # a rounded figure is the same figure
        "About 40.5 shelters had been opened in schools across the province, Keller said.",
    ],
)
def test_the_same_fact_in_another_outlet_is_support(cited: str) -> None:
    assert same_fact(SHOWN, cited), match(SHOWN, cited).reason


@pytest.mark.parametrize(
    ("cited", "why"),
    [
        # same topic, another fact (the seeds' case from the issue)
        (
            "Governor Anna Keller visited the province on Monday and met rescue teams.",
            "content words",
        ),
        # the same sentence frame with another count
        (
            "Governor Anna Keller said 52 shelters had been opened in schools across the province.",
            "numbers differ",
        ),
    ],
)
def test_a_different_fact_on_the_same_topic_is_no_support(cited: str, why: str) -> None:
    verdict = match(SHOWN, cited)
    assert not verdict.same
    assert why in verdict.reason


def test_the_seed_point_the_issue_names_is_not_supported_by_the_invitation_sentence() -> None:
    shown = (
        "The diplomatic experience of President Kassym-Jomart Tokayev is also of particular "
        "significance."
    )
    cited = (
        "President Kassym-Jomart Tokayev accepted the invitation and conveyed his country’s "
        "willingness to contribute constructively to the proposed framework."
    )
    assert not same_fact(shown, cited)


@pytest.mark.parametrize(
    ("a", "b", "clash"),
    [
        ("The talks open on March 3 in Geneva.", "The talks open on April 3 in Geneva.", "dates"),
        ("The bridge opened in 1998.", "The bridge opened in 2004.", "years"),
        ("The firm seeks $972,814 in costs.", "The firm seeks $1.7 million in costs.", "numbers"),
        ("Three people are in custody.", "Four people are in custody.", "numbers"),
        ("Call the police at 335-5784 today.", "Call the police at 432-333-8477 today.", "numbers"),
    ],
)
def test_conflicting_values_are_named(a: str, b: str, clash: str) -> None:
    reason = conflict(a, b)
    assert reason is not None and clash in reason


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("The firm seeks $972,814 in costs.", "The firm seeks about $973,000 in costs."),
        ("Net worth: $2.5bn.", "A net worth of $2,500 million."),
        ("It happened on Oct. 29.", "Since October 29 the claims grew."),
        ("One suspect fled.", "Two suspects were held."),  # "one" is not read as a count
    ],
)
def test_agreeing_or_unstated_values_are_no_conflict(a: str, b: str) -> None:
    assert conflict(a, b) is None
