import pytest
from rest_framework.test import APIClient

from matchmaking.models import ExpressionOfInterest, PartnerProfile
from tests.factories import OrganisationFactory
from tests.matchmaking.factories import admin_of, make_org, make_profile, member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def two():
    a = make_profile(make_org("Arctic Adopter Oy", "FI"), role_sought="adopter")
    b = make_profile(
        make_org("Baltic Provider AB", "SE", "SE332"),
        role_sought="provider",
        keywords=["sensor networks"],
        stages=["processing"],
    )
    return a, b


def test_anonymous_gets_nothing(api, two):
    assert api.get("/api/v1/partners/").status_code == 403
    assert api.get(f"/api/v1/partners/{two[0].pk}/").status_code == 403
    assert api.get("/api/v1/interests/").status_code == 403


def test_search_with_filters_and_facets(api, two):
    api.force_authenticate(admin_of(two[0].organisation))
    response = api.get("/api/v1/partners/", {"q": "sensor", "stage": "processing", "facets": "1"})
    assert response.status_code == 200
    assert response.data["count"] == 1
    result = response.data["results"][0]
    assert result["organisation"]["legal_name"] == "Baltic Provider AB"
    assert "contact" not in result
    assert [(f["value"], f["count"]) for f in response.data["facets"]["country"]] == [("SE", 1)]
    assert [
        r["organisation"]["country"]
        for r in api.get("/api/v1/partners/?country=FI").data["results"]
    ] == ["FI"]


def test_bad_filter_answers_400_with_a_message(api, two):
    api.force_authenticate(admin_of(two[0].organisation))
    response = api.get("/api/v1/partners/", {"material": "kryptonite"})
    assert response.status_code == 400
    assert response.data == {"material": ["Unknown value: kryptonite."]}


def test_detail_hides_drafts_and_contacts(api, two):
    a, b = two
    draft = make_profile(make_org("Draft Oy"), published=False)
    api.force_authenticate(admin_of(a.organisation))
    assert api.get(f"/api/v1/partners/{draft.pk}/").status_code == 404
    detail = api.get(f"/api/v1/partners/{b.pk}/").data
    assert (detail["organisation"]["legal_name"], detail["contact"]) == ("Baltic Provider AB", None)


def test_interest_create_accept_reveals_contacts(api, two):
    a, b = two
    api.force_authenticate(admin_of(a.organisation))
    created = api.post(
        "/api/v1/interests/", {"receiver": b.organisation_id, "message": "Hello"}, format="json"
    )
    assert created.status_code == 201
    assert (created.data["status"], created.data["contact"]) == ("pending", None)
    again = api.post(
        "/api/v1/interests/", {"receiver": b.organisation_id, "message": "Hello?"}, format="json"
    )
    assert again.status_code == 400
    # The sender cannot accept its own interest.
    assert api.post(f"/api/v1/interests/{created.data['id']}/accept/").status_code == 403
    api.force_authenticate(member_of(b.organisation))
    accepted = api.post(f"/api/v1/interests/{created.data['id']}/accept/")
    assert accepted.status_code == 200
    assert accepted.data["contact"] == {
        "name": admin_of(a.organisation).full_name,
        "email": admin_of(a.organisation).email,
    }
    listed = api.get("/api/v1/interests/").data["results"]
    assert [(i["status"], i["contact"]["email"]) for i in listed] == [
        ("accepted", admin_of(a.organisation).email)
    ]
    api.force_authenticate(admin_of(a.organisation))
    assert api.get(f"/api/v1/partners/{b.pk}/").data["contact"] == {
        "name": admin_of(b.organisation).full_name,
        "email": admin_of(b.organisation).email,
    }


def test_decline_via_api(api, two):
    a, b = two
    interest = ExpressionOfInterest.objects.create(
        sender=a.organisation, receiver=b.organisation, message="Hi"
    )
    api.force_authenticate(admin_of(b.organisation))
    response = api.post(f"/api/v1/interests/{interest.pk}/decline/")
    assert (response.status_code, response.data["status"]) == (200, "declined")
    assert api.post(f"/api/v1/interests/{interest.pk}/decline/").status_code == 400


def test_outsider_cannot_see_or_answer_an_interest(api, two):
    a, b = two
    interest = ExpressionOfInterest.objects.create(
        sender=a.organisation, receiver=b.organisation, message="Hi"
    )
    api.force_authenticate(admin_of(OrganisationFactory()))
    assert api.post(f"/api/v1/interests/{interest.pk}/accept/").status_code == 404


