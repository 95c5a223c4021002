import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from matchmaking import directory, services
from matchmaking.filters import partner_filters
from matchmaking.models import PartnerProfile
from minegap.ledger.models import AuditEntry
from tests.factories import OrganisationFactory
from tests.matchmaking.factories import admin_of, make_profile, member_of

pytestmark = pytest.mark.django_db


def test_admin_saves_a_draft_with_derived_text():
    org = OrganisationFactory()
    profile = services.save_profile(
        organisation=org,
        actor=admin_of(org),
        summary="  Sensors for mines.  ",
        role_sought="provider",
        offers=[{"title": "Sensor networks", "description": "LoRa underground"}, {"title": ""}],
        requests=[{"title": "Pilot site", "description": ""}],
        keywords="Lithium, sensors ,lithium",
        stages=["processing", "exploration"],
        trl="6",
        languages=["fi", "en"],
    )
    assert profile.status == PartnerProfile.Status.DRAFT
    assert profile.summary == "Sensors for mines."
    assert profile.keywords == ["lithium", "sensors"]
    assert profile.keywords_text == "|lithium|sensors|"
    assert profile.offers == [{"title": "Sensor networks", "description": "LoRa underground"}]
    assert profile.offers_requests_text == "Sensor networks. LoRa underground\nPilot site. "
    assert profile.stages == ["exploration", "processing"]
    assert profile.languages == ["en", "fi"]
    assert profile.trl == 6
    assert AuditEntry.objects.count() == 0  # edits are not ledger events


def test_a_plain_member_cannot_edit_the_profile():
    org = OrganisationFactory()
    with pytest.raises(PermissionDenied):
        services.save_profile(
            organisation=org, actor=member_of(org), summary="x", role_sought="adopter"
        )
    assert PartnerProfile.objects.count() == 0


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("summary", ""),
        ("role_sought", "investor"),
        ("trl", 10),
        ("stages", ["moon"]),
        ("raw_materials", ["unobtainium"]),
        ("languages", ["xx"]),
        ("keywords", ["k" * 41]),
        ("offers", [{"title": "", "description": "no title"}]),
        ("offers", [{"title": f"t{i}"} for i in range(11)]),
    ],
)
def test_invalid_profiles_are_refused_and_nothing_is_written(field, value):
    org = OrganisationFactory()
    values = {"summary": "Fine.", "role_sought": "adopter", field: value}
    with pytest.raises(ValidationError) as excinfo:
        services.save_profile(organisation=org, actor=admin_of(org), **values)
    assert list(excinfo.value.message_dict) == [field]
    assert PartnerProfile.objects.count() == 0


def test_contact_person_must_be_a_member():
    org = OrganisationFactory()
    stranger = member_of(OrganisationFactory())
    with pytest.raises(ValidationError):
        services.save_profile(
            organisation=org,
            actor=admin_of(org),
            summary="x",
            role_sought="adopter",
            contact_person=stranger,
        )


def test_publish_and_unpublish_are_ledger_events():
    profile = make_profile(published=False)
    actor = admin_of(profile.organisation)
    profile = services.publish_profile(profile=profile, actor=actor)
    assert profile.status == PartnerProfile.Status.PUBLISHED
    assert profile.published_at is not None
    with pytest.raises(ValidationError):
        services.publish_profile(profile=profile, actor=actor)
    services.unpublish_profile(profile=profile, actor=actor)
    profile.refresh_from_db()
    assert (profile.status, profile.published_at) == (PartnerProfile.Status.DRAFT, None)
    assert list(AuditEntry.objects.order_by("seq").values_list("action", flat=True)) == [
        "matchmaking.profile.published",
        "matchmaking.profile.unpublished",
    ]


def test_member_cannot_publish():
    profile = make_profile(published=False)
    with pytest.raises(PermissionDenied):
        services.publish_profile(profile=profile, actor=member_of(profile.organisation))


def test_organisation_changes_reach_the_profile_copy_and_search():
    profile = make_profile(OrganisationFactory(legal_name="Old Name Oy", country="FI"))
    organisation = profile.organisation
    organisation.legal_name = "Vanadium Renamed AB"
    organisation.country = "SE"
    organisation.nuts_region = "SE332"
    organisation.save()
    profile.refresh_from_db()
    assert (profile.name, profile.country, profile.nuts_region) == (
        "Vanadium Renamed AB",
        "SE",
        "SE332",
    )
    filters = partner_filters({"q": "vanadium", "country": "SE"})
    assert [p.pk for p in directory.search_profiles(filters)] == [profile.pk]
