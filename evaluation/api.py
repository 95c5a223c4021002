"""Evaluation API: the evaluator's assignments (blind view-models) and the call ranking."""

from dataclasses import asdict

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from calls.models import Call
from evaluation import selectors
from evaluation.ranking_pages import RANKING_PAGE_SIZE, StoredRanking, ranking_error_text
from minegap.core.api import HasMFA
from minegap.core.permissions import NamedPermission


class IsActiveEvaluator(NamedPermission):
    message = "Only evaluators who accepted the declaration."
    permission = "evaluation.evaluate_proposals"


class EvaluatorAssignmentRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    call_title = serializers.CharField()
    title = serializers.CharField(help_text="Empty until no conflict is declared.")
    state = serializers.CharField()
    match_score = serializers.IntegerField()
    submitted_at = serializers.DateTimeField(allow_null=True)


class EvaluatorMemberSerializer(serializers.Serializer):
    role = serializers.CharField()
    country = serializers.CharField()
    is_lead = serializers.BooleanField()
    name = serializers.CharField(allow_null=True, help_text="Null when the call is blind.")


class EvaluatorAnswerSerializer(serializers.Serializer):
    question = serializers.CharField()
    text = serializers.CharField()


class EvaluatorAttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField()
    file_name = serializers.CharField()
    kind = serializers.CharField()
    size = serializers.IntegerField()


class EvaluatorScoreSerializer(serializers.Serializer):
    criterion_id = serializers.IntegerField()
    criterion = serializers.CharField()
    max_score = serializers.DecimalField(max_digits=3, decimal_places=1)
    value = serializers.DecimalField(max_digits=3, decimal_places=1, allow_null=True)
    justification = serializers.CharField(allow_blank=True)


class EvaluatorOtherSheetSerializer(serializers.Serializer):
    label = serializers.CharField()
    scores = EvaluatorScoreSerializer(many=True)


class EvaluatorProposalSerializer(serializers.Serializer):
    assignment_id = serializers.IntegerField()
    state = serializers.CharField()
    blind = serializers.BooleanField()
    reference = serializers.CharField()
    call_title = serializers.CharField()
    title = serializers.CharField(allow_blank=True)
    acronym = serializers.CharField(allow_blank=True)
    summary = serializers.CharField(allow_blank=True)
    voucher_type = serializers.CharField(allow_blank=True)
    members = EvaluatorMemberSerializer(many=True)
    answers = EvaluatorAnswerSerializer(many=True)
    attachments = EvaluatorAttachmentSerializer(many=True)
    my_scores = EvaluatorScoreSerializer(many=True)
    others = EvaluatorOtherSheetSerializer(many=True)


class EvaluatorAssignmentList(APIView):
    permission_classes = [IsAuthenticated, HasMFA, IsActiveEvaluator]

    @extend_schema(responses=EvaluatorAssignmentRowSerializer(many=True), tags=["evaluation"])
    def get(self, request: Request) -> Response:
        rows = selectors.evaluator_rows(request.user)
        return Response(EvaluatorAssignmentRowSerializer([asdict(r) for r in rows], many=True).data)


class EvaluatorAssignmentDetail(APIView):
    permission_classes = [IsAuthenticated, HasMFA, IsActiveEvaluator]

    @extend_schema(responses=EvaluatorProposalSerializer, tags=["evaluation"])
    def get(self, request: Request, pk: int) -> Response:
        assignment = selectors.readable_assignment(request.user, pk)
        if assignment is None:
            raise Http404
        return Response(
            EvaluatorProposalSerializer(asdict(selectors.proposal_view(assignment))).data
        )


class CanViewRanking(NamedPermission):
    message = "Only consortium staff and committee members."
    permission = "evaluation.view_ranking"


class FailedThresholdSerializer(serializers.Serializer):
    criterion = serializers.CharField(allow_null=True, help_text="Null: the total.")
    score = serializers.DecimalField(max_digits=6, decimal_places=2)
    threshold = serializers.DecimalField(max_digits=6, decimal_places=2)


class RankingEntrySerializer(serializers.Serializer):
    reference = serializers.CharField()
    position = serializers.IntegerField()
    rank = serializers.IntegerField(allow_null=True, help_text="Null below a threshold.")
    scores = serializers.DictField(
        child=serializers.DecimalField(max_digits=5, decimal_places=2),
        help_text="Final score per criterion name (consensus or mean, 2 decimals half up).",
    )
    total = serializers.DecimalField(max_digits=7, decimal_places=2)
    weighted_total = serializers.DecimalField(max_digits=9, decimal_places=4)
    passed = serializers.BooleanField()
    failed_thresholds = FailedThresholdSerializer(many=True)
    decided_by = serializers.CharField(
        allow_null=True, help_text="What placed it below the one above."
    )
    proposed_outcome = serializers.ChoiceField(choices=["fund", "reserve", "reject"])


class RankingPagination(PageNumberPagination):
    """The pages of the stored ranking (`evaluation.ranking_pages`), as the staff page shows."""

    page_size = RANKING_PAGE_SIZE


class CallRanking(GenericAPIView):
    """The call's ranking, a page at a time (`?page=`), in rank order."""

    permission_classes = [IsAuthenticated, HasMFA, CanViewRanking]
    pagination_class = RankingPagination
    serializer_class = RankingEntrySerializer
    queryset = Call.objects.none()  # only tells the schema what the slug names

    @extend_schema(responses=RankingEntrySerializer(many=True), tags=["evaluation"])
    def get(self, request: Request, slug: str) -> Response:
        call = get_object_or_404(Call, slug=slug)
        ranking = StoredRanking(call)
        if ranking.summary.error:
            raise ValidationError(ranking_error_text(ranking.summary.error))
        # The page's positions (the paginator checks the page number on them), then the page's
        # entries as serialized once per version of the ranking: the same for every reader.
        positions = self.paginate_queryset(range(len(ranking)))
        start = positions[0] if positions else 0
        entries = ranking.cache.cached(
            f"ranking:api-page:{RANKING_PAGE_SIZE}:{start}",
            lambda: _serialized(ranking, ranking[start : start + len(positions)]),
        )
        return self.get_paginated_response(entries)


def _serialized(ranking: StoredRanking, lines) -> list:
    criteria = ranking.summary.criteria
    labels = {c.code: c.label for c in criteria}
    data = [
        {
            "reference": line.reference,
            "position": line.position,
            "rank": line.rank,
            # Empty on a frozen ranking the live scores no longer explain (`details`).
            "scores": {c.label: value for c, value in zip(criteria, line.scores, strict=True)}
            if line.details
            else {},
            "total": line.total,
            "weighted_total": line.weighted_total,
            "passed": line.passed,
            "failed_thresholds": [
                {
                    "criterion": labels.get(f.criterion) if f.criterion else None,
                    "score": f.score,
                    "threshold": f.threshold,
                }
                for f in line.failed_thresholds
            ],
            "decided_by": line.decided_by,
            "proposed_outcome": line.proposed_outcome,
        }
        for line in lines
    ]
    # A plain list (DRF's ReturnList would pickle its serializer into the cache).
    return list(RankingEntrySerializer(data, many=True).data)
