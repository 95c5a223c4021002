"""Factories for the accounts app's own models (users and organisations: tests/factories.py)."""

from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from accounts.models import Invitation, SMEDeclaration
from accounts.sme import SMECategory
from tests.factories import OrganisationFactory, UserFactory


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    organisation = factory.SubFactory(OrganisationFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.eu")
    token = factory.Sequence(lambda n: f"token-{n:06d}")
    invited_by = factory.SubFactory(UserFactory)
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))


class SMEDeclarationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SMEDeclaration

    organisation = factory.SubFactory(OrganisationFactory)
    version = 1
    reference_year = factory.LazyFunction(lambda: timezone.now().year - 1)
    staff_headcount = Decimal("8")
    annual_turnover = Decimal("1200000.00")
    balance_sheet_total = Decimal("900000.00")
    enterprise_category = SMEDeclaration.EnterpriseCategory.AUTONOMOUS
    category = SMECategory.MICRO
    signed_by = factory.SubFactory(UserFactory)
