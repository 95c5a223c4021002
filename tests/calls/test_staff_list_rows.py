"""What each row of the staff applications list shows, written out: the reference (a dash for a
draft), the link to the application, the consortium as submitted, the voucher type, the
requested sum, the state (and whether it was edited since its submission), the submission time
in the platform's zone."""

import re
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import Organisation
from calls import services
from calls.models import Application
from calls.staff_list import staff_rows
from tests.calls.factories import CallFactory, complete_application

pytestmark = pytest.mark.django_db


def _named(application: Application, lead: str, partner: str) -> None:
    for member in application.members.select_related("organisation"):
        Organisation.objects.filter(pk=member.organisation_id).update(
            legal_name=lead if member.is_lead else partner
        )


def _rows(html: str) -> list[str]:
    """The table body's rows, runs of white space collapsed, none around rows and cells."""
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    body = re.sub(r"\s+", " ", body)
    body = re.sub(r"\s*(</?t[rd][^>]*>)\s*", r"\1", body)
    return [f"<tr>{row.strip()}</tr>" for row in re.findall(r"<tr>(.*?)</tr>", body)]


def test_a_submitted_row_and_a_draft_row(staff_client):
    call = CallFactory(code="C")
    submitted, admin = complete_application(call)
    _named(submitted, "Lapland Ore & Co Oy", "Lisbon <Sensors> Lda")
    services.submit_application(application=submitted, actor=admin)
    Application.objects.filter(pk=submitted.pk).update(
        submitted_at=datetime(2026, 3, 2, 9, 30, tzinfo=UTC), has_unsubmitted_changes=True
    )
    draft, _admin = complete_application(call)
    _named(draft, "Kiruna Draft AB", "Porto Partner SA")

    response = staff_client.get(reverse("calls:manage-applications", args=[call.slug]))

    # In either order: the databases sort the draft's missing reference apart.
    assert sorted(_rows(response.content.decode())) == [
        "<tr><td>C-0001</td>"
        f'<td><a href="/apply/applications/{submitted.pk}/">SENSORT</a> '
        '<span class="muted">Sensor-driven ore sorting</span></td>'
        "<td>Lapland Ore &amp; Co Oy (FI), Lisbon &lt;Sensors&gt; Lda (PT)</td>"
        "<td>Demonstration</td>"
        '<td class="num">€50,000.00</td>'
        '<td><span class="badge">Submitted</span> '
        '<span class="badge warn">Edited since its last submission</span></td>'
        "<td>2 March 2026, 10:30</td></tr>",
        "<tr><td>—</td>"
        f'<td><a href="/apply/applications/{draft.pk}/">SENSORT</a> '
        '<span class="muted">Sensor-driven ore sorting</span></td>'
        "<td>Kiruna Draft AB (FI), Porto Partner SA (PT)</td>"
        "<td>Demonstration</td>"
        '<td class="num">€50,000.00</td>'
        '<td><span class="badge">Draft</span></td>'
        "<td>—</td></tr>",
    ]


def test_an_application_edited_after_the_deadline_says_the_edits_do_not_count(staff_client):
    call = CallFactory(code="C")
    submitted, admin = complete_application(call)
    services.submit_application(application=submitted, actor=admin)
    Application.objects.filter(pk=submitted.pk).update(has_unsubmitted_changes=True)
    call.opens_at = datetime(2025, 12, 1, tzinfo=UTC)
    call.closes_at = datetime(2026, 1, 1, tzinfo=UTC)
    call.save(update_fields=["opens_at", "closes_at"])

    response = staff_client.get(reverse("calls:manage-applications", args=[call.slug]))

    (row,) = _rows(response.content.decode())
    assert (
        '<span class="badge warn">Edited after its last submission: the edits were never '
        "submitted and do not count</span>"
    ) in row


def test_a_list_longer_than_a_page_or_a_batch_keeps_its_order_and_values():
    """The reads are compiled for 50 and 200 ids (`calls.staff_list.READ_LENGTHS`): a longer
    list is read in pieces, each row where it was asked."""
    call = CallFactory(code="C")
    submitted, admin = complete_application(call)
    services.submit_application(application=submitted, actor=admin)
    draft, _admin = complete_application(call)
    ids = [submitted.pk, draft.pk, submitted.pk] * 70  # 210 rows: 200, then 10

    rows = staff_rows(ids)

    assert [(row.application.pk, row.application.reference, row.as_submitted) for row in rows] == [
        (submitted.pk, "C-0001", True),
        (draft.pk, None, False),
        (submitted.pk, "C-0001", True),
    ] * 70
    assert {(row.requested_total, row.voucher_type, row.state_label) for row in rows} == {
        (Decimal("50000.00"), "Demonstration", "Submitted"),
        (Decimal("50000.00"), "Demonstration", "Draft"),
    }
