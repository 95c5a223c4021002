"""Beneficiary pages: their voucher, shares, plan, what is due, what was paid; never another's."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from tests.calls.factories import PDF_BYTES
from tests.factories import DEFAULT_PASSWORD, MembershipFactory, UserFactory
from tests.vouchers.conftest import signed_in
from tests.vouchers.factories import (
    active_voucher,
    approved_instalment,
    pay_all,
    selected_application,
)
from vouchers import services
from vouchers.models import VoucherState
from vouchers.panels import beneficiary_panel

pytestmark = pytest.mark.django_db


def test_never_another_beneficiarys_voucher(client, staff):
    mine = selected_application()
    theirs = selected_application()
    their_voucher = active_voucher(theirs, staff)
    services.submit_deliverable(
        deliverable=their_voucher.deliverables.get(is_final=True),
        upload=SimpleUploadedFile("r.pdf", PDF_BYTES),
        actor=theirs.admins[0],
    )
    version = their_voucher.deliverables.get(is_final=True).versions.get()
    share = their_voucher.shares.first()
    my_voucher = services.draft_voucher(application=mine.application, actor=staff)
    me = signed_in(client, mine.admins[0])
    response = me.get(reverse("vouchers:my-vouchers"))
    assert [v.pk for v in response.context["page_obj"]] == [my_voucher.pk]
    for url in (
        reverse("vouchers:my-voucher", args=[their_voucher.pk]),
        reverse("vouchers:sign", args=[their_voucher.pk, share.pk]),
        reverse("vouchers:file", args=[their_voucher.pk, version.pk]),
        reverse("vouchers:file", args=[my_voucher.pk, version.pk]),
    ):
        assert me.get(url).status_code == 404
    assert (
        their_voucher.agreement_number
        not in me.get(reverse("vouchers:my-vouchers")).content.decode()
    )
    # Staff pages are not theirs either.
    assert me.get(reverse("vouchers:manage-voucher", args=[their_voucher.pk])).status_code == 403


def test_sign_through_the_page_with_password(client, staff):
    consortium = selected_application()
    voucher = services.draft_voucher(application=consortium.application, actor=staff)
    share = voucher.shares.order_by("pk").first()
    admin = signed_in(client, consortium.admins[0])
    page = admin.get(reverse("vouchers:my-voucher", args=[voucher.pk]))
    assert [s.pk for s in page.context["to_sign"]] == [share.pk]
    url = reverse("vouchers:sign", args=[voucher.pk, share.pk])
    response = admin.post(url, {"password": "wrong", "confirm": "on"})
    assert response.status_code == 400
    assert "did not match" in response.content.decode()
    assert admin.post(url, {"password": DEFAULT_PASSWORD, "confirm": "on"}).status_code == 302
    share.refresh_from_db()
    assert share.signed_by == consortium.admins[0]


def test_member_who_is_not_admin_cannot_sign(client, staff):
    consortium = selected_application()
    voucher = services.draft_voucher(application=consortium.application, actor=staff)
    share = voucher.shares.order_by("pk").first()
    employee = UserFactory()
    MembershipFactory(user=employee, organisation=share.organisation, role="member")
    member = signed_in(client, employee)
    assert member.get(reverse("vouchers:my-voucher", args=[voucher.pk])).context["to_sign"] == []
    response = member.post(
        reverse("vouchers:sign", args=[voucher.pk, share.pk]),
        {"password": DEFAULT_PASSWORD, "confirm": "on"},
    )
    assert response.status_code == 403


def test_refuse_through_the_page(client, staff):
    consortium = selected_application()
    voucher = services.draft_voucher(application=consortium.application, actor=staff)
    share = voucher.shares.order_by("pk").last()
    admin = signed_in(client, consortium.admins[1])
    url = reverse("vouchers:refuse", args=[voucher.pk, share.pk])
    assert admin.post(url, {"password": DEFAULT_PASSWORD, "reason": "No"}).status_code == 400
    response = admin.post(url, {"password": DEFAULT_PASSWORD, "reason": "No", "confirm": "on"})
    assert response.status_code == 302
    voucher.refresh_from_db()
    assert voucher.state == VoucherState.TERMINATED


def test_upload_and_see_payments(client, staff, staff2, staff3):
    consortium = selected_application()
    voucher = active_voucher(consortium, staff)
    pay_all(approved_instalment(voucher, staff, staff2), staff3)
    final = voucher.deliverables.get(is_final=True)
    admin = signed_in(client, consortium.admins[1])
    page = admin.get(reverse("vouchers:my-voucher", args=[voucher.pk]))
    assert [d.pk for d in page.context["to_deliver"]] == [final.pk]
    # Only the payments to the user's own organisation.
    assert [(p.beneficiary.organisation_id, str(p.amount)) for p in page.context["payments"]] == [
        (consortium.organisations[1].pk, "10000.00")
    ]
    url = reverse("vouchers:upload", args=[voucher.pk, final.pk])
    response = admin.post(url, {"file": SimpleUploadedFile("x.pdf", b"not a pdf at all")})
    assert response.status_code == 400
    assert "whatever its name says" in response.content.decode()
    response = admin.post(url, {"file": SimpleUploadedFile("report.pdf", PDF_BYTES)})
    assert response.status_code == 302
    version = final.versions.get()
    download = admin.get(reverse("vouchers:file", args=[voucher.pk, version.pk]))
    assert b"".join(download.streaming_content) == PDF_BYTES
    assert download["Content-Type"] == "application/pdf"


@pytest.mark.parametrize("count", [1, 3])
def test_dashboard_panel_query_count(django_assert_num_queries, staff, count):
    user = UserFactory()
    for _ in range(count):
        consortium = selected_application()
        MembershipFactory(user=user, organisation=consortium.organisations[0])
        services.draft_voucher(application=consortium.application, actor=staff)
    request = RequestFactory().get("/")
    request.user = user
    # The admin organisations, the vouchers, their shares and deliverables; the roles (2).
    with django_assert_num_queries(6):
        html = render_to_string(
            "vouchers/dashboard_panel.html", beneficiary_panel(request), request=request
        )
    assert html.count("Next: sign the voucher agreement.") == count


@pytest.mark.parametrize("count", [1, 3])
def test_my_vouchers_query_count(client, staff, django_assert_num_queries, count):
    user = UserFactory()
    for _ in range(count):
        consortium = selected_application()
        MembershipFactory(user=user, organisation=consortium.organisations[0])
        services.draft_voucher(application=consortium.application, actor=staff)
    member = signed_in(client, user)
    url = reverse("vouchers:my-vouchers")
    member.get(url)
    # Three, whatever the count of vouchers; the session is not written again (renewed hourly).
    # Six until issue #15: the session read from the cache and the person with roles and memberships in one query, three fewer.
    with django_assert_num_queries(3):
        response = member.get(url)
    assert response.context["page_obj"].paginator.count == count


def test_beneficiary_sees_own_support_services(client, staff):
    consortium = selected_application()
    voucher = active_voucher(consortium, staff)
    for organisation in consortium.organisations:
        services.record_support_service(
            organisation=organisation,
            call=voucher.call,
            voucher=voucher,
            type="mentoring",
            provider=f"Mentor for {organisation.short_name}",
            date=date(2026, 9, 1),
            value=Decimal("500.00"),
            actor=staff,
        )
    page = signed_in(client, consortium.admins[0]).get(
        reverse("vouchers:my-voucher", args=[voucher.pk])
    )
    assert [s.provider for s in page.context["support_services"]] == [
        f"Mentor for {consortium.organisations[0].short_name}"
    ]
