"""Events: staff create, publish and cancel them through services (with ledger entries); the
public sees published ones, upcoming and past, with materials after the event."""

import csv
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from events import services
from events.models import Event, EventKind, EventState
from minegap.ledger.models import AuditEntry
from tests.auth import sign_in
from tests.calls.factories import CallFactory
from tests.events.factories import EventFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return UserFactory(roles=[roles.STAFF])


def _form(**overrides) -> dict:
    data = {
        "kind": "training",
        "title": "Sensor data for small mines",
        "description": "A hands-on webinar.",
        "starts_at": "2030-03-10T10:00",
        "ends_at": "2030-03-10T12:30",
        "time_zone": "Europe/Lisbon",
        "place": "",
        "online_link": "https://meet.example.eu/sensor-data",
        "language": "pt",
        "capacity": "40",
        "registration_deadline": "2030-03-09T18:00",
        "call": "",
    }
    return {**data, **overrides}


def test_staff_create_an_event_in_its_own_time_zone_and_the_ledger_records_it(client, staff):
    sign_in(client, staff)

    response = client.post(reverse("events:create"), _form())

    event = Event.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("events:manage-detail", args=[event.pk])
    assert event.state == EventState.DRAFT
    # 10:00 in Lisbon in March (WET, UTC+0) is 10:00 UTC.
    assert event.starts_at == datetime(2030, 3, 10, 10, 0, tzinfo=ZoneInfo("UTC"))
    assert event.registration_deadline == datetime(2030, 3, 9, 18, 0, tzinfo=ZoneInfo("UTC"))
    entry = AuditEntry.objects.latest("seq")
    assert (entry.action, entry.target_id, entry.data) == (
        "events.event.created",
        str(event.pk),
        {"kind": "training", "call": None},
    )


def test_an_event_ending_before_it_starts_is_refused_with_a_message(client, staff):
    sign_in(client, staff)

    response = client.post(reverse("events:create"), _form(ends_at="2030-03-10T09:00"))

    assert response.status_code == 400
    assert "The event must end after it starts." in response.content.decode()
    assert Event.objects.count() == 0


def test_publishing_twice_is_refused_and_recorded_once(staff):
    event = EventFactory(state=EventState.DRAFT)

    services.publish_event(event=event, actor=staff)
    with pytest.raises(ValidationError) as refused:
        services.publish_event(event=event, actor=staff)

    assert refused.value.messages == [
        "Only a draft event can be published; this one is “Published”."
    ]
    actions = list(
        AuditEntry.objects.filter(target_id=str(event.pk)).values_list("action", flat=True)
    )
    assert actions == ["events.event.published"]


def test_only_staff_publish(staff):
    event = EventFactory(state=EventState.DRAFT)

    with pytest.raises(PermissionDenied):
        services.publish_event(event=event, actor=UserFactory())

    event.refresh_from_db()
    assert event.state == EventState.DRAFT


def test_the_publish_button_is_replaced_by_its_refusal_on_the_staff_page(client, staff):
    event = EventFactory(
        state=EventState.DRAFT, registration_deadline=timezone.now() - timedelta(hours=1)
    )
    sign_in(client, staff)

    page = client.get(reverse("events:manage-detail", args=[event.pk])).content.decode()

    assert "The registration deadline has passed: move it before publishing." in page
    assert reverse("events:publish", args=[event.pk]) not in page


def test_public_list_shows_upcoming_published_events_and_past_ones_on_request(client):
    upcoming = EventFactory(title="Info day in Oulu")
    EventFactory(title="Draft day", state=EventState.DRAFT)
    past = EventFactory(
        title="Info day in Luleå",
        starts_at=timezone.now() - timedelta(days=3, hours=3),
        ends_at=timezone.now() - timedelta(days=3),
        registration_deadline=timezone.now() - timedelta(days=4),
    )

    upcoming_page = client.get(reverse("events:list")).content.decode()
    past_page = client.get(reverse("events:list"), {"when": "past"}).content.decode()

    assert reverse("events:detail", args=[upcoming.pk]) in upcoming_page
    assert "Draft day" not in upcoming_page
    assert "Info day in Luleå" not in upcoming_page
    assert reverse("events:detail", args=[past.pk]) in past_page
    assert "Info day in Oulu" not in past_page


