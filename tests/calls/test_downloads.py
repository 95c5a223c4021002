"""Attachments and receipts: only the consortium and staff may download them here."""

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from calls import services
from tests.auth import sign_in
from tests.calls.factories import PDF_BYTES, complete_application
from tests.evaluation.factories import accepted_assignment, evaluator
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(django_capture_on_commit_callbacks):
    application, admin = complete_application()
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_application(application=application, actor=admin)
    application.refresh_from_db()
    return application, admin


def urls(application):
    attachment = application.attachments.get()
    return [
        reverse("calls:attachment", kwargs={"pk": application.pk, "attachment_id": attachment.pk}),
        reverse("calls:receipt", kwargs={"pk": application.pk, "number": 1}),
    ]


def test_consortium_members_download_as_attachment(client, submitted):
    application, admin = submitted
    partner_user = UserFactory()
    MembershipFactory(
        user=partner_user,
        organisation=application.members.get(is_lead=False).organisation,
        role="member",
    )
    for user in (admin, partner_user):
        client.force_login(user)
        attachment_url, receipt_url = urls(application)
        response = client.get(attachment_url)
        assert (response.status_code, b"".join(response.streaming_content)) == (200, PDF_BYTES)
        assert response["Content-Disposition"] == 'attachment; filename="plan.pdf"'
        response = client.get(receipt_url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content)[:5] == b"%PDF-"
        assert response["Content-Disposition"] == (
            f'attachment; filename="{application.reference}-v1-receipt.pdf"'
        )


def with_mfa(user):
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    return user


def test_staff_download_needs_mfa(client, submitted):
    application, _admin = submitted
    staff = UserFactory(roles=["consortium-staff"])
    sign_in(client, staff, mfa=False)
    refused = [client.get(url) for url in urls(application)]
    assert [(r.status_code, r.url) for r in refused] == [(302, "/accounts/2fa/totp/activate/")] * 2
    with_mfa(staff)  # enrolled, but this session signed in with the password alone
    refused = [client.get(url) for url in urls(application)]
    assert [(r.status_code, r.url) for r in refused] == [
        (302, f"/accounts/2fa/reauthenticate/?next={url.replace('/', '%2F')}")
        for url in urls(application)
    ]
    sign_in(client, staff)
    assert [client.get(url).status_code for url in urls(application)] == [200, 200]


@pytest.mark.parametrize("role", [None, "evaluators", "transparency-committee"])
def test_outsiders_get_404(client, submitted, role):
    application, _admin = submitted
    outsider = UserFactory(roles=[role] if role else [])
    MembershipFactory(user=outsider)  # an applicant elsewhere
    sign_in(client, outsider)
    assert [client.get(url).status_code for url in urls(application)] == [404, 404]


def test_anonymous_is_sent_to_login(client, submitted):
    application, _admin = submitted
    responses = [client.get(url) for url in urls(application)]
    assert [r.status_code for r in responses] == [302, 302]
    assert all(r["Location"].startswith("/accounts/login/") for r in responses)


def test_an_assigned_evaluator_does_not_open_the_applicants_files(client, submitted):
    """Evaluators read an assigned proposal through evaluation's blind view and its own
    download (tests/evaluation), never the applicant's pages, which name the consortium."""
    application, _admin = submitted
    reader = evaluator()
    accepted_assignment(application, reader)
    sign_in(client, reader)
    assert [client.get(url).status_code for url in urls(application)] == [404, 404]
