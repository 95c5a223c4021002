"""Factories shared by every app's tests (each app adds its own under tests/<app>/factories.py)."""

import factory
from django.contrib.auth.models import Group

from accounts.models import Membership, Organisation, User

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

    legal_name = factory.Sequence(lambda n: f"Nordic Ore Sensing {n} Oy")
    short_name = factory.Sequence(lambda n: f"NOS{n}")
    country = "FI"
    nuts_region = "FI1D7"
    vat_number = factory.Sequence(lambda n: f"FI{10000000 + n}")
    type = Organisation.Type.SME
    founding_year = 2015


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Membership.Role.ADMIN
