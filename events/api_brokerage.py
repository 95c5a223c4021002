"""A brokerage participant's own meeting requests and meetings, read-only (the pages write):
/api/v1/events/<pk>/brokerage/requests/ and /meetings/. Only the event's confirmed
participants; each sees their own rows only."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.exceptions import PermissionDenied

from events import brokerage, brokerage_selectors
from events.models import (
    Event,
    EventKind,
    EventState,
    Meeting,
    MeetingRequest,
    MeetingRequestState,
    Registration,
)


def _organisation_name(side: Registration) -> str:
    return side.organisation.legal_name if side.organisation else ""


class PlacementSerializer(serializers.ModelSerializer):
    class Meta:
        model = Meeting
        fields = ["slot", "table", "starts_at", "ends_at"]


class MeetingRequestSerializer(serializers.ModelSerializer):
    sent = serializers.SerializerMethodField(help_text="True: I asked; false: I was asked.")
    other_organisation = serializers.SerializerMethodField()
    state = serializers.ChoiceField(choices=MeetingRequestState.choices)
    meeting = serializers.SerializerMethodField()

    class Meta:
        model = MeetingRequest
        fields = ["id", "sent", "other_organisation", "state", "message", "created_at", "meeting"]

    def _sent(self, obj: MeetingRequest) -> bool:
        return obj.requester_id == self.context["me"].pk

    def get_sent(self, obj: MeetingRequest) -> bool:
        return self._sent(obj)

    def get_other_organisation(self, obj: MeetingRequest) -> str:
        return _organisation_name(obj.other_side(self.context["me"]))

    @extend_schema_field(PlacementSerializer(allow_null=True))
    def get_meeting(self, obj: MeetingRequest) -> dict | None:
        meeting = getattr(obj, "meeting", None)
        return PlacementSerializer(meeting).data if meeting else None


class MeetingSerializer(serializers.ModelSerializer):
    other_organisation = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = ["id", "request", "slot", "table", "starts_at", "ends_at", "other_organisation"]

    def get_other_organisation(self, obj: Meeting) -> str:
        return _organisation_name(obj.request.other_side(self.context["me"]))


class _Mine(generics.ListAPIView):
    filter_backends: list = []

    def me(self):
        if not hasattr(self, "_me"):
            event = get_object_or_404(
                Event,
                pk=self.kwargs["pk"],
                kind=EventKind.BROKERAGE,
                state__in=(EventState.PUBLISHED, EventState.CANCELLED),
            )
            if not self.request.user.has_perm("events.take_part_in_brokerage", event):
                raise PermissionDenied("Only the event's confirmed participants.")
            self._me = brokerage.participation(event, self.request.user)
        return self._me

    def get_serializer_context(self) -> dict:
        context = super().get_serializer_context()
        if getattr(self, "swagger_fake_view", False):
            return context
        return {**context, "me": self.me()}


@extend_schema(summary="My meeting requests at a brokerage event (sent and received)")
class MyMeetingRequestsView(_Mine):
    serializer_class = MeetingRequestSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return MeetingRequest.objects.none()
        me = self.me()
        return brokerage_selectors.sent_requests(me) | brokerage_selectors.received_requests(me)


@extend_schema(summary="My placed meetings at a brokerage event, in time order")
class MyMeetingsView(_Mine):
    serializer_class = MeetingSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Meeting.objects.none()
        return brokerage_selectors.meetings_of(self.me())
