"""The reads the public site makes of vouchers: durations and public deliverables."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from calls.models import Application
from tests.calls.factories import PDF_BYTES
from tests.vouchers.factories import active_voucher, selected_application
from vouchers import selectors, services

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (date(2026, 1, 1), date(2027, 1, 1), 12),
        (date(2026, 1, 1), date(2026, 1, 2), 1),  # never zero
        (date(2026, 1, 31), date(2026, 7, 31), 6),
        (None, date(2026, 1, 1), None),
    ],
)
def test_months_between(start, end, months):
    assert selectors.months_between(start, end) == months


def test_planned_duration_is_the_plans_year():
    assert selectors.PLANNED_PROJECT_MONTHS == 12


def test_project_dates_and_public_deliverables(staff, django_assert_num_queries):
    consortium = selected_application()
    voucher = active_voucher(consortium, staff)
    final = voucher.deliverables.get(is_final=True)
    services.submit_deliverable(
        deliverable=final,
        upload=SimpleUploadedFile("r.pdf", PDF_BYTES),
        actor=consortium.admins[0],
    )
    services.review_deliverable(deliverable=final, actor=staff, accept=True)
    pk = consortium.application.pk
    assert selectors.public_deliverables([pk]) == {}  # accepted, not marked public

    services.set_deliverable_public(deliverable=final, public=True, actor=staff)
    with django_assert_num_queries(2):  # one each
        found = selectors.public_deliverables([pk, pk + 1000])
        row = Application.objects.annotate(**selectors.project_dates()).get(pk=pk)

    assert [v.deliverable.title for v in found[pk]] == ["Final report"]
    # The signature date in the programme's time zone (Brussels), not UTC.
    assert (row.project_start, row.project_end) == (
        timezone.localdate(voucher.signed_at),
        final.due_date,
    )
    assert selectors.public_deliverable_file(pk, found[pk][0].pk) == found[pk][0]
    assert selectors.public_deliverable_file(pk + 1, found[pk][0].pk) is None
