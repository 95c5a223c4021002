"""The public events list's filters (django-filter), shared by the page and the API."""

import django_filters
from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from calls.models import Call
from events.models import Event, EventKind, EventState

WHEN_CHOICES = [("upcoming", _("Upcoming")), ("past", _("Past"))]


def calls_with_events() -> QuerySet[Call]:
    """The calls that published events belong to: the filter offers no call without any."""
    return Call.objects.filter(
        pk__in=Event.objects.filter(
            state__in=(EventState.PUBLISHED, EventState.CANCELLED), call__isnull=False
        ).values("call_id")
    ).order_by("title")


class EventFilter(django_filters.FilterSet):
    when = django_filters.ChoiceFilter(
        label=_("When"), choices=WHEN_CHOICES, method="filter_when", empty_label=None
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=EventKind.choices)
    language = django_filters.ChoiceFilter(label=_("Language"), choices=settings.LANGUAGES)
    call = django_filters.ModelChoiceFilter(
        label=_("Open call"), queryset=lambda request: calls_with_events(), empty_label=_("Any")
    )

    class Meta:
        model = Event
        fields = ["when", "kind", "language", "call"]

    def __init__(self, data=None, *args, **kwargs):
        data = data.copy() if data is not None else {}
        data.setdefault("when", "upcoming")
        super().__init__(data, *args, **kwargs)

    def filter_when(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        now = timezone.now()
        if value == "past":
            return queryset.filter(ends_at__lte=now).order_by("-starts_at", "-pk")
        return queryset.filter(ends_at__gt=now).order_by("starts_at", "pk")
