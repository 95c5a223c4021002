"""Demo events: a past info day of Open Call 1 with its materials (a PDF of the slides and a
link to the recording), an upcoming training with participants, an upcoming brokerage event.
Times are office hours in each event's own time zone. Idempotent (found by title)."""

import itertools
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import Membership, User
from calls.models import Call, FileKind
from events import brokerage as brokerage_services
from events import registration, services
from events.models import Event, EventKind
from minegap.documents.services import render_pdf

STAFF_EMAIL = "staff@minegap.eu"
INFO_DAY = "Info day: MINE.THE.GAP Open Call 1"
TRAINING = "Webinar: writing a strong innovation-voucher proposal"
BROKERAGE = "B2B brokerage: mining meets digital"


def at(days: int, hour: int, time_zone: str) -> datetime:
    """`hour`:00 in `time_zone`, `days` from today there (negative: in the past)."""
    zone = ZoneInfo(time_zone)
    day = timezone.localdate(timezone=zone) + timedelta(days=days)
    return datetime.combine(day, time(hour), tzinfo=zone)


def seed(stdout) -> None:
    staff = User.objects.filter(email=STAFF_EMAIL).first()
    if staff is None or Event.objects.filter(title=INFO_DAY).exists():
        stdout.write("Events: nothing to add.")
        return
    call = Call.objects.filter(slug="mine-the-gap-open-call-1").first()

    held = at(-40, 10, "Europe/Brussels")
    info_day = services.create_event(
        actor=staff,
        kind=EventKind.INFO_DAY,
        title=INFO_DAY,
        description="What the call funds, who can apply and how proposals are evaluated, with "
        "questions and answers.",
        starts_at=held,
        ends_at=held + timedelta(hours=2),
        registration_deadline=at(-41, 17, "Europe/Brussels"),
        time_zone="Europe/Brussels",
        online_link="https://meet.example.eu/mtg-oc1-info-day",
        language="en",
        capacity=300,
        call=call,
    )
    services.publish_event(event=info_day, actor=staff)
    services.add_material(
        event=info_day,
        actor=staff,
        title="Slides of the info day",
        upload=SimpleUploadedFile(
            "slides.pdf",
            render_pdf("events/pdf/demo_slides.html", {"event": info_day}),
            content_type="application/pdf",
        ),
        kind=FileKind.PDF,
    )
    services.add_material(
        event=info_day,
        actor=staff,
        title="Recording of the info day",
        url="https://video.example.eu/mtg-oc1-info-day",
    )

    soon = at(12, 14, "Europe/Lisbon")
    training = services.create_event(
        actor=staff,
        kind=EventKind.TRAINING,
        title=TRAINING,
        description="Two hours on the evaluation criteria, the budget and the work plan.",
        starts_at=soon,
        ends_at=soon + timedelta(hours=2),
        registration_deadline=at(11, 12, "Europe/Lisbon"),
        time_zone="Europe/Lisbon",
        online_link="https://meet.example.eu/proposal-writing",
        language="en",
        capacity=3,
    )
    services.publish_event(event=training, actor=staff)
    applicants = (
        User.objects.filter(memberships__role=Membership.Role.ADMIN).distinct().order_by("pk")[:4]
    )
    for person in applicants:  # three places, the fourth waits
        registration.register(event=training, user=person)

    later = at(30, 9, "Europe/Stockholm")
    brokerage = services.create_event(
        actor=staff,
        kind=EventKind.BROKERAGE,
        title=BROKERAGE,
        description="One-to-one meetings between mining companies and technology providers.",
        starts_at=later,
        ends_at=later + timedelta(hours=6),
        registration_deadline=at(27, 17, "Europe/Stockholm"),
        time_zone="Europe/Stockholm",
        place="Luleå University of Technology, Luleå",
        language="en",
        capacity=120,
        call=call,
    )
    services.publish_event(event=brokerage, actor=staff)
    _fill_grid(brokerage, staff)
    stdout.write("Events: a past info day with materials, a training, a brokerage event.")


def _fill_grid(event: Event, staff: User) -> None:
    """The brokerage event's grid (20-minute meetings at six tables, morning and afternoon
    sessions) filled by the demo organisations' administrators meeting each other."""
    brokerage_services.configure_brokerage(
        event=event,
        actor=staff,
        meeting_minutes=20,
        tables=6,
        sessions=[
            (at(30, 10, event.time_zone), at(30, 12, event.time_zone)),
            (at(30, 13, event.time_zone), at(30, 15, event.time_zone)),
        ],
    )
    seats = []
    memberships = Membership.objects.filter(role=Membership.Role.ADMIN).select_related(
        "user", "organisation"
    )
    for membership in memberships.order_by("pk")[:8]:
        if any(seat.user_id == membership.user_id for seat in seats):
            continue
        seats.append(
            registration.register(
                event=event, user=membership.user, organisation=membership.organisation
            )
        )
    for first, second in itertools.combinations(seats, 2):
        if first.organisation_id == second.organisation_id:
            continue
        request = brokerage_services.request_meeting(
            requester=first, addressee=second, actor=first.user
        )
        brokerage_services.accept_meeting(meeting_request=request, actor=second.user)
