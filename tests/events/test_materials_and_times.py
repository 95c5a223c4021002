"""Materials as files (uploaded, checked by content, served once the event ended), event times
in the event's own zone with its name, the call filter as a list of calls, the menu link."""

import io
import re
from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts import demo as accounts_demo
from accounts import roles
from calls import demo as calls_demo
from events import demo, registration, services, timing
from events.forms import MaterialForm
from events.models import Event, EventMaterial
from minegap.ledger.models import AuditEntry
from minegap.notifications.models import Notification
from tests.auth import sign_in
from tests.calls.factories import CallFactory
from tests.events.factories import EventFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def staff():
    return UserFactory(roles=[roles.STAFF])


def _past(**fields) -> Event:
    now = timezone.now()
    return EventFactory(
        starts_at=now - timedelta(days=1, hours=2),
        ends_at=now - timedelta(days=1),
        registration_deadline=now - timedelta(days=2),
        **fields,
    )


def test_staff_upload_slides_as_a_pdf_and_anyone_downloads_them_after_the_event(
    client, staff, settings
):
    settings.SITE_URL = "https://minegap.example.eu"
    event = _past()
    sign_in(client, staff)

    response = client.post(
        reverse("events:add-material", args=[event.pk]),
        {"title": "Slides", "url": "", "file": SimpleUploadedFile("talk.pdf", PDF)},
    )

    material = EventMaterial.objects.get()
    assert response.status_code == 302
    assert (material.title, material.url, material.kind) == ("Slides", "", "pdf")
    assert re.fullmatch(r"private/events/materials/[0-9a-f]{32}\.pdf", material.file.name)
    entry = AuditEntry.objects.latest("seq")
    assert (entry.action, entry.data) == (
        "events.material.added",
        {"event": event.pk, "file": True},
    )
    client.logout()
    page = client.get(reverse("events:detail", args=[event.pk])).content.decode()
    download = reverse("events:material", args=[event.pk, material.pk])
    assert f'<a href="{download}">Slides</a> (PDF)' in page
    served = client.get(download)
    assert served.status_code == 200
    assert served["Content-Type"] == "application/pdf"
    assert served["Content-Disposition"] == 'attachment; filename="Slides.pdf"'
    assert b"".join(served.streaming_content) == PDF
    api = client.get(reverse("api-public-event-detail", args=[event.pk])).json()
    assert api["materials"] == [{"title": "Slides", "url": f"https://minegap.example.eu{download}"}]


def test_a_file_that_is_not_a_document_is_refused_with_a_message(client, staff):
    event = _past()
    sign_in(client, staff)

    response = client.post(
        reverse("events:add-material", args=[event.pk]),
        {"title": "Slides", "file": SimpleUploadedFile("talk.pdf", b"MZ\x90\x00 not a pdf")},
    )

    assert response.status_code == 400
    assert "Upload a PDF, DOCX or XLSX document (checked by content)." in response.content.decode()
    assert EventMaterial.objects.count() == 0


def test_the_form_refuses_a_file_over_20_mb_and_a_link_with_a_file():
    big = SimpleUploadedFile("big.pdf", PDF)
    big.size = 20 * 1024 * 1024 + 1
    too_big = MaterialForm({"title": "Slides"}, {"file": big})
    both = MaterialForm(
        {"title": "Slides", "url": "https://x.eu/s"}, {"file": SimpleUploadedFile("s.pdf", PDF)}
    )
    neither = MaterialForm({"title": "Slides"}, {})

    assert too_big.errors == {"file": ["The file is larger than 20 MB."]}
    assert both.errors == {"__all__": ["Give either a link or a file, not both."]}
    assert neither.errors == {"__all__": ["Give either a link or a file, not both."]}


def test_the_service_refuses_a_link_and_a_file_together(staff):
    event = _past()

    with pytest.raises(ValidationError) as refused:
        services.add_material(
            event=event,
            actor=staff,
            title="Slides",
            url="https://x.eu/s",
            upload=SimpleUploadedFile("s.pdf", PDF),
            kind="pdf",
        )

    assert refused.value.messages == ["Give either a link or a file, not both."]


def test_a_material_of_an_event_not_yet_ended_is_not_served(client, staff):
    event = _past()
    material = services.add_material(
        event=event,
        actor=staff,
        title="Slides",
        upload=SimpleUploadedFile("s.pdf", PDF),
        kind="pdf",
    )
    # Staff moved the event to next week after the material was added.
    Event.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() + timedelta(days=7),
        ends_at=timezone.now() + timedelta(days=7, hours=2),
    )

    response = client.get(reverse("events:material", args=[event.pk, material.pk]))
    wrong_event = client.get(reverse("events:material", args=[event.pk + 1, material.pk]))

    assert response.status_code == 404
    assert wrong_event.status_code == 404


