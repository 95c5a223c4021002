"""Erasure on request: what goes, what stays (and until when), and that the records of
decisions, the public pages and the ledger do not move."""

import json
from datetime import date
from decimal import Decimal

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from accounts.models import ApiToken, ErasureRequest, Invitation, Membership, User
from accounts.services import api_token_create, erasure_request_process
from calls.models import ApplicationState
from evaluation.models import Assignment, DecisionSession, EvaluatorProfile, Score
from evaluation.results import call_ranking
from matchmaking.models import ExpressionOfInterest, PartnerProfile
from minegap.ledger.models import AuditEntry
from minegap.ledger.verification import verify_chain
from minegap.notifications.models import Notification
from public import selectors as public_selectors
from tests.auth import sign_in
from tests.evaluation.conftest import with_mfa
from tests.evaluation.decision_factories import adopt, ready_call
from tests.evaluation.factories import (
    accepted_assignment,
    closed_call,
    evaluator,
    scored_assignment,
    submitted_application,
)
from tests.factories import DEFAULT_PASSWORD, MembershipFactory, OrganisationFactory, UserFactory
from tests.vouchers.factories import (
    active_voucher,
    approved_instalment,
    selected_application,
    staff_user,
)
from vouchers import services as voucher_services
from vouchers.models import InstalmentShare

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _ranking(call):
    rows, pending = call_ranking(call)
    return [(r.result.application.pk, r.result.final) for r in rows], len(pending)


def test_erasing_an_evaluator_keeps_the_ranking_and_the_frozen_decision(staff_of_call):
    ready = ready_call()
    session = adopt(ready, staff_of_call)
    session.refresh_from_db()
    content_bytes = json.dumps(session.content, sort_keys=True).encode()
    digest = session.content_hash
    ranking = _ranking(ready.call)
    scores = list(Score.objects.order_by("pk").values_list("pk", "value", "justification"))
    person = ready.apps[0].assignments.order_by("pk").first().evaluator
    person.full_name = "Ingrid Nilsson"
    person.save()

    erasure = erasure_request_process(user=person)

    person.refresh_from_db()
    assert person.full_name == f"Evaluator {erasure.pseudonym}"
    assert "Nilsson" not in person.full_name
    assert person.email == f"erased-{erasure.pseudonym}@erased.invalid"
    assert not EvaluatorProfile.objects.filter(user=person).exists()
    # The record of the decisions stays, attributed to the pseudonymised account.
    assert Assignment.objects.filter(evaluator=person).count() == 1
    assert list(Score.objects.order_by("pk").values_list("pk", "value", "justification")) == scores
    assert _ranking(ready.call) == ranking
    session = DecisionSession.objects.get(pk=session.pk)
    assert json.dumps(session.content, sort_keys=True).encode() == content_bytes
    assert session.content_hash == digest
    assert verify_chain().intact
    entry = AuditEntry.objects.get(action="accounts.erasure.processed")
    # Two-factor devices, addresses and sessions, profile, evaluation, name: counts, no names.
    assert entry.data == {"user": person.pk, "erased": 5, "kept": 0}
    assert erasure.status == ErasureRequest.Status.ERASED


@pytest.fixture
def staff_of_call(db):
    return with_mfa(UserFactory(roles=[roles.STAFF], full_name="Stella Staff"))


def _funded_project_paid_on(paid_on: date):
    """A funded project (voucher of EUR 40,000 = 30,000 + 10,000) whose only payment has value
    date `paid_on`, then terminated: its final payment is that day."""
    staff, staff2, staff3 = staff_user(), staff_user(), staff_user()
    consortium = selected_application(amounts=(Decimal("30000.00"), Decimal("10000.00")))
    voucher = active_voucher(consortium, staff)
    instalment = approved_instalment(voucher, staff, staff2)
    for split in InstalmentShare.objects.filter(instalment=instalment).order_by("pk"):
        voucher_services.record_payment(
            split=split,
            actor=staff3,
            idempotency_key=f"pay-{split.pk}",
            value_date=paid_on,
            bank_reference=f"TRF-{split.pk}",
        )
    voucher_services.terminate_voucher(voucher=voucher, actor=staff, reason="Project stopped.")
    return consortium, voucher


