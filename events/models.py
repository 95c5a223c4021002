"""Events the programme holds (info days, trainings, brokerage...): data only; every change goes
through `events.services`."""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from calls.models import Call


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
    """Slides or recordings (a link to where they are hosted), public once the event ended."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("link"))
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "pk"]

    def __str__(self) -> str:
        return self.title


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
