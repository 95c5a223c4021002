"""Issue #16's "done when", in the browser from the home page: staff publish a brokerage event,
two SMEs register (the second through the waiting list), meet, both see the meeting in their
agenda and download its .ics, staff mark attendance, one participant records that the meeting
led to a consortium, and the public figures count it.

Time passing is the event's times moved back in the database, the one thing a browser test
cannot wait for."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from accounts import roles
from events.models import Event, Registration
from tests import auth
from tests.evaluation.conftest import with_mfa
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def as_user(page, live_server, user) -> None:
    """Reuse a server-side session (with its second factor) instead of typing codes."""
    client = auth.sign_in(Client(), user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "url": live_server.url,
            }
        ]
    )


def _local(days: int, hour: int) -> str:
    day = timezone.localdate() + timedelta(days=days)
    return f"{day.isoformat()}T{hour:02d}:00"


def register(page, title: str, organisation) -> None:
    page.goto("/")
    page.locator("nav.site-nav").get_by_role("link", name="Events").click()
    page.get_by_role("link", name=title).click()
    page.locator("#id_organisation").select_option(str(organisation.pk))
    page.get_by_role("button", name="Register").click()


def test_a_brokerage_event_from_publication_to_the_public_figures(page, live_server):
    staff = with_mfa(UserFactory(roles=[roles.STAFF]))
    first, second, early = MembershipFactory(), MembershipFactory(), MembershipFactory()
    title = "Brokerage: sensors meet mines"

    # Staff create and publish the event: two places, one 20-minute slot per table.
    as_user(page, live_server, staff)
    page.goto("/")
    page.locator("nav.site-nav").get_by_role("link", name="Dashboard").click()
    page.locator("section", has=page.locator("#staff-events-heading")).get_by_role(
        "link", name="New event"
    ).click()
    page.locator("#id_kind").select_option(label="B2B brokerage")
    page.locator("#id_title").fill(title)
    page.locator("#id_description").fill("One-to-one meetings.")
    page.locator("#id_starts_at").fill(_local(10, 10))
    page.locator("#id_ends_at").fill(_local(10, 12))
    page.locator("#id_registration_deadline").fill(_local(9, 12))
    page.locator("#id_time_zone").select_option("Europe/Brussels")
    page.locator("#id_place").fill("Brussels")
    page.locator("#id_capacity").fill("2")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("Event published.")).to_be_visible()
    event = Event.objects.get(title=title)
    page.get_by_role("link", name="Grid settings and scheduling").click()
    page.get_by_label("Meeting length (minutes)").fill("20")
    page.get_by_label("Number of tables").fill("2")
    page.get_by_role("button", name="Save the grid").click()
    expect(page.get_by_role("heading", name="6 slots")).to_be_visible()

    # Someone takes a place and gives it up; the first SME takes the other place, the second
    # waits and is promoted when the place is freed.
    as_user(page, live_server, early.user)
    register(page, title, early.organisation)
    as_user(page, live_server, first.user)
    register(page, title, first.organisation)
    expect(page.get_by_text("You have a place.")).to_be_visible()
    as_user(page, live_server, second.user)
    register(page, title, second.organisation)
    expect(page.get_by_text("You are number 1 on the waiting list.")).to_be_visible()
    as_user(page, live_server, early.user)
    page.goto(f"/events/{event.pk}/")
    page.get_by_role("button", name="Cancel my registration").click()
    as_user(page, live_server, second.user)
    page.goto(f"/events/{event.pk}/")
    expect(page.get_by_text("You have a place.")).to_be_visible()

    # The first finds the second among the participants and asks for a meeting; the second
    # accepts: it is placed at once.
    as_user(page, live_server, first.user)
    page.goto(f"/events/{event.pk}/")
    page.get_by_role("link", name="One-to-one meetings: the participants").click()
    card = page.locator("article").filter(has_text=second.organisation.legal_name)
    card.get_by_role("link", name="Request a meeting").click()
    page.get_by_label("Message").fill("Your sensors on our conveyor?")
    page.get_by_role("button", name="Send the request").click()
    as_user(page, live_server, second.user)
    page.goto(f"/events/{event.pk}/")
    page.get_by_role("link", name="My meeting requests").click()
    expect(page.get_by_text("Your sensors on our conveyor?")).to_be_visible()
    page.get_by_role("link", name="Accept").click()
    page.get_by_role("button", name="Accept").click()

    # Both see it in their agenda and download it as .ics.
    for person, other in ((first, second), (second, first)):
        as_user(page, live_server, person.user)
        page.goto(f"/events/{event.pk}/")
        page.get_by_role("link", name="My meetings: agenda, calendar and PDF").click()
        row = page.get_by_role("row").filter(has_text=other.organisation.legal_name)
        expect(row).to_contain_text("10:00–10:20 (Brussels time)")
        with page.expect_download() as download:
            page.get_by_role("link", name="Add my meetings to my calendar (.ics)").click()
        (entry,) = Calendar.from_ical(Path(download.value.path()).read_bytes()).walk("VEVENT")
        assert str(entry["location"]) == "Brussels, table 1"

    # The event takes place.
    now = timezone.now()
    Event.objects.filter(pk=event.pk).update(
        starts_at=now - timedelta(hours=3),
        ends_at=now - timedelta(hours=1),
        registration_deadline=now - timedelta(days=1),
    )

    # Staff mark attendance.
    as_user(page, live_server, staff)
    page.goto(f"/manage/events/{event.pk}/")
    for person in (first, second):
        row = page.get_by_role("row").filter(has_text=person.organisation.legal_name)
        row.get_by_label("Attendance").select_option(label="Attended")
        row.get_by_role("button", name="Record").click()
    assert sorted(
        Registration.objects.filter(event=event, status="confirmed").values_list(
            "attended", flat=True
        )
    ) == [True, True]

    # The first says the meeting led to a consortium.
    as_user(page, live_server, first.user)
    page.goto(f"/events/{event.pk}/agenda/")
    page.get_by_label("Did this meeting lead to a consortium?").select_option(
        label="Yes, we formed a consortium"
    )
    page.get_by_role("button", name="Record").click()
    expect(page.get_by_text("Thank you: your answer is recorded.")).to_be_visible()

    # The public figures count it.
    page.context.clear_cookies()
    page.goto("/")
    page.locator("nav.site-nav").get_by_role("link", name="Figures").click()
    expect(page.locator('[data-figure="events_held"]')).to_have_text("1")
    expect(page.locator('[data-figure="participants"]')).to_have_text("2")
    expect(page.locator('[data-figure="meetings_held"]')).to_have_text("1")
    expect(page.locator('[data-figure="consortia_formed"]')).to_have_text("1")
