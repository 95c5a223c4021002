"""Factories shared by every app's tests (each app adds its own under tests/<app>/factories.py)."""

from decimal import Decimal

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.models import Membership, Organisation, SMEDeclaration, User
from accounts.sme import SMECategory

DEFAULT_PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.eu")
    full_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            for name in extracted:
                self.groups.add(Group.objects.get_or_create(name=name)[0])
        if create:
            self.save()


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    legal_name = factory.Sequence(lambda n: f"Nordic Ore Sensing {n} Oy")
    short_name = factory.Sequence(lambda n: f"NOS{n}")
    country = "FI"
    nuts_region = "FI1D7"
    vat_number = factory.Sequence(lambda n: f"FI{10000000 + n}")
    type = Organisation.Type.SME
    founding_year = 2015

    @factory.post_generation
    def sme_declaration(self, create, extracted, **kwargs):
        """A registered organisation has signed its SME self-declaration (a micro enterprise),
        as registration asks. `sme_declaration=False`: one that has not signed yet;
        `sme_declaration__category="not_sme"`: another class."""
        if create and extracted is not False:
            SMEDeclarationFactory(organisation=self, **kwargs)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Membership.Role.ADMIN


class SMEDeclarationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SMEDeclaration

    organisation = factory.SubFactory(OrganisationFactory, sme_declaration=False)
    version = 1
    reference_year = factory.LazyFunction(lambda: timezone.now().year - 1)
    staff_headcount = Decimal("8")
    annual_turnover = Decimal("1200000.00")
    balance_sheet_total = Decimal("900000.00")
    enterprise_category = SMEDeclaration.EnterpriseCategory.AUTONOMOUS
    category = SMECategory.MICRO
    signed_by = factory.SubFactory(UserFactory)
