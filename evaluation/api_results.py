"""API: an application's published results, for its consortium (and staff with MFA)."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from calls.models import Application
from evaluation import selectors_results as selectors
from evaluation.esr import application_report


class ResultCommentSerializer(serializers.Serializer):
    author = serializers.CharField(help_text='"consensus" or "Evaluator N": never a name.')
    text = serializers.CharField()


class ResultCriterionSerializer(serializers.Serializer):
    criterion = serializers.CharField()
    score = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    max_score = serializers.DecimalField(max_digits=4, decimal_places=1)
    threshold = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True)
    weight = serializers.DecimalField(max_digits=4, decimal_places=2)
    passed = serializers.BooleanField(allow_null=True)
    comments = ResultCommentSerializer(many=True)


class ResultComplaintSerializer(serializers.Serializer):
    state = serializers.CharField()
    filed_at = serializers.DateTimeField()
    due_by = serializers.DateField()
    decision = serializers.CharField(allow_blank=True)
    decided_at = serializers.DateTimeField(allow_null=True)


class ApplicationResultsSerializer(serializers.Serializer):
    reference = serializers.CharField()
    call = serializers.CharField(help_text="The call's slug.")
    outcome = serializers.CharField(help_text="selected, reserve, rejected or ineligible.")
    rank_band = serializers.CharField()
    criteria = ResultCriterionSerializer(many=True)
    total = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    weighted_total = serializers.DecimalField(max_digits=8, decimal_places=3, allow_null=True)
    total_threshold = serializers.DecimalField(max_digits=5, decimal_places=2)
    passed = serializers.BooleanField(allow_null=True)
    failed_thresholds = serializers.ListField(child=serializers.CharField())
    eligibility_reason = serializers.CharField(allow_blank=True)
    published_at = serializers.DateTimeField()
    complaints_until = serializers.DateTimeField()
    summary_report_url = serializers.CharField(allow_null=True)
    complaints = ResultComplaintSerializer(many=True)


class ApplicationResults(APIView):
    """404 for anyone outside the consortium's confirmed organisations (staff excepted), and
    until the call's results are published."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=ApplicationResultsSerializer, tags=["evaluation"])
    def get(self, request: Request, pk: int) -> Response:
        application = get_object_or_404(Application.objects.select_related("call"), pk=pk)
        publication = selectors.check_results_access(request.user, application)
        report = application_report(application)
        summary_report = selectors.summary_report_of(application)
        data = {
            "reference": application.reference,
            "call": application.call.slug,
            "outcome": report.outcome,
            "rank_band": report.rank_band,
            "criteria": [
                {
                    "criterion": line.label,
                    "score": line.score,
                    "max_score": line.max_score,
                    "threshold": line.threshold,
                    "weight": line.weight,
                    "passed": line.passed,
                    "comments": [{"author": c.author, "text": c.text} for c in line.comments],
                }
                for line in report.criteria
            ],
            "total": report.total,
            "weighted_total": report.weighted_total,
            "total_threshold": report.total_threshold,
            "passed": report.passed,
            "failed_thresholds": list(report.failed_thresholds),
            "eligibility_reason": report.eligibility_reason,
            "published_at": publication.published_at,
            "complaints_until": publication.redress_closes_at,
            "summary_report_url": request.build_absolute_uri(
                reverse("evaluation:esr-download", args=[application.pk])
            )
            if summary_report and summary_report.pdf
            else None,
            "complaints": [
                {
                    "state": c.state,
                    "filed_at": c.filed_at,
                    "due_by": c.due_by,
                    "decision": c.decision,
                    "decided_at": c.decided_at,
                }
                for c in selectors.complaints_of(application)
            ],
        }
        return Response(ApplicationResultsSerializer(data).data)
