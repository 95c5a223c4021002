"""Explicit output serializers of the public events (no online link: participants only)."""

from rest_framework import serializers

from events.models import Event, EventMaterial


class MaterialSerializer(serializers.ModelSerializer):
    class Meta:
        model = EventMaterial
        fields = ["title", "url"]


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
