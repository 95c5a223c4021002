"""The applicant's pages: wizard steps, autosave, submit, withdraw, invitations, access."""

import re
from datetime import UTC, datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from accounts import roles
from calls import services
from calls.models import (
    Answer,
    Application,
    ApplicationState,
    Call,
    MemberRole,
    MemberStatus,
)
from tests.auth import sign_in
from tests.calls.factories import CallFactory, complete_application
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

# Whatever the number of members (25 + 3 a member before); 18 until issue #15: the session read from the cache and the person with roles and memberships in one query, three fewer.
QUERIES_OF_THE_REVIEW_STEP = 15
STEPS = ["overview", "consortium", "budget", "questions", "attachments", "declarations", "review"]


def test_start_application_from_public_page(client):
    call = CallFactory()
    membership = MembershipFactory()
    client.force_login(membership.user)
    response = client.post(
        reverse("calls:apply-start", args=[call.slug]),
        {"organisation": membership.organisation.pk},
    )
    application = Application.objects.get()
    assert response["Location"] == reverse("calls:apply-step", args=[application.pk, "overview"])
    assert application.lead_organisation == membership.organisation


def test_person_without_organisation_cannot_start(client):
    call = CallFactory()
    client.force_login(UserFactory())
    response = client.get(reverse("calls:apply-start", args=[call.slug]))
    assert response.context["no_organisation"] is True
    assert Application.objects.count() == 0


def test_every_step_renders_for_the_lead(client):
    application, admin = complete_application()
    client.force_login(admin)
    statuses = [
        client.get(reverse("calls:apply-step", args=[application.pk, step])).status_code
        for step in STEPS
    ]
    assert statuses == [200] * 7


def test_overview_step_saves(client):
    application, admin = complete_application()
    client.force_login(admin)
    response = client.post(
        reverse("calls:apply-step", args=[application.pk, "overview"]),
        {"title": "New title", "acronym": "NEWT", "summary": "S", "voucher_type": ""},
    )
    assert response["Location"] == reverse("calls:apply-step", args=[application.pk, "consortium"])
    application.refresh_from_db()
    assert (application.title, application.acronym, application.voucher_type) == (
        "New title",
        "NEWT",
        None,
    )


@time_machine.travel(datetime(2026, 12, 7, 9, 5, 7, 900_000, tzinfo=UTC), tick=False)
def test_autosave_saves_and_answers_saved_at(client):
    application, admin = complete_application()
    question = application.call.questions.first()
    client.force_login(admin)
    url = reverse("calls:apply-autosave", args=[application.pk, question.pk])
    response = client.post(url, {"text": "typed while autosaving"}, HTTP_HX_REQUEST="true")
    # 09:05:07 in UTC is 10:05:07 in Brussels (the site's time zone) in winter.
    assert (response.status_code, response.content.decode()) == (200, "Saved at 10:05:07")
    assert Answer.objects.get(application=application, question=question).text == (
        "typed while autosaving"
    )


def test_autosave_reads_once_checks_once_and_writes_one_row(client, django_assert_num_queries):
    application, admin = complete_application()
    question = application.call.questions.first()
    sign_in(client, admin, mfa=False)  # an applicant without an authenticator app
    url = reverse("calls:apply-autosave", args=[application.pk, question.pk])
    client.post(url, {"text": "first"})  # the session's renewal stamp is written here, once
    application_row = Application.objects.values().get(pk=application.pk)

    # The user (the session comes from the cache: 3 queries until issue #15 read it so); then
    # one INSERT ... SELECT ... ON CONFLICT whose SELECT checks everything and locks the
    # application (was 6: a savepoint, the locked read, the upsert and the savepoint's release).
    # No session write, no application write.
    with django_assert_num_queries(2):
        response = client.post(url, {"text": "second"})

    assert response.content.decode().startswith("Saved at ")
    assert Answer.objects.get(application=application, question=question).text == "second"
    assert Application.objects.values().get(pk=application.pk) == application_row


def test_autosave_after_a_submission_marks_the_next_version_once(client):
    application, admin = complete_application()
    services.submit_application(application=application, actor=admin)
    question = application.call.questions.first()
    sign_in(client, admin)
    url = reverse("calls:apply-autosave", args=[application.pk, question.pk])

    assert client.post(url, {"text": "edited after submitting"}).status_code == 200

    application.refresh_from_db()
    assert (application.state, application.has_unsubmitted_changes) == (
        ApplicationState.SUBMITTED,
        True,
    )
    assert Answer.objects.get(application=application, question=question).text == (
        "edited after submitting"
    )


