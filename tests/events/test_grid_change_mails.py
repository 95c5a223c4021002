"""Staff change the meeting grid and some of the times participants chose are gone: each
confirmed participant who lost any is e-mailed in the same transaction (every time gone: they
are not offered for meetings until they choose again; some gone: the times that remain), the
ledger counts both, staff read the counts on the grid page, and a participant left with no
time sees it on their availability page. An empty choice stays empty: it is never taken for
"the whole grid", whose new times nobody agreed to.

The event runs 08:00-12:00 (Helsinki); the first grid is one session, 09:00-10:00, of 20-minute
slots: 09:00 (slot 0), 09:20 (1), 09:40 (2). The change ends the session at 09:40: slot 2 goes."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import roles
from events import brokerage
from events.models import BrokerageProfile, Meeting, RegistrationStatus
from minegap.ledger.models import AuditEntry
from minegap.notifications.models import Notification
from tests.auth import sign_in
from tests.events.brokerage_factories import BrokerageEventFactory, at, participant
from tests.factories import UserFactory
from tests.ledger_order import after_the_head_lock

pytestmark = pytest.mark.django_db

NINE_TO_TEN = (at(10, 9), at(10, 10))
NINE_TO_NINE_FORTY = (at(10, 9), at(10, 9, 40))


def _choose(registration, slots):
    brokerage.set_availability(registration=registration, actor=registration.user, slots=slots)


@pytest.fixture
def world():
    """`emptied` chose 09:40 only, `narrowed` 09:20 and 09:40, `untouched` 09:00 and 09:20,
    `whole` every time (stored as None), `silent` never said; `gone` chose 09:40 and then
    cancelled their place."""
    event = BrokerageEventFactory(title="Ore & sensors", starts_at=at(10, 8), ends_at=at(10, 12))
    staff = UserFactory(roles=[roles.STAFF])
    brokerage.configure_brokerage(
        event=event, actor=staff, meeting_minutes=20, tables=2, sessions=[NINE_TO_TEN]
    )
    people = {name: participant(event) for name in ("emptied", "narrowed", "untouched", "whole")}
    people["silent"], people["gone"] = participant(event), participant(event)
    _choose(people["emptied"], [2])
    _choose(people["narrowed"], [1, 2])
    _choose(people["untouched"], [0, 1])
    _choose(people["whole"], [0, 1, 2])
    _choose(people["gone"], [2])
    people["gone"].status = RegistrationStatus.CANCELLED
    people["gone"].save(update_fields=["status"])
    return event, staff, people


def _shorten(event, staff):
    return brokerage.configure_brokerage(
        event=event, actor=staff, meeting_minutes=20, tables=2, sessions=[NINE_TO_NINE_FORTY]
    )


def _day() -> str:
    """The event's day as the e-mails write it, "10 March 2031"."""
    day = at(10, 9)
    return f"{day.day} {day:%B} {day.year}"


def _available(registration):
    return BrokerageProfile.objects.get(registration=registration).available_slots


def test_each_participant_who_lost_chosen_times_is_e_mailed_which_case_is_theirs(
    world, django_capture_on_commit_callbacks, settings
):
    event, staff, people = world
    settings.SITE_URL = "https://minegap.example"
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        _shorten(event, staff)

    assert sorted(Notification.objects.values_list("email", "template")) == sorted(
        [
            (people["emptied"].user.email, "events/availability_emptied"),
            (people["narrowed"].user.email, "events/availability_narrowed"),
        ]
    )
    sent = {message.to[0]: message for message in mail.outbox}
    assert len(mail.outbox) == 2
    emptied = sent[people["emptied"].user.email]
    assert emptied.subject == "Choose your meeting times again: Ore & sensors"
    assert emptied.body.startswith(
        "The organisers have changed the meeting times of “Ore & sensors” "
        f"({_day()}, 08:00–12:00 (Helsinki time)): none of the times you said you can attend "
        "is on the grid any more. Until you choose again, you are not offered for one-to-one "
        "meetings. Choose the times you can attend:\n"
        f"https://minegap.example/events/{event.pk}/brokerage/availability/\n"
    )
    narrowed = sent[people["narrowed"].user.email]
    assert narrowed.subject == "Some of your meeting times are gone: Ore & sensors"
    assert narrowed.body.startswith(
        "The organisers have changed the meeting times of “Ore & sensors” "
        f"({_day()}, 08:00–12:00 (Helsinki time)): some of the times you said you can attend "
        "are no longer on the grid. Meetings are offered to you only at the times that "
        "remain:\n"
        f"- {_day()}, 09:20–09:40 (Helsinki time)\n"
        "You can change your availability here:\n"
        f"https://minegap.example/events/{event.pk}/brokerage/availability/\n"
    )
    assert (_available(people["emptied"]), _available(people["narrowed"])) == ([], [1])
    assert (_available(people["untouched"]), _available(people["whole"])) == ([0, 1], None)