def _public_view():
    rows = [
        (m.organisation.legal_name, m.organisation.country, m.application.acronym, m.awarded_amount)
        for m in public_selectors.beneficiaries()
    ]
    return rows, public_selectors.public_stats().overall


def test_erasing_an_sme_contact_of_a_funded_project_keeps_the_public_record(mailoutbox):
    consortium, voucher = _funded_project_paid_on(date(2026, 3, 10))
    assert voucher.amount == Decimal("40000.00")
    contact = consortium.admins[0]
    contact.full_name = "Sally Signer"
    contact.save()
    address = contact.email
    public_before = _public_view()
    assert len(public_before[0]) == 2

    erasure = erasure_request_process(user=contact)

    assert _public_view() == public_before
    assert erasure.status == ErasureRequest.Status.PARTLY_KEPT
    # EUR 40,000 is a small grant: 3 years after the final payment of 10 March 2026.
    assert [(k["until"], k["what"]) for k in erasure.kept_items] == [
        (
            date(2029, 3, 10),
            f"Records of the funded project {consortium.application.display_name} (agreement "
            f"{voucher.agreement_number}) that name you: the signed agreement, the submitted "
            "application, deliverables and payments",
        )
    ]
    assert erasure.outcome["kept"][0]["until"] == "2029-03-10"
    contact.refresh_from_db()
    assert contact.full_name == f"Former user {erasure.pseudonym}"
    assert not Membership.objects.filter(user=contact).exists()
    # The summary goes to the address the account had, before it was erased.
    message = Notification.objects.get(template="accounts/erasure_done")
    assert message.email == address
    assert "Sally" not in json.dumps(message.context)


def test_a_large_grant_is_kept_five_years_and_an_unpaid_one_has_no_date_yet(settings):
    settings.RETENTION_SMALL_GRANT_LIMIT = "39999.99"
    consortium, _voucher = _funded_project_paid_on(date(2026, 3, 10))
    erasure = erasure_request_process(user=consortium.admins[1])
    assert [k["until"] for k in erasure.kept_items] == [date(2031, 3, 10)]

    running = selected_application()
    active_voucher(running, staff_user())
    erasure = erasure_request_process(user=running.admins[0])
    assert [k["until"] for k in erasure.kept_items] == [None]


def test_an_erased_person_can_no_longer_sign_in_or_use_a_token():
    person = with_mfa(UserFactory(email="gone@example.eu"))
    EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
    _token, secret = api_token_create(
        user=person, name="script", lifetime_days=30, session_mfa=True
    )
    browser = sign_in(Client(), person)
    assert browser.get(reverse("dashboard")).status_code == 200

    erasure_request_process(user=person)

    person.refresh_from_db()
    assert (person.is_active, person.has_usable_password()) == (False, False)
    assert not Client().login(email="gone@example.eu", password=DEFAULT_PASSWORD)
    answer = Client().post(
        reverse("account_login"), {"login": "gone@example.eu", "password": DEFAULT_PASSWORD}
    )
    assert answer.status_code == 200  # the form again, with its error: nobody signed in
    assert "_auth_user_id" not in answer.wsgi_request.session
    assert browser.get(reverse("dashboard")).status_code == 302  # the old session is gone
    assert not Session.objects.exists()
    assert list(ApiToken.objects.filter(user=person, revoked_at__isnull=True)) == []
    api = Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.status_code == 401
    assert not EmailAddress.objects.filter(user=person).exists()
    assert not Authenticator.objects.filter(user=person).exists()


def test_matchmaking_and_invitations_lose_the_persons_own_data():
    organisation = OrganisationFactory()
    person = UserFactory(email="Me@Example.eu")
    MembershipFactory(user=person, organisation=organisation)
    profile = PartnerProfile.objects.create(
        organisation=organisation, summary="We recycle.", role_sought="both", contact_person=person
    )
    other = OrganisationFactory()
    interest = ExpressionOfInterest.objects.create(
        sender=organisation, receiver=other, sent_by=person, message="Call me on +358 40 123."
    )
    elsewhere = OrganisationFactory()
    Invitation.objects.create(
        organisation=elsewhere,
        email="me@example.eu",
        token="t1",
        expires_at="2030-01-01T00:00Z",
    )

    erasure_request_process(user=person)

    profile.refresh_from_db()
    interest.refresh_from_db()
    assert profile.contact_person is None
    assert profile.summary == "We recycle."  # the organisation's text stays
    assert interest.message == ""
    assert not Invitation.objects.filter(organisation=elsewhere).exists()