def test_the_list_filters_by_kind_and_says_when_nothing_matches(client):
    EventFactory(title="Info day in Oulu", kind=EventKind.INFO_DAY)

    page = client.get(reverse("events:list"), {"kind": "brokerage"}).content.decode()

    assert "Info day in Oulu" not in page
    assert "No upcoming event matches these filters." in page


def test_a_draft_event_has_no_public_page(client):
    event = EventFactory(state=EventState.DRAFT)

    assert client.get(reverse("events:detail", args=[event.pk])).status_code == 404


def test_the_online_link_is_not_on_the_public_page_nor_in_the_api(client):
    event = EventFactory(place="", online_link="https://meet.example.eu/secret-room")

    page = client.get(reverse("events:detail", args=[event.pk])).content.decode()
    api = client.get(reverse("api-public-event-detail", args=[event.pk])).json()

    assert "secret-room" not in page
    assert "Online (the link is sent to registered participants)" in page
    assert api["online"] is True
    assert "secret-room" not in str(api)


def test_materials_are_added_after_the_event_and_shown_on_its_page(client, staff):
    upcoming = EventFactory()
    past = EventFactory(
        starts_at=timezone.now() - timedelta(days=1, hours=2),
        ends_at=timezone.now() - timedelta(days=1),
        registration_deadline=timezone.now() - timedelta(days=2),
    )

    with pytest.raises(ValidationError) as refused:
        services.add_material(event=upcoming, actor=staff, title="Slides", url="https://x.eu/s.pdf")
    services.add_material(
        event=past, actor=staff, title="Recording", url="https://video.example.eu/rec"
    )

    assert refused.value.messages == ["Materials are published once the event has ended."]
    page = client.get(reverse("events:detail", args=[past.pk])).content.decode()
    assert '<a href="https://video.example.eu/rec" rel="noopener">Recording</a>' in page
    api = client.get(reverse("api-public-event-detail", args=[past.pk])).json()
    assert api["materials"] == [{"title": "Recording", "url": "https://video.example.eu/rec"}]


def test_an_info_day_shows_on_its_call_page(client):
    call = CallFactory()
    info_day = EventFactory(call=call, title="Info day on the call")
    EventFactory(call=call, title="Unpublished info day", state=EventState.DRAFT)

    page = client.get(reverse("calls:public-detail", args=[call.slug])).content.decode()

    assert reverse("events:detail", args=[info_day.pk]) in page
    assert "Unpublished info day" not in page


def test_the_api_lists_upcoming_events_filtered_by_language(client):
    EventFactory(title="In Finnish", language="fi")
    EventFactory(title="In English", language="en")

    response = client.get(reverse("api-public-events"), {"language": "fi"})

    assert [row["title"] for row in response.json()["results"]] == ["In Finnish"]


def test_the_public_list_reads_a_fixed_number_of_queries(client, django_assert_num_queries):
    EventFactory()
    client.get(reverse("events:list"))  # warm the session and site caches
    # The count, the page of events, the calls offered by the "Open call" filter, and when the
    # next call, event and impact follow-up change by the clock (how long the page may be
    # cached); the page cache is forgotten to measure a page read afresh.
    cache.clear()
    with django_assert_num_queries(6):
        client.get(reverse("events:list"))
    EventFactory.create_batch(2)
    cache.clear()
    with django_assert_num_queries(6):
        client.get(reverse("events:list"))


def test_the_list_downloads_as_csv_with_its_filters(client):
    EventFactory(
        title="Info day, Oulu",
        kind=EventKind.INFO_DAY,
        starts_at=datetime(2031, 2, 3, 9, 0, tzinfo=ZoneInfo("UTC")),
        ends_at=datetime(2031, 2, 3, 12, 0, tzinfo=ZoneInfo("UTC")),
        registration_deadline=datetime(2031, 2, 1, 12, 0, tzinfo=ZoneInfo("UTC")),
        language="fi",
    )
    EventFactory(title="A training", kind=EventKind.TRAINING)

    response = client.get(reverse("events:csv"), {"kind": "info_day"})

    lines = b"".join(response.streaming_content).decode().splitlines()
    rows = list(csv.reader(lines))
    assert response["Content-Type"] == "text/csv"
    assert lines[0] == (
        "id,kind,title,starts_at,ends_at,time_zone,place,online,language,capacity,"
        "registration_deadline,call,state"
    )
    assert rows[1][1:4] == ["info_day", "Info day, Oulu", "2031-02-03T09:00:00+00:00"]
    assert len(rows) == 2