def test_event_times_name_the_event_s_zone_in_one_format(client):
    event = EventFactory(
        title="Info day in Brussels",
        time_zone="Europe/Brussels",
        starts_at=datetime(2031, 3, 10, 9, 0, tzinfo=UTC),
        ends_at=datetime(2031, 3, 10, 11, 0, tzinfo=UTC),
        registration_deadline=datetime(2031, 3, 9, 17, 0, tzinfo=UTC),
    )

    page = client.get(reverse("events:detail", args=[event.pk])).content.decode()
    listing = client.get(reverse("events:list")).content.decode()

    # 09:00 UTC is 10:00 in Brussels in March (CET, UTC+1).
    span = (
        '10 March 2031, <time datetime="2031-03-10T10:00:00+01:00">10:00</time>–'
        '<time datetime="2031-03-10T12:00:00+01:00">12:00</time> (Brussels time)'
    )
    assert f"<dd>{span}</dd>" in page
    assert (
        '<dd><time datetime="2031-03-09T18:00:00+01:00">9 March 2031, 18:00</time> '
        "(Brussels time)</dd>" in page
    )
    assert span in listing


def test_spans_over_days_and_zone_names_read_as_people_say_them():
    starts = datetime(2031, 7, 1, 7, 0, tzinfo=UTC)

    assert timing.span_text(starts, starts + timedelta(days=1), "America/New_York") == (
        "1 July 2031, 03:00 – 2 July 2031, 03:00 (New York time)"
    )
    assert timing.span_text(starts, starts + timedelta(hours=1), "UTC") == (
        "1 July 2031, 07:00–08:00 (UTC)"
    )


def test_the_confirmation_e_mail_states_the_time_in_the_event_s_zone():
    event = EventFactory(
        time_zone="Europe/Helsinki",
        starts_at=datetime(2031, 5, 4, 7, 30, tzinfo=UTC),
        ends_at=datetime(2031, 5, 4, 9, 0, tzinfo=UTC),
        registration_deadline=datetime(2031, 5, 1, 12, 0, tzinfo=UTC),
    )
    person = UserFactory()

    registration.register(event=event, user=person)

    mail = Notification.objects.get(email=person.email)
    assert mail.context["when"] == "4 May 2031, 10:30–12:00 (Helsinki time)"


def test_the_call_filter_offers_the_calls_that_have_events(client):
    with_events = CallFactory(title="Open Call 1")
    CallFactory(title="Open Call 2")
    kept = EventFactory(title="Info day of call 1", call=with_events)
    EventFactory(title="A training")

    page = client.get(reverse("events:list"), {"call": with_events.pk}).content.decode()
    api = client.get(reverse("api-public-events"), {"call": 999999})

    options = re.findall(
        r'<option value="(\d*)"[^>]*>([^<]*)</option>',
        page.split('name="call"')[1].split("</select>")[0],
    )
    assert options == [("", "Any"), (str(with_events.pk), "Open Call 1")]
    assert re.findall(r"<h2><a [^>]*>([^<]+)</a></h2>", page) == [kept.title]
    assert api.status_code == 400


def test_everyone_s_menu_links_the_events(client):
    html = client.get(reverse("events:list")).content.decode()
    wide = html.split('<nav class="site-nav"', 1)[1].split("</nav>", 1)[0]

    assert '<a href="/events/" aria-current="page">Events</a>' in wide


def test_the_demo_events_take_place_in_office_hours_of_their_zone():
    accounts_demo.seed(io.StringIO())
    calls_demo.seed(io.StringIO())

    demo.seed(io.StringIO())

    hours = {
        event.title: (
            event.starts_at.astimezone(event.tz).hour,
            event.ends_at.astimezone(event.tz).hour,
        )
        for event in Event.objects.all()
    }
    assert hours == {demo.INFO_DAY: (10, 12), demo.TRAINING: (14, 16), demo.BROKERAGE: (9, 15)}
    brokerage = Event.objects.get(title=demo.BROKERAGE)
    placed = sorted(brokerage.meetings.values_list("slot", "table"))
    assert len(placed) == brokerage.meeting_requests.count() > 0
    assert placed[0] == (0, 1)
    assert {slot for slot, _table in placed} == set(range(max(s for s, _t in placed) + 1))
    slides = EventMaterial.objects.get(title="Slides of the info day")
    assert slides.kind == "pdf"
    assert slides.file.read(5) == b"%PDF-"
