"""A project imported from a call run elsewhere (the 2020 pilot call of the demo): its
beneficiary sees what was funded, read-only, and no page of the call or project fails."""

import io

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from accounts import roles
from accounts.models import Organisation
from calls.models import Application, ApplicationState, Call
from public import demo as imported_demo
from tests.auth import sign_in
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

STEPS = ("overview", "consortium", "budget", "questions", "attachments", "declarations", "review")


@pytest.fixture
def pilot():
    """The demo's imported pilot call; returns (call, the TAILSCAN project, its lead's admin)."""
    imported_demo.seed(io.StringIO())
    call = Call.objects.get(slug=imported_demo.SLUG)
    project = Application.objects.get(call=call, acronym="TAILSCAN")
    admin = UserFactory()
    MembershipFactory(
        user=admin, organisation=Organisation.objects.get(vat_number="SE556677889901")
    )
    return call, project, admin


def test_an_imported_call_is_marked_imported(pilot):
    call, project, _admin = pilot
    assert call.imported_at is not None
    assert call.closes_at is None
    assert project.state == ApplicationState.FUNDED


def test_the_beneficiary_reads_what_was_funded_on_every_step(pilot, client):
    _call, project, admin = pilot
    client.force_login(admin)
    urls = [reverse("calls:apply-home", args=[project.pk])] + [
        reverse("calls:apply-step", args=[project.pk, step]) for step in STEPS
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert "Imported on" in page, url
        assert "from a call run outside MineGap" in page, url
        assert "Hyperspectral scanning of iron-ore tailings for reprocessing" in page
        assert "Norrbotten Iron Tailings AB (lead)" in page
        assert "€49,850.00" in page
        assert "€48,210.40" in page
        assert "€98,060.40" in page
        assert "Submit" not in page
        assert reverse("calls:apply-withdraw", args=[project.pk]) not in page


def test_nothing_of_an_imported_project_can_be_changed_or_withdrawn(pilot, client):
    _call, project, admin = pilot
    client.force_login(admin)
    withdraw = reverse("calls:apply-withdraw", args=[project.pk])
    for method in (client.get, client.post):
        response = method(withdraw, {"confirm": "on"}, follow=True)
        assert response.redirect_chain == [(reverse("calls:apply-home", args=[project.pk]), 302)]
        assert "A project imported from a call run elsewhere is not withdrawn here." in (
            response.content.decode()
        )
    for step in STEPS:
        url = reverse("calls:apply-step", args=[project.pk, step])
        assert client.post(url, {"title": "Changed"}).status_code == 405
    project.refresh_from_db()
    assert (project.state, project.title) == (
        ApplicationState.FUNDED,
        "Hyperspectral scanning of iron-ore tailings for reprocessing",
    )


def test_no_page_of_an_imported_call_fails(pilot, client):
    """Every applicant, staff and public page that names the imported call or project."""
    call, project, admin = pilot
    applicant_urls = [
        reverse("calls:apply-dashboard"),
        reverse("dashboard"),
        reverse("calls:apply-budget-check", args=[project.pk]),
        reverse("calls:receipt", args=[project.pk, 1]),
        reverse("evaluation:applicant-results", args=[project.pk]),
        reverse("evaluation:esr-download", args=[project.pk]),
        reverse("evaluation:complaint-file", args=[project.pk]),
        reverse("api-application-results", args=[project.pk]),
    ]
    client.force_login(admin)
    for url in applicant_urls:
        assert client.get(url).status_code < 500, url

    staff = UserFactory(roles=[roles.STAFF])
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": "x"})
    sign_in(client, staff)
    slug = call.slug
    staff_urls = [
        reverse("calls:manage-list"),
        reverse("calls:manage-detail", args=[slug]),
        reverse("calls:manage-edit", args=[slug]),
        reverse("calls:manage-extend", args=[slug]),
        reverse("calls:manage-applications", args=[slug]),
        reverse("calls:manage-applications", args=[slug]) + "?format=csv",
        reverse("evaluation:eligibility", args=[slug]),
        reverse("evaluation:eligibility-detail", args=[slug, project.pk]),
        reverse("evaluation:assignments", args=[slug]),
        reverse("evaluation:assignment-settings", args=[slug]),
        reverse("evaluation:scores", args=[slug]),
        reverse("evaluation:ranking", args=[slug]),
        reverse("evaluation:results-publication", args=[slug]),
        reverse("evaluation:committee"),
        reverse("evaluation:committee-vacate", args=[slug]),
        reverse("vouchers:manage-home"),
        reverse("vouchers:manage-call", args=[slug]),
        reverse("vouchers:manage-services", args=[slug]),
        reverse("api-staff-applications", args=[slug]),
        reverse("api-call-ranking", args=[slug]),
        reverse("dashboard"),
    ]
    for url in staff_urls:
        assert client.get(url).status_code < 500, url
    staff_call = client.get(reverse("calls:manage-detail", args=[slug])).content.decode()
    assert "from a call run outside MineGap: no dates, no applications made here." in staff_call

    client.logout()
    public_urls = [
        reverse("public:home"),
        reverse("public:projects"),
        reverse("public:project-detail", args=[project.pk]),
        reverse("public:beneficiaries"),
        reverse("public:figures"),
        reverse("public:decisions"),
        reverse("public:open-data"),
        reverse("calls:public-list"),
        reverse("calls:public-detail", args=[slug]),
        reverse("api-calls-detail", args=[slug]),
    ]
    for url in public_urls:
        assert client.get(url).status_code < 500, url
    detail = client.get(reverse("public:project-detail", args=[project.pk]))
    assert detail.status_code == 200
    public_call = client.get(reverse("calls:public-detail", args=[slug])).content.decode()
    assert "Run outside MineGap: its results were imported on" in public_call
    assert "Deadline" not in public_call
