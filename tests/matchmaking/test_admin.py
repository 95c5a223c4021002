"""The admin shows profiles but cannot edit them behind the services' back."""

import pytest
from django.urls import reverse

from matchmaking.models import PartnerProfile
from tests.auth import sign_in
from tests.factories import UserFactory
from tests.matchmaking.factories import make_profile

pytestmark = pytest.mark.django_db


def test_the_admin_cannot_change_a_profiles_keywords_or_summary(client):
    profile = make_profile(summary="Sensor networks for mines.", keywords=["sensors"])
    before = PartnerProfile.objects.values("summary", "keywords", "keyword_bits").get(pk=profile.pk)
    sign_in(client, UserFactory(is_staff=True, is_superuser=True))
    url = reverse("admin:matchmaking_partnerprofile_change", args=[profile.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="summary"' not in page.content.decode()
    client.post(url, {"summary": "Changed by hand.", "keywords": "lithium"})
    after = PartnerProfile.objects.values("summary", "keywords", "keyword_bits").get(pk=profile.pk)
    assert after == before