def test_autosave_after_the_deadline_is_refused_with_the_deadline_and_writes_nothing(client):
    application, admin = complete_application()
    question = application.call.questions.first()
    Answer.objects.filter(application=application, question=question).update(text="kept")
    Call.objects.filter(pk=application.call_id).update(
        opens_at=datetime(2026, 1, 5, 9, 0, tzinfo=UTC),
        closes_at=datetime(2026, 3, 2, 16, 0, tzinfo=UTC),
        time_zone="Europe/Helsinki",
    )
    sign_in(client, admin)
    url = reverse("calls:apply-autosave", args=[application.pk, question.pk])

    response = client.post(url, {"text": "typed too late"})

    assert (response.status_code, response.content.decode()) == (
        409,
        "The call closed on 2026-03-02 18:00:00 (Europe/Helsinki): the application can no "
        "longer change.",
    )
    assert Answer.objects.get(application=application, question=question).text == "kept"


def test_autosave_of_another_calls_question_is_404_and_writes_nothing(client):
    application, admin = complete_application()
    other_question = CallFactory().questions.first()
    sign_in(client, admin)
    url = reverse("calls:apply-autosave", args=[application.pk, other_question.pk])

    assert client.post(url, {"text": "x"}).status_code == 404
    assert Answer.objects.filter(question=other_question).count() == 0


def test_autosave_by_an_outsider_is_404(client):
    application, _admin = complete_application()
    question = application.call.questions.first()
    sign_in(client, UserFactory())
    url = reverse("calls:apply-autosave", args=[application.pk, question.pk])
    assert client.post(url, {"text": "x"}).status_code == 404


def test_autosave_when_signed_out_answers_401_not_a_redirect(client):
    application, _admin = complete_application()
    question = application.call.questions.first()
    url = reverse("calls:apply-autosave", args=[application.pk, question.pk])
    response = client.post(url, {"text": "x"})
    assert response.status_code == 401


def test_autosave_by_partner_is_refused(client):
    application, _admin = complete_application()
    partner_admin = application.members.get(is_lead=False).organisation.memberships.get().user
    question = application.call.questions.first()
    client.force_login(partner_admin)
    url = reverse("calls:apply-autosave", args=[application.pk, question.pk])
    assert client.post(url, {"text": "x"}).status_code == 403


def test_submit_with_problems_shows_them_with_links(client):
    call = CallFactory()
    membership = MembershipFactory()
    client.force_login(membership.user)
    client.post(
        reverse("calls:apply-start", args=[call.slug]),
        {"organisation": membership.organisation.pk},
    )
    application = Application.objects.get()
    response = client.post(reverse("calls:apply-submit", args=[application.pk]), follow=True)
    problems = response.context["problems"]
    assert [p.step for p in problems][:4] == ["overview"] * 4
    html = response.content.decode()
    assert reverse("calls:apply-step", args=[application.pk, "budget"]) in html
    application.refresh_from_db()
    assert application.state == ApplicationState.DRAFT


def test_submit_and_withdraw_through_pages(client, django_capture_on_commit_callbacks):
    application, admin = complete_application()
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("calls:apply-submit", args=[application.pk]), follow=True)
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED
    assert [v.number for v in response.context["versions"]] == [1]
    withdraw_url = reverse("calls:apply-withdraw", args=[application.pk])
    assert client.post(withdraw_url, {}).status_code == 400  # needs the confirmation
    client.post(withdraw_url, {"confirm": "on"})
    application.refresh_from_db()
    assert application.state == ApplicationState.WITHDRAWN


@pytest.mark.parametrize("role", [None, "evaluators", "transparency-committee"])
def test_outsiders_cannot_see_any_step(client, role):
    application, _admin = complete_application()
    outsider = UserFactory(roles=[role] if role else [])
    MembershipFactory(user=outsider)
    sign_in(client, outsider)
    statuses = {
        client.get(reverse("calls:apply-step", args=[application.pk, step])).status_code
        for step in STEPS
    }
    assert statuses == {404}


def test_partner_sees_read_only(client):
    application, _admin = complete_application()
    partner_admin = application.members.get(is_lead=False).organisation.memberships.get().user
    client.force_login(partner_admin)
    response = client.get(reverse("calls:apply-step", args=[application.pk, "overview"]))
    assert (response.status_code, response.context["can_edit"]) == (200, False)