def test_the_ledger_entry_counts_the_availabilities_emptied_and_narrowed(world):
    event, staff, _people = world

    _shorten(event, staff)

    entry = AuditEntry.objects.filter(action="events.brokerage.configured").latest("seq")
    assert entry.data == {
        "event": event.pk,
        "meeting_minutes": 20,
        "tables": 2,
        "sessions": 1,
        "slots": 2,
        "meetings_renumbered": 0,
        "availabilities_narrowed": 1,
        "availabilities_emptied": 1,
    }


def test_staff_read_on_the_grid_page_who_lost_times_and_that_they_were_e_mailed(world, client):
    event, staff, people = world
    _choose(people["untouched"], [2])  # a second person left with no time
    sign_in(client, staff)
    day = at(10, 9).date().isoformat()

    response = client.post(
        reverse("events:brokerage-settings", args=[event.pk]),
        {"meeting_minutes": 20, "tables": 2, "sessions": f"{day} 09:00-09:40"},
        follow=True,
    )

    assert [str(message) for message in response.context["messages"]] == [
        "The meeting grid is saved. 2 participants no longer have any of their chosen times on "
        "the grid and have been e-mailed to choose again. 1 participant lost some of their "
        "chosen times and has been e-mailed the ones that remain."
    ]


def test_a_grid_change_that_takes_no_chosen_time_says_only_that_it_is_saved(world, client):
    event, staff, _people = world
    sign_in(client, staff)
    day = at(10, 9).date().isoformat()

    response = client.post(
        reverse("events:brokerage-settings", args=[event.pk]),
        {"meeting_minutes": 20, "tables": 3, "sessions": f"{day} 09:00-10:00"},
        follow=True,
    )

    assert [str(message) for message in response.context["messages"]] == [
        "The meeting grid is saved."
    ]
    assert not Notification.objects.filter(template__startswith="events/availability_").exists()


NOTICE = "None of the times you chose is on the meeting grid any more"


def test_a_participant_left_with_no_time_is_told_on_their_availability_page(world, client):
    event, staff, people = world
    _shorten(event, staff)
    page = reverse("events:brokerage-availability", args=[event.pk])

    sign_in(client, people["emptied"].user)
    assert NOTICE in client.get(page).content.decode()
    sign_in(client, people["narrowed"].user)
    assert NOTICE not in client.get(page).content.decode()


def test_a_participant_left_with_no_time_is_not_placed_at_the_new_grid_s_times(world):
    event, staff, people = world
    _shorten(event, staff)
    emptied, untouched = people["emptied"], people["untouched"]
    request = brokerage.request_meeting(
        requester=untouched, addressee=emptied, actor=untouched.user
    )

    brokerage.accept_meeting(meeting_request=request, actor=emptied.user)

    assert not Meeting.objects.filter(request=request).exists()
    assert _available(emptied) == []


def test_changing_the_grid_queues_the_mails_then_appends_to_the_ledger(world):
    event, staff, people = world

    with CaptureQueriesContext(connection) as queries:
        _shorten(event, staff)

    assert after_the_head_lock(queries) == []
    assert AuditEntry.objects.latest("seq").action == "events.brokerage.configured"
    assert sorted(Notification.objects.values_list("email", flat=True)) == sorted(
        [people["emptied"].user.email, people["narrowed"].user.email]
    )
