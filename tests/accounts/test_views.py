"""Organisation, invitation and SME declaration pages."""

from decimal import Decimal

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.models import Membership, Organisation, SMEDeclaration
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    SMEDeclarationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    """The admin of an organisation that has just registered: no SME declaration yet."""
    membership = MembershipFactory(organisation__sme_declaration=False)
    client.force_login(membership.user)
    client.membership = membership
    return client


def test_create_organisation_page_shows_field_errors_and_saves_nothing(client):
    client.force_login(UserFactory())
    response = client.post(
        reverse("accounts:organisation-create"),
        {
            "legal_name": "Bad Oy",
            "type": "sme",
            "country": "FI",
            "vat_number": "12",
            "nuts_region": "SE1",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["vat_number"] == [
        "12 is not a valid VAT number for Finland (expected e.g. FI12345678)."
    ]
    assert form.errors["nuts_region"] == ["A NUTS code in Finland starts with FI (e.g. FI1)."]
    assert Organisation.objects.count() == 0


def test_create_organisation_redirects_to_declaration(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("accounts:organisation-create"),
        {
            "legal_name": "Good Oy",
            "type": "sme",
            "country": "GR",
            "vat_number": "094123456",
            "nuts_region": "EL64",
        },
    )
    organisation = Organisation.objects.get()
    assert response.url == reverse("accounts:sme-declaration-create", args=[organisation.pk])
    assert organisation.vat_number == "EL094123456"
    assert organisation.memberships.get().user == user


def test_outsider_cannot_see_organisation(client):
    organisation = OrganisationFactory()
    client.force_login(UserFactory())
    response = client.get(reverse("accounts:organisation-detail", args=[organisation.pk]))
    assert response.status_code == 403


def test_member_cannot_edit(client):
    member = MembershipFactory(role=Membership.Role.MEMBER)
    client.force_login(member.user)
    response = client.get(reverse("accounts:organisation-edit", args=[member.organisation.pk]))
    assert response.status_code == 403


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("accounts:organisations"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_last_admin_leaving_shows_message(admin_client):
    membership = admin_client.membership
    url = reverse("accounts:membership-remove", args=[membership.organisation.pk, membership.pk])
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url, follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert len(messages) == 1
    assert "last administrator" in messages[0]
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_invite_and_accept_through_pages(admin_client, client_factory=None):
    organisation = admin_client.membership.organisation
    response = admin_client.post(
        reverse("accounts:invitation-create", args=[organisation.pk]),
        {"email": "new@example.eu", "role": "member"},
    )
    assert response.url == reverse("accounts:organisation-detail", args=[organisation.pk])
    invitation = organisation.invitations.get()
    invitee = UserFactory(email="new@example.eu")
    admin_client.force_login(invitee)
    listing = admin_client.get(reverse("accounts:organisations"))
    assert [i.pk for i in listing.context["invitations"]] == [invitation.pk]
    response = admin_client.post(reverse("accounts:invitation-accept", args=[invitation.token]))
    assert response.url == reverse("accounts:organisation-detail", args=[organisation.pk])
    assert Membership.objects.get(user=invitee).role == "member"


def test_unknown_invitation_token_is_404(admin_client):
    response = admin_client.get(reverse("accounts:invitation-accept", args=["nope"]))
    assert response.status_code == 404


def test_declaration_form_classifies_and_shows_reasons(admin_client):
    organisation = admin_client.membership.organisation
    data = {
        "reference_year": timezone.now().year - 1,
        "staff_headcount": "250",
        "annual_turnover": "1000000",
        "balance_sheet_total": "1000000",
        "enterprise_category": "autonomous",
        "public_body_holding": "0",
        "confirm": "on",
        "enterprises-TOTAL_FORMS": "3",
        "enterprises-INITIAL_FORMS": "0",
    }
    response = admin_client.post(
        reverse("accounts:sme-declaration-create", args=[organisation.pk]), data, follow=True
    )
    assert response.context["declaration"].category == "not_sme"
    assert "250 staff is not fewer than 250 → not an SME." in response.content.decode()


def test_declaration_form_puts_row_errors_next_to_fields(admin_client):
    organisation = admin_client.membership.organisation
    data = {
        "reference_year": timezone.now().year - 1,
        "staff_headcount": "5",
        "annual_turnover": "100000",
        "balance_sheet_total": "100000",
        "enterprise_category": "partner",
        "public_body_holding": "0",
        "confirm": "on",
        "enterprises-TOTAL_FORMS": "3",
        "enterprises-INITIAL_FORMS": "0",
        "enterprises-0-relation": "partner",
        "enterprises-0-name": "Majority Holder",
        "enterprises-0-holding_percent": "70",
        "enterprises-0-staff_headcount": "3",
        "enterprises-0-annual_turnover": "1",
        "enterprises-0-balance_sheet_total": "1",
    }
    response = admin_client.post(
        reverse("accounts:sme-declaration-create", args=[organisation.pk]), data
    )
    assert response.status_code == 200
    assert response.context["formset"].forms[0].errors == {
        "holding_percent": [
            "A partner enterprise is held between 25 % and 50 %; above 50 % it is linked."
        ]
    }
    assert SMEDeclaration.objects.count() == 0


def test_declaration_requires_confirmation(admin_client):
    organisation = admin_client.membership.organisation
    response = admin_client.post(
        reverse("accounts:sme-declaration-create", args=[organisation.pk]),
        {"enterprises-TOTAL_FORMS": "0", "enterprises-INITIAL_FORMS": "0"},
    )
    assert response.context["form"].errors["confirm"] == ["This field is required."]


def test_declaration_history_lists_versions(admin_client):
    organisation = admin_client.membership.organisation
    for version in (1, 2):
        SMEDeclarationFactory(
            organisation=organisation,
            version=version,
            superseded_at=timezone.now() if version == 1 else None,
        )
    response = admin_client.get(reverse("accounts:sme-declarations", args=[organisation.pk]))
    assert [d.version for d in response.context["page"].object_list] == [2, 1]
    assert response.context["declaration"].version == 2


def _make_organisations(user, count):
    for _ in range(count):
        MembershipFactory(user=user)  # with its current declaration, a micro enterprise


def _queries_for_list(client, count: int) -> tuple[int, int]:
    user = UserFactory()
    _make_organisations(user, count)
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("accounts:organisations"))
    return len(queries), len(response.context["page"].object_list)


def test_organisation_list_query_count_does_not_grow(client):
    """1 and 3 organisations cost the same queries (the base layout's own are counted in both)."""
    one, shown_one = _queries_for_list(client, 1)
    three, shown_three = _queries_for_list(client, 3)
    assert (shown_one, shown_three) == (1, 3)
    assert one == three


@pytest.mark.parametrize("count", [1, 3])
def test_dashboard_panel_query_count(rf, django_assert_num_queries, count):
    user = UserFactory()
    _make_organisations(user, count)
    request = rf.get("/dashboard/")
    request.user = user
    # The memberships with their organisations, then the current declarations.
    with django_assert_num_queries(2):
        html = render_to_string("accounts/dashboard_panel.html", {"request": request})
    assert html.count('class="badge ok">Micro enterprise') == count


def test_dashboard_panel_says_what_to_do_next(client):
    membership = MembershipFactory(organisation__sme_declaration=False)
    client.force_login(membership.user)
    html = client.get(reverse("dashboard")).content.decode()
    assert "Next: sign the SME declaration" in html
    services.sme_declaration_sign(
        organisation=membership.organisation,
        user=membership.user,
        data={
            "reference_year": timezone.now().year - 1,
            "staff_headcount": "30",
            "annual_turnover": "5000000",
            "balance_sheet_total": "4000000",
            "enterprise_category": "autonomous",
        },
    )
    html = client.get(reverse("dashboard")).content.decode()
    assert "Next: sign the SME declaration" not in html
    assert 'class="badge ok">Small enterprise' in html


def test_new_declaration_starts_from_the_current_one(admin_client):
    organisation = admin_client.membership.organisation
    services.sme_declaration_sign(
        organisation=organisation,
        user=admin_client.membership.user,
        data={
            "reference_year": timezone.now().year - 1,
            "staff_headcount": "12",
            "annual_turnover": "3000000",
            "balance_sheet_total": "2000000",
            "enterprise_category": "linked",
        },
        enterprises=[
            {
                "relation": "linked",
                "name": "Parent SA",
                "holding_percent": "80",
                "staff_headcount": "20",
                "annual_turnover": "1000000",
                "balance_sheet_total": "1000000",
            }
        ],
    )
    response = admin_client.get(reverse("accounts:sme-declaration-create", args=[organisation.pk]))
    form, formset = response.context["form"], response.context["formset"]
    assert (form["staff_headcount"].value(), form["enterprise_category"].value()) == (
        Decimal("12.00"),
        "linked",
    )
    assert formset.forms[0]["name"].value() == "Parent SA"
    assert len(formset.forms) == 4


def test_admin_edits_organisation_keeping_its_vat(admin_client):
    organisation = admin_client.membership.organisation
    response = admin_client.post(
        reverse("accounts:organisation-edit", args=[organisation.pk]),
        {
            "legal_name": "Renamed Ore Oy",
            "type": "sme",
            "country": organisation.country,
            "vat_number": organisation.vat_number,
            "nuts_region": "FI1D9",
            "website": "oulu.example.eu",
        },
    )
    assert response.url == reverse("accounts:organisation-detail", args=[organisation.pk])
    organisation.refresh_from_db()
    assert (organisation.legal_name, organisation.nuts_region, organisation.website) == (
        "Renamed Ore Oy",
        "FI1D9",
        "https://oulu.example.eu",
    )


def test_edit_to_another_organisations_vat_is_refused(admin_client):
    organisation = admin_client.membership.organisation
    other = OrganisationFactory(country="FI", vat_number="FI99999999")
    response = admin_client.post(
        reverse("accounts:organisation-edit", args=[organisation.pk]),
        {"legal_name": "X", "type": "sme", "country": "FI", "vat_number": other.vat_number},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["vat_number"] == [
        "An organisation with VAT number FI99999999 is already registered in Finland: ask its "
        "administrator to invite you."
    ]
    organisation.refresh_from_db()
    assert organisation.vat_number != other.vat_number


def test_admin_revokes_invitation(admin_client):
    organisation = admin_client.membership.organisation
    invitation = services.invitation_send(
        organisation=organisation, inviter=admin_client.membership.user, email="r@example.eu"
    )
    admin_client.post(reverse("accounts:invitation-revoke", args=[organisation.pk, invitation.pk]))
    invitation.refresh_from_db()
    assert invitation.status == "revoked"


def test_admin_changes_a_members_role(admin_client):
    organisation = admin_client.membership.organisation
    member = MembershipFactory(organisation=organisation, role=Membership.Role.MEMBER)
    admin_client.post(
        reverse("accounts:membership-role", args=[organisation.pk, member.pk]), {"role": "admin"}
    )
    member.refresh_from_db()
    assert member.role == "admin"
