"""Evaluation API: the evaluator's assignments (blind view-models) and the call ranking."""

from dataclasses import asdict

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from evaluation import selectors
from minegap.core.api import HasMFA


class IsActiveEvaluator(BasePermission):
    message = "Only evaluators who accepted the declaration."

    def has_permission(self, request, view) -> bool:
        return request.user.has_perm("evaluation.evaluate") and bool(
            getattr(
                getattr(request.user, "evaluator_profile", None), "declaration_accepted_at", None
            )
        )


class AssignmentRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    call_title = serializers.CharField()
    title = serializers.CharField(help_text="Empty until no conflict is declared.")
    state = serializers.CharField()
    match_score = serializers.IntegerField()
    submitted_at = serializers.DateTimeField(allow_null=True)


class MemberSerializer(serializers.Serializer):
    role = serializers.CharField()
    country = serializers.CharField()
    is_lead = serializers.BooleanField()
    name = serializers.CharField(allow_null=True, help_text="Null when the call is blind.")


class AnswerSerializer(serializers.Serializer):
    question = serializers.CharField()
    text = serializers.CharField()


class AttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField()
    file_name = serializers.CharField()
    kind = serializers.CharField()
    size = serializers.IntegerField()


class ScoreSerializer(serializers.Serializer):
    criterion_id = serializers.IntegerField()
    criterion = serializers.CharField()
    max_score = serializers.DecimalField(max_digits=3, decimal_places=1)
    value = serializers.DecimalField(max_digits=3, decimal_places=1, allow_null=True)
    justification = serializers.CharField(allow_blank=True)


class OtherSheetSerializer(serializers.Serializer):
    label = serializers.CharField()
    scores = ScoreSerializer(many=True)


class ProposalSerializer(serializers.Serializer):
    assignment_id = serializers.IntegerField()
    state = serializers.CharField()
    blind = serializers.BooleanField()
    reference = serializers.CharField()
    call_title = serializers.CharField()
    title = serializers.CharField(allow_blank=True)
    acronym = serializers.CharField(allow_blank=True)
    summary = serializers.CharField(allow_blank=True)
    voucher_type = serializers.CharField(allow_blank=True)
    members = MemberSerializer(many=True)
    answers = AnswerSerializer(many=True)
    attachments = AttachmentSerializer(many=True)
    my_scores = ScoreSerializer(many=True)
    others = OtherSheetSerializer(many=True)


class EvaluatorAssignmentList(APIView):
    permission_classes = [IsAuthenticated, HasMFA, IsActiveEvaluator]

    @extend_schema(responses=AssignmentRowSerializer(many=True), tags=["evaluation"])
    def get(self, request: Request) -> Response:
        rows = selectors.evaluator_rows(request.user)
        return Response(AssignmentRowSerializer([asdict(r) for r in rows], many=True).data)


class EvaluatorAssignmentDetail(APIView):
    permission_classes = [IsAuthenticated, HasMFA, IsActiveEvaluator]

    @extend_schema(responses=ProposalSerializer, tags=["evaluation"])
    def get(self, request: Request, pk: int) -> Response:
        assignment = selectors.readable_assignment(request.user, pk)
        if assignment is None:
            raise Http404
        return Response(ProposalSerializer(asdict(selectors.proposal_view(assignment))).data)
