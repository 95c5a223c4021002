"""The next step of a selected application, on "My applications" and the dashboard, follows its
voucher and who is reading: the administrator of a beneficiary that has not signed signs; their
colleague waits for them; once signed, it waits for the others or the countersignature."""

import pytest
from django.urls import reverse

from accounts.models import Membership
from tests.factories import DEFAULT_PASSWORD, MembershipFactory, UserFactory
from tests.vouchers.factories import selected_application, staff_user
from vouchers import services

pytestmark = pytest.mark.django_db


def _next_column(client, user) -> str:
    client.force_login(user)
    page = client.get(reverse("calls:apply-dashboard")).content.decode()
    return page.split("<tbody>")[1].split("</tbody>")[0]


def test_after_signing_the_next_step_is_no_longer_to_sign(client):
    consortium = selected_application()
    voucher = services.draft_voucher(application=consortium.application, actor=staff_user())
    first = voucher.shares.order_by("pk").first()
    signer = next(
        a for a in consortium.admins if a.memberships.get().organisation_id == first.organisation_id
    )
    assert "Next: sign the voucher agreement." in _next_column(client, signer)

    services.sign_share(share=first, actor=signer, password=DEFAULT_PASSWORD)

    row = _next_column(client, signer)
    assert "sign the voucher agreement" not in row
    assert "Signed on your side: waiting for the other beneficiaries to sign." in row
    assert reverse("vouchers:my-voucher", args=[voucher.pk]) in row


def test_a_colleague_who_is_not_the_administrator_waits_for_them(client):
    consortium = selected_application()
    voucher = services.draft_voucher(application=consortium.application, actor=staff_user())
    colleague = UserFactory()
    MembershipFactory(
        user=colleague,
        organisation=voucher.shares.order_by("pk").first().organisation,
        role=Membership.Role.MEMBER,
    )
    row = _next_column(client, colleague)
    assert "Waiting for your organisation&#x27;s administrator to sign the agreement." in row
    assert "Next: sign" not in row


def test_the_voucher_page_tells_a_colleague_whom_they_wait_for(client):
    consortium = selected_application()
    voucher = services.draft_voucher(application=consortium.application, actor=staff_user())
    colleague = UserFactory()
    MembershipFactory(
        user=colleague,
        organisation=voucher.shares.order_by("pk").first().organisation,
        role=Membership.Role.MEMBER,
    )
    client.force_login(colleague)
    page = client.get(reverse("vouchers:my-voucher", args=[voucher.pk])).content.decode()
    assert (
        '<p class="empty" id="next-step">Nothing is due from you right now. Waiting for your '
        "organisation&#x27;s administrator to sign the agreement.</p>" in page
    )
