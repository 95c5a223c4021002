"""Open data: the programme's impact (no authentication, rate-limited, cached), the same figures
as the public impact pages."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from impact.models import IndicatorKind, ReportingStage
from public.api import PublicAPIMixin
from public.views_impact import figures


class ImpactFigureSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=ReportingStage.choices)
    reported = serializers.IntegerField(help_text="Beneficiaries that reported a value.")
    beneficiaries = serializers.IntegerField(
        help_text="Beneficiaries asked so far (their stage has opened)."
    )
    total = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)
    median = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)
    yes = serializers.IntegerField(allow_null=True, help_text="Yes/no indicators: answers yes.")
    suppressed = serializers.BooleanField(
        help_text="Too few reports to publish the figures (the counts stay)."
    )


class ImpactChangeSerializer(serializers.Serializer):
    pairs = serializers.IntegerField(help_text="Beneficiaries that reported baseline and final.")
    baseline_total = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)
    final_total = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)
    percent = serializers.DecimalField(max_digits=12, decimal_places=1, allow_null=True)
    suppressed = serializers.BooleanField()


class ImpactGroupSerializer(serializers.Serializer):
    group = serializers.CharField(
        help_text="A call's slug, an ISO country code or a value-chain stage code."
    )
    label = serializers.CharField()
    figures = ImpactFigureSerializer(many=True)
    change = ImpactChangeSerializer(allow_null=True)


class ImpactIndicatorSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="A preset's key (added up across calls) or a call's own.")
    name = serializers.CharField()
    unit = serializers.CharField()
    kind = serializers.ChoiceField(choices=IndicatorKind.choices)
    overall = ImpactGroupSerializer()
    per_call = ImpactGroupSerializer(many=True)
    per_country = ImpactGroupSerializer(many=True)
    per_value_chain_stage = ImpactGroupSerializer(many=True)


@extend_schema(
    summary="Impact of the funded projects",
    tags=["open data"],
    responses=ImpactIndicatorSerializer(many=True),
)
class ImpactView(PublicAPIMixin, APIView):
    renderer_classes = [JSONRenderer]

    def get(self, request: Request) -> Response:
        return Response(ImpactIndicatorSerializer(figures(), many=True).data)
