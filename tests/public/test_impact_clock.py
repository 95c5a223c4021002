"""The public impact figures change by the clock when a follow-up stage opens (a year after a
project's end, at midnight in the call's time zone): the cached page and figures are not kept
past that moment (impact registers it with the page cache like calls and events do)."""

import re
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from impact import selectors, services
from tests.calls.factories import CallFactory
from tests.impact.factories import end_project, funded
from tests.vouchers.factories import staff_user

pytestmark = pytest.mark.django_db

PROJECT_ENDS = datetime(2027, 1, 12, 9, 0, tzinfo=UTC)  # 12 January in Brussels
# 365 days later, midnight in Brussels (UTC+1 in winter).
FOLLOW_UP_OPENS = datetime(2028, 1, 11, 23, 0, tzinfo=UTC)


@pytest.fixture
def ended_project(time_machine):
    time_machine.move_to(PROJECT_ENDS)
    staff = staff_user()
    call = CallFactory(state="decided", title="Impact call", slug="impact-call")
    services.add_presets(call=call, actor=staff, keys=["turnover"])
    consortium, voucher = funded(call, staff, amounts=(Decimal("40000.00"),))
    end_project(voucher, consortium, staff)


def _counts(client) -> list[str]:
    """Every "n = x of y" of the impact page, its explanation's example first."""
    page = client.get(reverse("public:impact")).content.decode()
    return re.findall(r"n = \d+ of \d+", page)


def _follow_up(client) -> dict:
    body = client.get(reverse("api-public-impact")).json()
    return body[0]["overall"]["figures"][2]


def test_impact_registers_when_the_follow_up_opens(ended_project, time_machine):
    time_machine.move_to(datetime(2027, 6, 1, tzinfo=UTC))
    assert selectors.next_clock_change() == FOLLOW_UP_OPENS

    time_machine.move_to(datetime(2028, 1, 12, tzinfo=UTC))
    assert selectors.next_clock_change() is None


def test_the_cached_page_counts_the_follow_up_from_the_moment_it_opens(
    client, ended_project, time_machine
):
    time_machine.move_to(datetime(2028, 1, 11, 22, 57, tzinfo=UTC))
    before = _counts(client)
    api_before = _follow_up(client)
    time_machine.move_to(datetime(2028, 1, 11, 23, 0, 30, tzinfo=UTC))  # within ten minutes
    after = _counts(client)
    api_after = _follow_up(client)

    # Overall, per call, per country: baseline, final, follow-up (one beneficiary, no report).
    assert before == ["n = 12 of 15"] + ["n = 0 of 1", "n = 0 of 1", "n = 0 of 0"] * 3
    assert after == ["n = 12 of 15"] + ["n = 0 of 1", "n = 0 of 1", "n = 0 of 1"] * 3
    assert (api_before["stage"], api_before["beneficiaries"]) == ("follow_up", 0)
    assert (api_after["stage"], api_after["beneficiaries"]) == ("follow_up", 1)
