"""Registration: places, the waiting list and its promotion, the .ics, reminders, attendance."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from accounts import roles
from events import registration
from events.models import EventKind, Registration
from minegap.ledger.models import AuditEntry
from minegap.notifications.models import Notification
from tests.auth import sign_in
from tests.events.factories import EventFactory
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_last_place_goes_to_the_first_and_the_next_person_waits():
    event = EventFactory(capacity=1)
    first, second = UserFactory(), UserFactory()

    a = registration.register(event=event, user=first)
    b = registration.register(event=event, user=second)

    assert (a.status, b.status) == ("confirmed", "waiting")
    actions = list(
        AuditEntry.objects.filter(target_type="events.registration")
        .order_by("seq")
        .values_list("action", "data")
    )
    assert actions == [
        ("events.registration.confirmed", {"event": event.pk, "organisation": None}),
        ("events.registration.waiting", {"event": event.pk, "organisation": None}),
    ]


def test_registering_twice_is_refused_and_leaves_one_row():
    event = EventFactory()
    person = UserFactory()
    registration.register(event=event, user=person)

    with pytest.raises(ValidationError) as refused:
        registration.register(event=event, user=person)

    assert refused.value.messages == ["You are already registered for this event."]
    assert Registration.objects.filter(event=event, user=person).count() == 1


def test_cancelling_a_place_promotes_the_first_on_the_waiting_list(
    django_capture_on_commit_callbacks,
):
    event = EventFactory(capacity=1)
    holder, first_waiting, second_waiting = UserFactory(), UserFactory(), UserFactory()
    place = registration.register(event=event, user=holder)
    waiting_1 = registration.register(event=event, user=first_waiting)
    waiting_2 = registration.register(event=event, user=second_waiting)

    registration.cancel(registration=place, actor=holder)

    waiting_1.refresh_from_db()
    waiting_2.refresh_from_db()
    assert (waiting_1.status, waiting_2.status) == ("confirmed", "waiting")
    promoted_mail = Notification.objects.filter(email=first_waiting.email).order_by("pk").last()
    assert promoted_mail.template == "events/registered"
    assert promoted_mail.attachments[0]["filename"] == f"event-{event.pk}.ics"
    assert AuditEntry.objects.latest("seq").action == "events.registration.promoted"


def test_cancelling_a_waiting_spot_promotes_nobody():
    event = EventFactory(capacity=1)
    holder, waiting = UserFactory(), UserFactory()
    registration.register(event=event, user=holder)
    spot = registration.register(event=event, user=waiting)

    registration.cancel(registration=spot, actor=waiting)

    statuses = dict(Registration.objects.filter(event=event).values_list("user_id", "status"))
    assert statuses == {holder.pk: "confirmed", waiting.pk: "cancelled"}


def test_someone_else_cannot_cancel_my_registration():
    event = EventFactory()
    mine = registration.register(event=event, user=UserFactory())

    with pytest.raises(PermissionDenied):
        registration.cancel(registration=mine, actor=UserFactory())


def test_the_confirmation_carries_the_event_as_ics_with_the_online_link():
    event = EventFactory(
        title="Webinar on tailings",
        place="",
        online_link="https://meet.example.eu/tailings",
        time_zone="Europe/Helsinki",
        starts_at=datetime(2031, 5, 4, 7, 30, tzinfo=UTC),
        ends_at=datetime(2031, 5, 4, 9, 0, tzinfo=UTC),
        registration_deadline=datetime(2031, 5, 1, 12, 0, tzinfo=UTC),
    )
    person = UserFactory()

    registration.register(event=event, user=person)

    mail = Notification.objects.get(email=person.email)
    assert mail.template == "events/registered"
    with default_storage.open(mail.attachments[0]["path"], "rb") as stored:
        (entry,) = Calendar.from_ical(stored.read()).walk("VEVENT")
    assert str(entry["summary"]) == "Webinar on tailings"
    assert str(entry["location"]) == "https://meet.example.eu/tailings"
    # 07:30 UTC is 10:30 in Helsinki in May (EEST), written in the event's own zone.
    assert entry.decoded("dtstart") == datetime(
        2031, 5, 4, 10, 30, tzinfo=ZoneInfo("Europe/Helsinki")
    )
    assert entry["dtstart"].params["TZID"] == "Europe/Helsinki"


def test_a_brokerage_registration_names_one_of_my_organisations():
    event = EventFactory(kind=EventKind.BROKERAGE)
    person = UserFactory()
    mine = OrganisationFactory()
    MembershipFactory(user=person, organisation=mine)

    with pytest.raises(ValidationError) as refused:
        registration.register(event=event, user=person)
    with pytest.raises(PermissionDenied):
        registration.register(event=event, user=person, organisation=OrganisationFactory())
    done = registration.register(event=event, user=person, organisation=mine)

    assert refused.value.messages == ["Choose the organisation you register for."]
    assert done.organisation == mine


def test_reminders_go_once_to_confirmed_participants_of_tomorrows_events():
    now = timezone.now()
    tomorrow = EventFactory(
        starts_at=now + timedelta(hours=20),
        ends_at=now + timedelta(hours=23),
        registration_deadline=now + timedelta(hours=10),
        capacity=1,
    )
    later = EventFactory()
    confirmed, waiting, other = UserFactory(), UserFactory(), UserFactory()
    registration.register(event=tomorrow, user=confirmed)
    registration.register(event=tomorrow, user=waiting)
    registration.register(event=later, user=other)

    first_run = registration.send_reminders()
    second_run = registration.send_reminders()

    assert (first_run, second_run) == (1, 0)
    reminders = list(
        Notification.objects.filter(template="events/reminder").values_list("email", flat=True)
    )
    assert reminders == [confirmed.email]


def test_staff_record_attendance_once_the_event_started():
    staff = UserFactory(roles=[roles.STAFF])
    now = timezone.now()
    event = EventFactory(
        starts_at=now + timedelta(hours=2),
        ends_at=now + timedelta(hours=5),
        registration_deadline=now + timedelta(hours=1),
    )
    place = registration.register(event=event, user=UserFactory())

    with pytest.raises(ValidationError) as too_early:
        registration.record_attendance(registration=place, attended=True, actor=staff)
    event.starts_at = now - timedelta(minutes=5)
    event.registration_deadline = now - timedelta(minutes=10)
    event.save()
    registration.record_attendance(registration=place, attended=True, actor=staff)

    assert too_early.value.messages == ["Attendance is recorded once the event has started."]
    place.refresh_from_db()
    assert place.attended is True
    entry = AuditEntry.objects.latest("seq")
    assert (entry.action, entry.data) == (
        "events.registration.attendance",
        {"event": event.pk, "attended": True},
    )


def test_a_participant_registers_from_the_page_sees_the_link_and_downloads_the_ics(client):
    event = EventFactory(place="", online_link="https://meet.example.eu/room-7")
    person = UserFactory()
    sign_in(client, person)

    before = client.get(reverse("events:detail", args=[event.pk])).content.decode()
    response = client.post(reverse("events:register", args=[event.pk]))
    after = client.get(reverse("events:detail", args=[event.pk])).content.decode()
    ics = client.get(reverse("events:calendar", args=[event.pk]))

    assert "room-7" not in before
    assert response.status_code == 302
    assert "https://meet.example.eu/room-7" in after
    assert ics["Content-Type"] == "text/calendar; charset=utf-8"
    (entry,) = Calendar.from_ical(ics.content).walk("VEVENT")
    assert str(entry["location"]) == "https://meet.example.eu/room-7"


def test_the_ics_is_not_for_someone_without_a_place(client):
    event = EventFactory()
    sign_in(client, UserFactory())

    assert client.get(reverse("events:calendar", args=[event.pk])).status_code == 404


def test_my_registrations_are_on_my_dashboard(client):
    event = EventFactory(title="Training on drones")
    person = UserFactory()
    MembershipFactory(user=person)
    registration.register(event=event, user=person)
    sign_in(client, person)

    page = client.get(reverse("dashboard")).content.decode()

    assert reverse("events:detail", args=[event.pk]) in page
    assert "Training on drones" in page


def test_a_training_certificate_is_for_those_recorded_as_attending(client):
    staff = UserFactory(roles=[roles.STAFF])
    now = timezone.now()
    event = EventFactory(
        kind=EventKind.TRAINING,
        starts_at=now + timedelta(hours=2),
        ends_at=now + timedelta(hours=5),
        registration_deadline=now + timedelta(hours=1),
    )
    attendee, absentee = UserFactory(), UserFactory()
    place = registration.register(event=event, user=attendee)
    registration.register(event=event, user=absentee)
    event.starts_at = now - timedelta(hours=1)
    event.registration_deadline = now - timedelta(hours=2)
    event.save()
    registration.record_attendance(registration=place, attended=True, actor=staff)

    sign_in(client, attendee)
    pdf = client.get(reverse("events:certificate", args=[event.pk]))
    sign_in(client, absentee)
    refused = client.get(reverse("events:certificate", args=[event.pk]))

    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    assert refused.status_code == 404
