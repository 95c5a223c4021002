"""Staff find their events from the dashboard: the next ones (drafts too), their counts, and the
way to every event and to a new one."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from events import registration
from events.models import EventState
from tests.auth import sign_in
from tests.events.factories import EventFactory
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def _panel(client) -> str:
    page = client.get(reverse("dashboard")).content.decode()
    start = page.index('aria-labelledby="staff-events-heading"')
    return page[start : page.index("</section>", start)]


def test_the_staff_dashboard_lists_the_next_events_with_their_places(client):
    full = EventFactory(
        title="B2B brokerage in Luleå",
        capacity=1,
        starts_at=datetime(2030, 3, 10, 9, 0, tzinfo=ZoneInfo("Europe/Stockholm")),
        ends_at=datetime(2030, 3, 10, 15, 0, tzinfo=ZoneInfo("Europe/Stockholm")),
        registration_deadline=datetime(2030, 3, 9, 18, 0, tzinfo=ZoneInfo("Europe/Stockholm")),
        time_zone="Europe/Stockholm",
    )
    for _ in range(3):
        person = UserFactory()
        MembershipFactory(user=person)
        registration.register(event=full, user=person)
    EventFactory(title="Webinar not yet published", state=EventState.DRAFT)
    EventFactory(title="Cancelled info day", state=EventState.CANCELLED)
    EventFactory(
        title="Info day held last week",
        starts_at=timezone.now() - timedelta(days=7, hours=3),
        ends_at=timezone.now() - timedelta(days=7),
        registration_deadline=timezone.now() - timedelta(days=8),
    )
    sign_in(client, UserFactory(roles=[roles.STAFF]))

    panel = _panel(client)

    assert "B2B brokerage in Luleå" in panel
    assert (
        '<time datetime="2030-03-10T09:00:00+01:00">10 March 2030, 09:00</time> (Stockholm time)'
        in panel
    )
    assert "1 registered · 2 waiting" in panel
    assert "Webinar not yet published" in panel
    assert "Draft" in panel
    assert "Cancelled info day" not in panel
    assert "Info day held last week" not in panel
    assert reverse("events:manage-detail", args=[full.pk]) in panel
    assert reverse("events:manage-list") in panel
    assert reverse("events:create") in panel


def test_with_no_event_to_come_the_panel_says_so_and_offers_a_new_one(client):
    sign_in(client, UserFactory(roles=[roles.STAFF]))

    panel = _panel(client)

    assert "No event to come." in panel
    assert reverse("events:create") in panel


def test_an_applicant_has_no_staff_events_panel(client):
    person = UserFactory()
    MembershipFactory(user=person)
    sign_in(client, person)

    page = client.get(reverse("dashboard")).content.decode()

    assert "staff-events-heading" not in page