def test_invitation_confirm_with_declaration(client):
    call = CallFactory()
    application, lead_admin = complete_application(call)
    application.members.filter(is_lead=False).update(status=MemberStatus.WITHDRAWN)
    partner = OrganisationFactory(country="SE")
    partner_admin = MembershipFactory(organisation=partner).user
    client.force_login(lead_admin)
    client.post(
        reverse("calls:apply-step", args=[application.pk, "consortium"]),
        {"action": "invite", "organisation": partner.pk},
    )
    member = application.members.get(organisation=partner)
    assert member.status == MemberStatus.INVITED
    client.force_login(partner_admin)
    dashboard = client.get(reverse("calls:apply-dashboard"))
    assert [m.pk for m in dashboard.context["invitations"]] == [member.pk]
    response = client.post(
        reverse("calls:invitation", args=[member.pk]),
        {
            "action": "confirm",
            "role": "provider",
            "requested_amount": "12000.00",
            "budget_description": "Sensors",
            "declaration": "on",
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.status, str(member.requested_amount), member.declaration_signed_by) == (
        MemberStatus.CONFIRMED,
        "12000.00",
        partner_admin,
    )


def test_invitation_page_is_404_for_others(client):
    application, lead_admin = complete_application()
    member = application.members.get(is_lead=False)
    client.force_login(lead_admin)
    assert client.get(reverse("calls:invitation", args=[member.pk])).status_code == 404


def test_consortium_search_finds_by_name_and_vat(client):
    application, admin = complete_application()
    target = OrganisationFactory(legal_name="Kainuu Nickel Processing Oy", vat_number="FI29876543")
    client.force_login(admin)
    url = reverse("calls:apply-step", args=[application.pk, "consortium"])
    by_name = client.get(url, {"q": "kainuu"}).context["results"]
    by_vat = client.get(url, {"q": "FI29876543"}).context["results"]
    assert ([o.pk for o in by_name], [o.pk for o in by_vat]) == ([target.pk], [target.pk])


def test_dashboard_lists_my_applications(client):
    application, admin = complete_application()
    complete_application()  # someone else's
    client.force_login(admin)
    response = client.get(reverse("calls:apply-dashboard"))
    assert [a.pk for a in response.context["applications"]] == [application.pk]


def test_staff_read_applications_only_with_mfa(client, staff_client):
    application, _admin = complete_application()
    url = reverse("calls:apply-step", args=[application.pk, "overview"])
    response = staff_client.get(url)
    assert (response.status_code, response.context["can_edit"]) == (200, False)
    client.force_login(UserFactory(roles=["consortium-staff"]))
    response = client.get(url)
    assert (response.status_code, response.url) == (302, "/accounts/2fa/totp/activate/")


def test_dashboard_links_the_submitted_pdf(client, django_capture_on_commit_callbacks):
    application, admin = complete_application()
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_application(application=application, actor=admin)
    client.force_login(admin)
    html = client.get(reverse("calls:apply-dashboard")).content.decode()
    assert reverse("calls:receipt", args=[application.pk, 1]) in html


def add_confirmed_partner(application, lead_admin, *, country: str):
    partner_admin = UserFactory()
    partner = OrganisationFactory(country=country)
    MembershipFactory(user=partner_admin, organisation=partner)
    member = services.invite_partner(
        application=application, organisation=partner, invited_by=lead_admin
    )
    services.confirm_participation(
        member=member,
        actor=partner_admin,
        role=MemberRole.PROVIDER,
        requested_amount=Decimal("10000.00"),
    )
    services.sign_declaration(member=member, actor=partner_admin)


@pytest.mark.parametrize("partners_added", [0, 1])
def test_the_submission_checks_cost_the_same_queries_whatever_the_consortium(
    client, django_assert_num_queries, partners_added
):
    """Declarations and lifetime caps are read for the whole consortium at once."""
    call = CallFactory(lifetime_cap_per_sme=Decimal("100000.00"))
    application, admin = complete_application(call)
    for _n in range(partners_added):
        add_confirmed_partner(application, admin, country="SE")
    sign_in(client, UserFactory(roles=[roles.STAFF]))
    url = reverse("calls:apply-step", args=[application.pk, "review"])
    client.get(url)

    with django_assert_num_queries(QUERIES_OF_THE_REVIEW_STEP):
        response = client.get(url)

    assert response.context["problems"] == []
    assert len(response.context["members"]) == 2 + partners_added


def test_the_questions_step_puts_no_separator_after_the_count_of_an_answer_never_saved(client):
    application, admin = complete_application()
    saved, unsaved = application.call.questions.order_by("order")[:2]
    Answer.objects.filter(application=application, question=unsaved).delete()
    client.force_login(admin)
    html = client.get(reverse("calls:apply-step", args=[application.pk, "questions"])).content
    lines = {}
    for question in (saved, unsaved):
        count, between, mark = re.search(
            rf'<span id="q{question.pk}-count"[^>]*>(.*?)</span>(.*?)'
            rf'<span id="q{question.pk}-saved"[^>]*>(.*?)</span>',
            html.decode(),
            re.S,
        ).groups()
        lines[question] = (count, between.strip(), mark)
    # The dot before "Saved at" is drawn by the stylesheet, only when there is a time.
    assert lines[unsaved] == (f"0 / {unsaved.char_limit}", "", "")
    assert lines[saved][1] == ""
    assert lines[saved][2].startswith("Saved at ")
