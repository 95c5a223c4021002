"""Open data on events: no authentication, rate-limited (/api/v1/public/events/)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny

from events import selectors
from events.filters import EventFilter
from events.models import Event
from events.serializers import EventDetailSerializer, EventSerializer
from minegap.core.throttling import AnonRateThrottle


class EventPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class _Public:
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [AnonRateThrottle]


@extend_schema(summary="Published events (upcoming by default)", tags=["open data"])
class EventListView(_Public, generics.ListAPIView):
    serializer_class = EventSerializer
    filterset_class = EventFilter
    pagination_class = EventPagination

    def get_queryset(self):
        return selectors.public_events()


@extend_schema(summary="A published event, with its materials once it ended", tags=["open data"])
class EventDetailView(_Public, generics.RetrieveAPIView):
    serializer_class = EventDetailSerializer
    filter_backends: list = []

    def get_queryset(self):
        return selectors.public_events()

    def get_object(self) -> Event:
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def get_serializer_context(self) -> dict:
        context = super().get_serializer_context()
        if "pk" in self.kwargs:
            event = self.get_object()
            context["ended"] = selectors.has_ended(event)
        return context