def test_a_sole_administrator_with_colleagues_is_refused_until_handing_over():
    organisation = OrganisationFactory(legal_name="Lapland Lithium Oy")
    person = UserFactory()
    MembershipFactory(user=person, organisation=organisation)
    MembershipFactory(organisation=organisation, role=Membership.Role.MEMBER)
    with pytest.raises(ValidationError, match="only administrator of Lapland Lithium Oy"):
        erasure_request_process(user=person)
    person.refresh_from_db()
    assert person.is_active
    assert not ErasureRequest.objects.exists()
    assert not AuditEntry.objects.filter(action="accounts.erasure.processed").exists()


def test_a_second_request_is_refused():
    person = UserFactory()
    erasure_request_process(user=person)
    with pytest.raises(ValidationError, match="already been erased"):
        erasure_request_process(user=User.objects.get(pk=person.pk))
    assert ErasureRequest.objects.count() == 1


def test_the_page_confirms_then_erases_and_signs_out(client):
    consortium, voucher = _funded_project_paid_on(date(2026, 3, 10))
    person = consortium.admins[0]
    sign_in(client, person)
    url = reverse("accounts:erasure-request")
    page = client.get(url)
    assert page.status_code == 200
    assert "Erase my account now" in page.content.decode()
    # allauth asks for the password again (its re-authentication), through its own page.
    assert client.post(url, {"confirm": "on"})["Location"].startswith(
        reverse("account_reauthenticate")
    )
    client.post(reverse("account_reauthenticate"), {"password": DEFAULT_PASSWORD})

    unconfirmed = client.post(url, {})
    assert unconfirmed.status_code == 400
    assert "Tick the box to confirm the erasure." in unconfirmed.content.decode()
    assert not ErasureRequest.objects.exists()

    done = client.post(url, {"confirm": "on"})
    assert done.status_code == 200
    text = done.content.decode()
    erasure = ErasureRequest.objects.get()
    assert f"Former user {erasure.pseudonym}" in text
    assert voucher.agreement_number in text
    assert "10 March 2029" in text or "March 10, 2029" in text
    assert client.get(reverse("dashboard")).status_code == 302


def test_the_page_asks_for_the_password_again(client):
    person = UserFactory()
    sign_in(client, person)
    answer = client.post(reverse("accounts:erasure-request"), {"confirm": "on"})
    assert answer.status_code == 302
    assert answer["Location"].startswith(reverse("account_reauthenticate"))
    assert not ErasureRequest.objects.exists()


def test_the_page_says_why_a_sole_administrator_is_refused(client):
    organisation = OrganisationFactory(legal_name="Kainuu Graphite Oy")
    person = UserFactory()
    MembershipFactory(user=person, organisation=organisation)
    MembershipFactory(organisation=organisation, role=Membership.Role.MEMBER)
    sign_in(client, person)
    page = client.get(reverse("accounts:erasure-request"))
    assert "only administrator of Kainuu Graphite Oy" in page.content.decode()
    assert "Erase my account now" not in page.content.decode()
    client.post(reverse("account_reauthenticate"), {"password": DEFAULT_PASSWORD})
    refused = client.post(reverse("accounts:erasure-request"), {"confirm": "on"})
    assert refused.status_code == 403
    assert not ErasureRequest.objects.exists()


def test_staff_see_the_requests_and_their_outcome(client, staff_of_call):
    _consortium, voucher = _funded_project_paid_on(date(2026, 3, 10))
    erasure = erasure_request_process(user=_consortium.admins[0])
    sign_in(client, staff_of_call)
    page = client.get(reverse("accounts:erasure-requests"))
    assert page.status_code == 200
    text = page.content.decode()
    assert f"Former user {erasure.pseudonym}" in text
    assert voucher.agreement_number in text
    assert "Your membership of" in text


