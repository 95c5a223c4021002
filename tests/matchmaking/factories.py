"""Profiles are made through the service, so derived text and the search vector are real."""

from typing import Any

from accounts.models import Membership, Organisation, User
from matchmaking import services
from matchmaking.models import PartnerProfile
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory


def admin_of(organisation: Organisation) -> User:
    membership = (
        Membership.objects.filter(organisation=organisation, role=Membership.Role.ADMIN)
        .select_related("user")
        .order_by("created_at", "pk")
        .first()
    )
    if membership is None:
        membership = MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN)
    return membership.user


def make_profile(
    organisation: Organisation | None = None,
    *,
    published: bool = True,
    **fields: Any,
) -> PartnerProfile:
    organisation = organisation or OrganisationFactory()
    actor = admin_of(organisation)
    values: dict[str, Any] = {
        "summary": f"{organisation.legal_name} works with mines.",
        "role_sought": "provider",
    }
    values.update(fields)
    profile = services.save_profile(organisation=organisation, actor=actor, **values)
    if published:
        profile = services.publish_profile(profile=profile, actor=actor)
    return profile


def make_org(name: str, country: str = "FI", nuts: str = "FI1D7", **kwargs: Any) -> Organisation:
    return OrganisationFactory(legal_name=name, country=country, nuts_region=nuts, **kwargs)


def member_of(organisation: Organisation, role: str = Membership.Role.MEMBER) -> User:
    return MembershipFactory(organisation=organisation, role=role, user=UserFactory()).user
