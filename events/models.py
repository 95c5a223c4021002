"""Events the programme holds (info days, trainings, brokerage...): data only; every change goes
through `events.services`."""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from calls.models import Application, Call, FileKind
from calls.storage import private_upload_to


class EventKind(models.TextChoices):
    INFO_DAY = "info_day", _("Info day")
    TRAINING = "training", _("Training or webinar")
    BROKERAGE = "brokerage", _("B2B brokerage")
    PITCH = "pitch", _("Pitch or invest day")
    TRADE_MISSION = "trade_mission", _("Trade mission")
    OTHER = "other", _("Other")


class EventState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CANCELLED = "cancelled", _("Cancelled")

    @classmethod
    def editable(cls) -> tuple[str, ...]:
        return (cls.DRAFT, cls.PUBLISHED)


def validate_time_zone(name: str) -> None:
    try:
        ZoneInfo(name)
    except (KeyError, ValueError) as error:
        raise ValidationError(
            _("%(name)s is not a known time zone."), params={"name": name}
        ) from error


class Event(models.Model):
    """Start and end are stored as aware datetimes (UTC in the database) and shown in the
    event's own `time_zone`, the way the call's deadlines are."""

    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=5000)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Brussels", validators=[validate_time_zone]
    )
    place = models.CharField(_("place"), max_length=300, blank=True)
    # Shown only to registered participants (the public page says "online").
    online_link = models.URLField(_("online link"), blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    capacity = models.PositiveIntegerField(_("capacity"))
    registration_deadline = models.DateTimeField(_("registration deadline"))
    call = models.ForeignKey(
        Call,
        verbose_name=_("open call"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    state = models.CharField(
        _("state"), max_length=20, choices=EventState.choices, default=EventState.DRAFT
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="event_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(registration_deadline__lte=F("ends_at")),
                name="event_registration_closes_before_end",
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="event_capacity_positive"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @property
    def is_online(self) -> bool:
        return bool(self.online_link)


class EventMaterial(models.Model):
    """Slides or recordings, public once the event ended: a link to where they are hosted, or a
    file uploaded here (type detected from its content, stored under a random private name and
    served by `events:material`, which checks the event has ended)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("link"), blank=True)
    file = models.FileField(_("file"), upload_to=private_upload_to("events/materials"), blank=True)
    kind = models.CharField(_("type"), max_length=10, choices=FileKind.choices, blank=True)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(url="") & ~Q(file="") & ~Q(kind=""))
                | (~Q(url="") & Q(file="") & Q(kind="")),
                name="event_material_link_or_file",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_file(self) -> bool:
        return bool(self.file)


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")

    @classmethod
    def active(cls) -> tuple[str, ...]:
        return (cls.CONFIRMED, cls.WAITING)


class Registration(models.Model):
    """A person's place at an event (for an organisation where the event asks for one). The
    waiting list is the WAITING rows in the order they registered."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_registrations"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("on behalf of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=20, choices=RegistrationStatus.choices)
    registered_at = models.DateTimeField(auto_now_add=True)
    status_changed_at = models.DateTimeField(auto_now=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    attended = models.BooleanField(_("attended"), null=True, blank=True)

    class Meta:
        ordering = ["registered_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=Q(status__in=["confirmed", "waiting"]),
                name="event_one_active_registration_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.event_id}/{self.user_id}: {self.status}"


# --- B2B brokerage: the meeting grid, participants' profiles, requests and meetings ---------------


class BrokerageSettings(models.Model):
    """The meeting grid of a brokerage event: meetings of `meeting_minutes` at `tables` tables,
    run inside the event's `BrokerageSession` windows (or across the whole event when it has
    none). The grid's slots are numbered 0, 1, 2... in time order: see `events.brokerage_grid`."""

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="brokerage")
    meeting_minutes = models.PositiveSmallIntegerField(_("meeting length (minutes)"), default=20)
    tables = models.PositiveSmallIntegerField(_("number of tables"), default=10)
    scheduled_at = models.DateTimeField(_("last scheduled"), null=True, blank=True)

    class Meta:
        verbose_name = _("brokerage settings")
        verbose_name_plural = _("brokerage settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(meeting_minutes__gte=5, meeting_minutes__lte=240),
                name="brokerage_meeting_minutes_5_240",
            ),
            models.CheckConstraint(condition=Q(tables__gte=1), name="brokerage_tables_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.event_id}: {self.meeting_minutes} min x {self.tables}"


class BrokerageSession(models.Model):
    """A window of one-to-one meetings (e.g. 10:00-12:30 and 14:00-16:00), inside the event."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="brokerage_sessions")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="brokerage_session_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.event_id}: {self.starts_at:%Y-%m-%d %H:%M}-{self.ends_at:%H:%M}"


class BrokerageProfile(models.Model):
    """What a confirmed participant offers and seeks at this event (their organisation's partner
    profile's texts by default), and the slots they can attend: `available_slots` is a list of
    slot numbers, or null for "the whole grid"."""

    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="brokerage_profile"
    )
    offer = models.TextField(_("what we offer"), max_length=2000, blank=True)
    seek = models.TextField(_("what we seek"), max_length=2000, blank=True)
    available_slots = models.JSONField(_("available slots"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("brokerage profile")

    def __str__(self) -> str:
        return f"{self.registration_id}"

    def is_available(self, slot: int) -> bool:
        return self.available_slots is None or slot in self.available_slots


class MeetingRequestState(models.TextChoices):
    REQUESTED = "requested", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")

    @classmethod
    def active(cls) -> tuple[str, ...]:
        return (cls.REQUESTED, cls.ACCEPTED)


class MeetingRequest(models.Model):
    """One confirmed participant asks another of the same brokerage event for a one-to-one
    meeting: requested -> accepted | declined | cancelled (accepted -> cancelled too). An
    accepted request gets its `Meeting` (slot and table) when the grid has room for it."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="meeting_requests")
    requester = models.ForeignKey(
        Registration,
        verbose_name=_("from"),
        on_delete=models.CASCADE,
        related_name="meeting_requests_sent",
    )
    addressee = models.ForeignKey(
        Registration,
        verbose_name=_("to"),
        on_delete=models.CASCADE,
        related_name="meeting_requests_received",
    )
    message = models.TextField(_("message"), max_length=1000, blank=True)
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=MeetingRequestState.choices,
        default=MeetingRequestState.REQUESTED,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(requester=F("addressee")), name="meeting_request_not_to_oneself"
            ),
            models.UniqueConstraint(
                fields=["requester", "addressee"],
                condition=Q(state__in=["requested", "accepted"]),
                name="meeting_request_one_active_per_pair",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.requester_id}->{self.addressee_id}: {self.state}"

    @property
    def participant_ids(self) -> tuple[int, int]:
        return (self.requester_id, self.addressee_id)

    def other_side(self, registration: Registration) -> Registration:
        """The side of this request that is not `registration`."""
        return self.addressee if self.requester_id == registration.pk else self.requester


class Meeting(models.Model):
    """Where and when an accepted request is held: slot `slot` of the event's grid (its start
    and end copied in `starts_at`/`ends_at`) at table `table` (1-based). One meeting per table
    and slot; nobody twice in a slot (each participant's `MeetingSeat` is unique per slot)."""

    request = models.OneToOneField(MeetingRequest, on_delete=models.CASCADE, related_name="meeting")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="meetings")
    slot = models.PositiveIntegerField(_("slot"))
    table = models.PositiveIntegerField(_("table"))
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    placed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["slot", "table"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "slot", "table"], name="meeting_one_per_table_and_slot"
            ),
            models.CheckConstraint(condition=Q(table__gte=1), name="meeting_table_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.event_id}: slot {self.slot} table {self.table}"


class MeetingSeat(models.Model):
    """A participant's seat at a meeting, one per side: the database's guarantee that nobody
    has two meetings in the same slot (`event` and `slot` repeat the meeting's, kept in step by
    the services that place and move meetings)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="seats")
    participant = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="meeting_seats"
    )
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    slot = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["event", "slot", "participant"], name="meeting_seat_one_per_person_slot"
            ),
            models.UniqueConstraint(
                fields=["meeting", "participant"], name="meeting_seat_once_per_meeting"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} @ {self.event_id}/{self.slot}"


# --- After a brokerage event: what its meetings led to ---------------------------------------------


class MeetingOutcome(models.Model):
    """A participant's word, after the event, on whether a meeting of theirs led to a consortium
    (each side says it for themselves; a meeting "formed a consortium" when either side says so)."""

    meeting_request = models.ForeignKey(
        MeetingRequest, on_delete=models.CASCADE, related_name="outcomes"
    )
    participant = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="meeting_outcomes"
    )
    led_to_consortium = models.BooleanField(_("led to a consortium"))
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["meeting_request", "participant"], name="meeting_outcome_one_per_side"
            )
        ]

    def __str__(self) -> str:
        return f"{self.meeting_request_id}/{self.participant_id}: {self.led_to_consortium}"


class MeetingApplication(models.Model):
    """An application started together from an accepted meeting: the link back to the meeting
    (the calls app knows nothing of events; this row is the events app's)."""

    meeting_request = models.ForeignKey(
        MeetingRequest, on_delete=models.PROTECT, related_name="applications"
    )
    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.meeting_request_id} -> {self.application_id}"
