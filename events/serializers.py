"""Explicit output serializers of the public events (no online link: participants only)."""

from django.conf import settings
from django.urls import reverse
from rest_framework import serializers

from events.models import Event, EventMaterial


class MaterialSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(
        help_text="The link, or the address of the uploaded file's download."
    )

    class Meta:
        model = EventMaterial
        fields = ["title", "url"]

    def get_url(self, material: EventMaterial) -> str:
        if not material.is_file:
            return material.url
        path = reverse("events:material", args=[material.event_id, material.pk])
        return f"{settings.SITE_URL}{path}"


class EventSerializer(serializers.ModelSerializer):
    online = serializers.BooleanField(
        source="is_online", help_text="Held online (link for participants)."
    )
    call = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)

    class Meta:
        model = Event
        fields = [
            "id",
            "kind",
            "title",
            "description",
            "starts_at",
            "ends_at",
            "time_zone",
            "place",
            "online",
            "language",
            "capacity",
            "registration_deadline",
            "call",
            "state",
        ]


class EventDetailSerializer(EventSerializer):
    materials = serializers.SerializerMethodField(
        help_text="Slides and recordings, once the event has ended."
    )

    class Meta(EventSerializer.Meta):
        fields = [*EventSerializer.Meta.fields, "materials"]

    def get_materials(self, event: Event) -> list[dict[str, str]]:
        if not self.context.get("ended"):
            return []
        return MaterialSerializer(event.materials.all(), many=True).data