def test_the_persons_outbox_messages_go_sent_or_pending_but_the_summary():
    person = UserFactory(email="writer@example.eu")
    someone_else = UserFactory()
    Notification.objects.create(
        recipient=person,
        email=person.email,
        template="t",
        subject="Old",
        next_attempt_at=timezone.now(),
    )
    Notification.objects.create(
        email="WRITER@example.eu", template="t", subject="Pending", next_attempt_at=timezone.now()
    )
    Notification.objects.create(
        recipient=someone_else,
        email=someone_else.email,
        template="t",
        subject="Not theirs",
        next_attempt_at=timezone.now(),
    )

    erasure_request_process(user=person)

    assert sorted(Notification.objects.values_list("subject", flat=True)) == [
        "Not theirs",
        "Your MineGap account has been erased",
    ]
    assert verify_chain().intact


def test_the_confirmation_page_previews_what_is_kept_and_changes_nothing(client):
    consortium, voucher = _funded_project_paid_on(date(2026, 3, 10))
    person = consortium.admins[0]
    name, address = person.full_name, person.email
    sign_in(client, person)
    page = client.get(reverse("accounts:erasure-request")).content.decode()
    assert voucher.agreement_number in page
    assert "10 March 2029" in page or "March 10, 2029" in page
    assert "Your membership of" in page
    person.refresh_from_db()
    assert (person.full_name, person.email, person.is_active) == (name, address, True)
    assert Membership.objects.filter(user=person).count() == 1
    assert not ErasureRequest.objects.exists()
    assert not Notification.objects.filter(template="accounts/erasure_done").exists()
    assert client.get(reverse("dashboard")).status_code == 200  # still signed in


# The user with roles, and the page's own reads: the same for any page length. 6 until issue #15: the session read from the cache and the person with roles and memberships in one query, three fewer.
QUERIES_OF_THE_STAFF_LIST = 3


@pytest.mark.parametrize("requests", [1, 3])
def test_the_staff_list_costs_the_same_queries_for_one_or_three_requests(
    client, staff_of_call, django_assert_num_queries, requests
):
    for _index in range(requests):
        erasure_request_process(user=UserFactory())
    sign_in(client, staff_of_call)
    client.get(reverse("accounts:erasure-requests"))  # warm the session and group caches
    with django_assert_num_queries(QUERIES_OF_THE_STAFF_LIST):
        page = client.get(reverse("accounts:erasure-requests"))
    assert page.content.decode().count('<th scope="row">Former user ') == requests


def test_an_erased_evaluators_open_assignments_go_back_to_the_pool_and_scores_stay():
    application = submitted_application(closed_call(), state=ApplicationState.UNDER_EVALUATION)
    other = submitted_application(application.call, state=ApplicationState.UNDER_EVALUATION)
    person = evaluator()
    scored = scored_assignment(
        application, person, {"Excellence": "4", "Impact": "4", "Implementation": "4"}
    )
    open_one = accepted_assignment(other, person)

    erasure = erasure_request_process(user=person)

    assert list(Assignment.objects.filter(evaluator=person).values_list("pk", flat=True)) == [
        scored.pk
    ]
    assert not Assignment.objects.filter(pk=open_one.pk).exists()
    released = AuditEntry.objects.get(action="evaluation.assignment.released")
    assert released.data == {
        "application": other.pk,
        "evaluator": person.pk,
        "state": "accepted",
    }
    assert (
        "1 assignment you had not submitted: handed back for reassignment" in erasure.erased_items
    )
    assert verify_chain().intact


def test_the_staff_dashboard_counts_recent_erasures_and_links_to_the_list(client, staff_of_call):
    sign_in(client, staff_of_call)
    before = client.get("/dashboard/").content.decode()
    assert "No account was erased on request in the last 30 days." in before

    erasure_request_process(user=UserFactory())
    after = client.get("/dashboard/").content.decode()

    assert "1 account was erased on request in the last 30 days." in after
    assert f'href="{reverse("accounts:erasure-requests")}"' in after


def test_the_erasure_panel_is_for_staff_only(client):
    applicant = UserFactory()
    MembershipFactory(user=applicant)
    sign_in(client, applicant)

    assert "erased on request" not in client.get("/dashboard/").content.decode()
