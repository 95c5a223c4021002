"""Public API of published calls: no authentication, rate-limited."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.permissions import AllowAny

from calls import selectors
from calls.models import Call, VoucherType
from minegap.core.throttling import AnonRateThrottle


class VoucherTypeSerializer(serializers.ModelSerializer):
    class Meta:
        model = VoucherType
        fields = ["name", "cap_per_sme"]


class PublicCallSerializer(serializers.ModelSerializer):
    status = serializers.SerializerMethodField(help_text="Effective state, from the clock.")
    voucher_types = VoucherTypeSerializer(many=True, read_only=True)

    class Meta:
        model = Call
        fields = [
            "slug",
            "code",
            "title",
            "summary",
            "status",
            "opens_at",
            "closes_at",
            "time_zone",
            "total_budget",
            "cap_per_project",
            "cap_per_third_party",
            "lifetime_cap_per_sme",
            "min_members",
            "max_members",
            "min_countries",
            "require_adopter_and_provider",
            "eligible_countries",
            "voucher_types",
        ]
        read_only_fields = fields

    def get_status(self, call: Call) -> str:
        return call.effective_state


@extend_schema_view(
    list=extend_schema(summary="Published calls", tags=["calls"]),
    retrieve=extend_schema(summary="One published call", tags=["calls"]),
)
class PublicCallViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PublicCallSerializer
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [AnonRateThrottle]
    lookup_field = "slug"

    def get_queryset(self):
        return selectors.published_calls()
