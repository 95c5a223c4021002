"""Counts read in the singular for one and in the plural otherwise ("1 abstention", not
"1 abstentions"), in the texts built from templates."""

import re
from datetime import date

import pytest
from django.template.loader import render_to_string
from django.utils import translation


def _votes_row(abstentions: int) -> str:
    session = {
        "call": {"title": "Call", "code": "OC1", "total_budget": "100000"},
        "meeting_date": date(2026, 12, 1),
        "quorum": 3,
    }
    tally = {"present": 3, "votes_for": 2, "votes_against": 0, "abstentions": abstentions}
    with translation.override("en"):
        html = render_to_string(
            "evaluation/pdf/minutes.html", {"session": session, "tally": tally, "attendance": []}
        )
    return re.search(r"<th>Votes</th><td>(.*?)</td>", html).group(1)


@pytest.mark.parametrize(
    ("abstentions", "shown"),
    [(1, "2 for, 0 against, 1 abstention"), (2, "2 for, 0 against, 2 abstentions")],
)
def test_the_minutes_count_abstentions_in_the_singular_and_the_plural(abstentions, shown):
    assert _votes_row(abstentions) == shown


@pytest.mark.parametrize(
    ("funded", "reserve", "shown"),
    [
        (1, 1, '"Call 1": 1 proposal funded, 1 on the reserve list.'),
        (3, 2, '"Call 1": 3 proposals funded, 2 on the reserve list.'),
    ],
)
def test_the_adoption_e_mail_counts_funded_proposals_in_the_singular_and_the_plural(
    funded, reserve, shown
):
    context = {
        "call": "Call 1",
        "funded": funded,
        "reserve": reserve,
        "content_hash": "ab" * 32,
        "ledger_seq": 7,
    }
    with translation.override("en"):
        text = render_to_string("emails/evaluation/decision_adopted.txt", context)

    assert " ".join(text.split()).split("call ", 1)[1].startswith(shown)
