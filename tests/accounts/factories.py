"""Factories for the accounts app's own models (users and organisations: tests/factories.py)."""

from datetime import timedelta

import factory
from django.utils import timezone

from accounts.models import Invitation
from tests.factories import OrganisationFactory, UserFactory


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    organisation = factory.SubFactory(OrganisationFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.eu")
    token = factory.Sequence(lambda n: f"token-{n:06d}")
    invited_by = factory.SubFactory(UserFactory)
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))
