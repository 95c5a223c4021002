"""A milestone paid on the mentor's report tells the truth on every page that shows it: before
the approval its instalment waits for the report; after it, the pages say when the report was
approved and that the instalment became due, beside the milestone's deliverable (still pending:
nothing was uploaded)."""

import html
import re
from datetime import UTC, datetime

import pytest
from django.utils.html import strip_tags

from mentoring import services
from mentoring.models import ProgressRating
from tests.auth import sign_in
from tests.mentoring.factories import accepted
from tests.vouchers.conftest import signed_in

pytestmark = pytest.mark.django_db

APPROVED_AT = datetime(2027, 3, 15, 10, 30, tzinfo=UTC)


def _text(fragment: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(strip_tags(fragment))).strip()


def _mentor_lines(response) -> list[str]:
    """The voucher pages' lines about the mentor's report, one per deliverable it concerns."""
    found = re.findall(r'<p class="mentor-report">(.*?)</p>', response.content.decode(), re.S)
    return [_text(line) for line in found]


def _milestone_rows(response) -> list[str]:
    """The mentoring pages' milestone headers (title and badge)."""
    found = re.findall(r'<th scope="row">(.*?)</th>', response.content.decode(), re.S)
    return [_text(row) for row in found]


def _pending_badges(response) -> list[str]:
    return re.findall(r'<span class="badge">(Pending)</span>', response.content.decode())


def _approve(project, staff, mentor):
    assignment = accepted(project.voucher, mentor, staff)
    services.submit_milestone_report(
        assignment=assignment,
        actor=mentor,
        milestone=project.voucher.milestones.get(sequence=1),
        rating=ProgressRating.ON_TRACK,
        report="Pilot line installed.",
        approve=True,
    )


def test_before_the_report_the_pages_say_the_instalment_waits(client, staff, project, mentor):
    accepted(project.voucher, mentor, staff)
    voucher = project.voucher
    sign_in(client, project.consortium.admins[0])

    beneficiary = client.get(f"/apply/vouchers/{voucher.pk}/")
    mentoring = client.get(f"/apply/vouchers/{voucher.pk}/mentoring/")

    assert _mentor_lines(beneficiary) == ["Instalment 2 waits for the mentor's approved report."]
    assert _milestone_rows(mentoring) == [
        "1. Mid-term review Instalment waits for the report",
        "2. Project completion",
    ]


def test_after_the_approval_every_page_says_the_instalment_became_due(
    client, staff, project, mentor, time_machine
):
    voucher = project.voucher
    time_machine.move_to(APPROVED_AT)
    _approve(project, staff, mentor)

    sign_in(client, project.consortium.admins[0])
    beneficiary = client.get(f"/apply/vouchers/{voucher.pk}/")
    consortium_mentoring = client.get(f"/apply/vouchers/{voucher.pk}/mentoring/")
    client.logout()
    signed_in(client, staff)
    manage = client.get(f"/manage/vouchers/{voucher.pk}/")
    manage_mentoring = client.get(f"/manage/mentoring/vouchers/{voucher.pk}/")

    approved = ["Mentor's report approved on 15 March 2027 Instalment 2 became due."]
    assert _mentor_lines(beneficiary) == approved
    assert _mentor_lines(manage) == approved
    # The deliverables themselves are still pending (nothing uploaded): both facts are shown.
    assert (_pending_badges(beneficiary), _pending_badges(manage)) == (
        ["Pending", "Pending"],
        ["Pending", "Pending"],
    )
    rows = [
        "1. Mid-term review Report approved on 15 March 2027: its instalment became due",
        "2. Project completion",
    ]
    assert _milestone_rows(consortium_mentoring) == rows
    assert _milestone_rows(manage_mentoring) == rows


def test_the_payment_plan_names_the_milestone_whose_report_pays(client, staff, project):
    sign_in(client, project.consortium.admins[0])

    page = client.get(f"/apply/vouchers/{project.voucher.pk}/").content.decode()

    cells = [_text(cell) for cell in re.findall(r"<td>(.*?)</td>", page, re.S)]
    assert "Mentor's milestone report approved: Mid-term review" in cells