def test_own_profile_put_patch_publish(api):
    org = make_org("Api Oy")
    api.force_authenticate(admin_of(org))
    assert api.get("/api/v1/partners/me/").status_code == 404
    created = api.put(
        "/api/v1/partners/me/",
        {
            "summary": "Pumps.",
            "role_sought": "provider",
            "raw_materials": ["copper"],
            "offers": [{"title": "Smart pumps", "description": "Less energy"}],
            "keywords": ["Pumps", "energy"],
        },
        format="json",
    )
    assert created.status_code == 201
    assert (created.data["status"], created.data["keywords"]) == ("draft", ["pumps", "energy"])
    patched = api.patch("/api/v1/partners/me/", {"trl": 8}, format="json")
    assert (patched.status_code, patched.data["trl"], patched.data["raw_materials"]) == (
        200,
        8,
        ["copper"],
    )
    assert patched.data["offers"] == [{"title": "Smart pumps", "description": "Less energy"}]
    published = api.post("/api/v1/partners/me/publish/")
    assert published.data["status"] == "published"
    assert api.post("/api/v1/partners/me/publish/").status_code == 400
    bad = api.patch("/api/v1/partners/me/", {"stages": ["moon"]}, format="json")
    assert bad.status_code == 400
    assert PartnerProfile.objects.get().stages == []


def test_member_cannot_write_the_profile(api):
    org = make_org("Members Api Oy")
    admin_of(org)
    api.force_authenticate(member_of(org))
    response = api.put("/api/v1/partners/me/", {"summary": "x", "role_sought": "adopter"})
    assert response.status_code == 403
    assert PartnerProfile.objects.count() == 0


def test_recommendations_api(api, two):
    api.force_authenticate(admin_of(two[0].organisation))
    data = api.get("/api/v1/partners/recommendations/").data
    assert [(r["partner"]["organisation"]["legal_name"], r["summary"]) for r in data] == [
        ("Baltic Provider AB", "provider of sensor networks, Sweden")
    ]


def test_list_query_count_does_not_grow_with_page_size(api, django_assert_num_queries):
    me = make_profile(make_org("Me Oy"))
    api.force_authenticate(admin_of(me.organisation))
    # The count, the page's ids (from an index), the rows of those ids.
    with django_assert_num_queries(3):
        assert api.get("/api/v1/partners/").data["count"] == 1
    for i in range(2):
        make_profile(make_org(f"More {i} Oy"))
    with django_assert_num_queries(3):
        assert api.get("/api/v1/partners/").data["count"] == 3


def test_schema_lists_the_endpoints(api):
    api.force_authenticate(admin_of(make_org("Schema Oy")))
    paths = api.get("/api/schema/", {"format": "json"}).json()["paths"]
    assert sorted(p for p in paths if p.startswith(("/api/v1/partners", "/api/v1/interests"))) == [
        "/api/v1/interests/",
        "/api/v1/interests/{id}/accept/",
        "/api/v1/interests/{id}/decline/",
        "/api/v1/interests/{id}/invite/",
        "/api/v1/interests/{id}/withdraw/",
        "/api/v1/partners/",
        "/api/v1/partners/blocks/",
        "/api/v1/partners/blocks/{organisation_id}/",
        "/api/v1/partners/me/",
        "/api/v1/partners/me/publish/",
        "/api/v1/partners/me/unpublish/",
        "/api/v1/partners/recommendations/",
        "/api/v1/partners/{id}/",
    ]


def test_contact_person_must_be_a_member_and_strangers_look_unknown(api):
    org = make_org("Contact Oy")
    admin = admin_of(org)
    colleague = member_of(org)
    stranger = member_of(OrganisationFactory())
    api.force_authenticate(admin)
    body = {"summary": "x", "role_sought": "adopter"}
    ok = api.put("/api/v1/partners/me/", {**body, "contact_person": colleague.pk}, format="json")
    assert (ok.status_code, ok.data["contact_person"]) == (201, colleague.pk)
    for person_id in (stranger.pk, 999999):
        bad = api.patch("/api/v1/partners/me/", {"contact_person": person_id}, format="json")
        assert (bad.status_code, bad.data) == (
            400,
            {"contact_person": ["The contact person must be a member."]},
        )
    assert PartnerProfile.objects.get().contact_person == colleague


def test_a_json_list_body_is_a_400_not_a_500(api, two):
    api.force_authenticate(admin_of(two[0].organisation))
    assert api.post("/api/v1/interests/", [1, 2], format="json").status_code == 400
