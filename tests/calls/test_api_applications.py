from datetime import timedelta

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from rest_framework.test import APIClient

from calls.models import Application, ApplicationState
from tests.auth import sign_in
from tests.calls.factories import CallFactory, complete_application
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def test_list_only_my_applications(api):
    mine, admin = complete_application()
    complete_application()
    api.force_authenticate(admin)
    body = api.get("/api/v1/applications/").json()
    assert [a["id"] for a in body["results"]] == [mine.pk]
    assert body["results"][0]["members"][0]["is_lead"] is True


def test_anonymous_gets_401_or_403(api):
    assert api.get("/api/v1/applications/").status_code == 403


def test_create_update_answer_submit_withdraw(api):
    call = CallFactory()
    application, admin = complete_application(call)
    membership = MembershipFactory()
    api.force_authenticate(membership.user)
    created = api.post(
        "/api/v1/applications/",
        {"call": call.slug, "organisation": membership.organisation.pk},
        format="json",
    )
    assert created.status_code == 201
    new_id = created.json()["id"]
    patched = api.patch(
        f"/api/v1/applications/{new_id}/", {"title": "Via API", "acronym": "API"}, format="json"
    )
    assert (patched.status_code, patched.json()["title"]) == (200, "Via API")
    question = call.questions.first()
    answered = api.post(
        f"/api/v1/applications/{new_id}/answers/",
        {"question": question.pk, "text": "An answer"},
        format="json",
    )
    assert answered.json() == {"question": question.pk, "text": "An answer"}
    refused = api.post(f"/api/v1/applications/{new_id}/submit/")
    assert refused.status_code == 400
    assert refused.json()["problems"][0] == {
        "step": "overview",
        "message": "Write the project summary.",
    }

    api.force_authenticate(admin)
    submitted = api.post(f"/api/v1/applications/{application.pk}/submit/")
    assert submitted.status_code == 201
    assert submitted.json()["number"] == 1
    withdrawn = api.post(f"/api/v1/applications/{application.pk}/withdraw/")
    assert (withdrawn.status_code, withdrawn.json()["state"]) == (200, "withdrawn")


def test_submit_after_deadline_is_400_with_message(api):
    call = CallFactory()
    application, admin = complete_application(call)
    api.force_authenticate(admin)
    with time_machine.travel(call.closes_at + timedelta(seconds=1), tick=False):
        response = api.post(f"/api/v1/applications/{application.pk}/submit/")
    assert response.status_code == 400
    local = call.closes_at.astimezone(call.tz)
    assert response.json()["detail"] == [
        f"The deadline was {local:%Y-%m-%d %H:%M:%S} (Europe/Brussels): submissions are closed."
    ]
    application.refresh_from_db()
    assert application.state == ApplicationState.DRAFT


def test_others_application_is_404(api):
    application, _admin = complete_application()
    api.force_authenticate(MembershipFactory().user)
    assert api.get(f"/api/v1/applications/{application.pk}/").status_code == 404
    assert api.post(f"/api/v1/applications/{application.pk}/submit/").status_code == 404


def test_partner_cannot_submit_403(api):
    application, _admin = complete_application()
    partner_admin = application.members.get(is_lead=False).organisation.memberships.get().user
    api.force_authenticate(partner_admin)
    assert api.post(f"/api/v1/applications/{application.pk}/submit/").status_code == 403


def test_create_for_someone_elses_organisation_is_403(api):
    call = CallFactory()
    other = MembershipFactory()
    api.force_authenticate(UserFactory())
    response = api.post(
        "/api/v1/applications/",
        {"call": call.slug, "organisation": other.organisation.pk},
        format="json",
    )
    assert response.status_code == 403
    assert Application.objects.count() == 0


def test_staff_api_needs_staff_and_mfa(api):
    call = CallFactory(code="S")
    application, admin = complete_application(call)
    api.force_authenticate(admin)
    url = f"/api/v1/manage/calls/{call.slug}/applications/"
    assert api.get(url).status_code == 403
    staff = UserFactory(roles=["consortium-staff"])
    api.force_authenticate(None)
    sign_in(api, staff, mfa=False)
    assert api.get(url).status_code == 403  # no MFA yet
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": "x"})
    sign_in(api, staff)
    body = api.get(url, {"state": "draft"}).json()
    assert [a["id"] for a in body["results"]] == [application.pk]
    assert body["results"][0]["countries"] == ["FI", "PT"]
    assert api.get(url, {"state": "nonsense"}).status_code == 400
    assert api.get(url, {"voucher_type": "x"}).status_code == 400
    assert api.get(url, {"voucher_type": "²"}).status_code == 400


@pytest.mark.parametrize("body", [["Via API"], "Via API", 7])
def test_an_overview_that_is_not_an_object_is_400(api, body):
    application, admin = complete_application()
    api.force_authenticate(admin)

    response = api.patch(f"/api/v1/applications/{application.pk}/", body, format="json")

    assert response.status_code == 400
    assert response.json()["non_field_errors"][0].startswith("Invalid data. Expected a dict")
    application.refresh_from_db()
    assert application.title == "Sensor-driven ore sorting"


def test_an_overview_patch_changes_only_what_it_names(api):
    application, admin = complete_application()
    api.force_authenticate(admin)

    response = api.patch(
        f"/api/v1/applications/{application.pk}/", {"acronym": "SORT2"}, format="json"
    )

    assert response.status_code == 200
    application.refresh_from_db()
    assert (application.title, application.acronym, application.voucher_type.name) == (
        "Sensor-driven ore sorting",
        "SORT2",
        "Demonstration",
    )
