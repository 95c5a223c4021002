"""Applicants' own applications over the API, and the staff list of a call's applications."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import ListAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from accounts.models import Organisation
from calls import selectors, services
from calls.filters import StaffApplicationFilter
from calls.models import (
    Application,
    ApplicationState,
    ApplicationVersion,
    Call,
    ConsortiumMember,
)
from calls.staff_list import staff_rows
from minegap.core.api import HasMFA


class MemberSerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.legal_name", default=None)
    country = serializers.CharField(source="organisation.country", default=None)

    class Meta:
        model = ConsortiumMember
        fields = ["id", "organisation", "country", "is_lead", "status", "role", "requested_amount"]
        read_only_fields = fields


class ApplicationSerializer(serializers.ModelSerializer):
    call = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    lead_organisation = serializers.CharField(source="lead_organisation.legal_name", read_only=True)
    voucher_type = serializers.CharField(
        source="voucher_type.name", default=None, allow_null=True, read_only=True
    )
    members = MemberSerializer(many=True, read_only=True)
    answers = serializers.SerializerMethodField()

    class Meta:
        model = Application
        fields = [
            "id",
            "call",
            "reference",
            "state",
            "title",
            "acronym",
            "summary",
            "voucher_type",
            "lead_organisation",
            "submitted_at",
            "has_unsubmitted_changes",
            "members",
            "answers",
        ]
        read_only_fields = fields

    def get_answers(self, application: Application) -> dict[str, str]:
        return {str(a.question_id): a.text for a in application.answers.all()}


class ApplicationCreateSerializer(serializers.Serializer):
    call = serializers.SlugField(help_text="Slug of an open call.")
    organisation = serializers.IntegerField(help_text="Id of your organisation, the lead.")


class OverviewSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, allow_blank=True)
    acronym = serializers.CharField(max_length=30, allow_blank=True)
    summary = serializers.CharField(max_length=2000, allow_blank=True)
    voucher_type = serializers.IntegerField(allow_null=True, required=False)


class AnswerSerializer(serializers.Serializer):
    question = serializers.IntegerField()
    text = serializers.CharField(allow_blank=True, trim_whitespace=False)


class VersionSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(source="application.reference")

    class Meta:
        model = ApplicationVersion
        fields = ["reference", "number", "submitted_at"]
        read_only_fields = fields


PROBLEMS = inline_serializer(
    "SubmissionProblems",
    {
        "detail": serializers.ListField(child=serializers.CharField()),
        "problems": serializers.ListField(child=serializers.DictField()),
    },
)


@extend_schema_view(
    list=extend_schema(summary="My applications", tags=["applications"]),
    retrieve=extend_schema(summary="One of my applications", tags=["applications"]),
)
class ApplicationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Applications where one of your organisations is in the consortium."""

    serializer_class = ApplicationSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Application.objects.none()
        return selectors.applications_for_user(self.request.user).prefetch_related(
            "members__organisation", "answers"
        )

    @extend_schema(
        summary="Start an application",
        tags=["applications"],
        request=ApplicationCreateSerializer,
        responses={201: ApplicationSerializer},
    )
    def create(self, request):
        data = ApplicationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        call = get_object_or_404(Call, slug=data.validated_data["call"])
        organisation = get_object_or_404(Organisation, pk=data.validated_data["organisation"])
        application = services.create_application(
            call=call, organisation=organisation, actor=request.user
        )
        return Response(ApplicationSerializer(application).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Update the overview", tags=["applications"], request=OverviewSerializer)
    def partial_update(self, request, pk=None):
        application = self.get_object()
        # What the body names changes; the rest stays. A body that is not an object is a 400.
        data = OverviewSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = {
            "title": application.title,
            "acronym": application.acronym,
            "summary": application.summary,
            "voucher_type": application.voucher_type_id,
            **data.validated_data,
        }
        voucher_id = values.get("voucher_type")
        voucher = (
            get_object_or_404(application.call.voucher_types, pk=voucher_id) if voucher_id else None
        )
        services.update_overview(
            application=application,
            actor=request.user,
            title=values["title"],
            acronym=values["acronym"],
            summary=values["summary"],
            voucher_type=voucher,
        )
        return Response(ApplicationSerializer(self.get_queryset().get(pk=application.pk)).data)

    @extend_schema(
        summary="Save one answer",
        tags=["applications"],
        request=AnswerSerializer,
        responses={200: AnswerSerializer},
    )
    @action(detail=True, methods=["post"])
    def answers(self, request, pk=None):
        application = self.get_object()
        data = AnswerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        question = get_object_or_404(application.call.questions, pk=data.validated_data["question"])
        answer = services.save_answer(
            application=application,
            question=question,
            text=data.validated_data["text"],
            actor=request.user,
        )
        return Response({"question": question.pk, "text": answer.text})

    @extend_schema(
        summary="Submit (a new version)",
        tags=["applications"],
        request=None,
        responses={201: VersionSerializer, 400: PROBLEMS},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        application = self.get_object()
        try:
            version = services.submit_application(application=application, actor=request.user)
        except ValidationError as error:
            return Response(
                {
                    "detail": error.messages,
                    "problems": [
                        {"step": item.code or "", "message": " ".join(item.messages)}
                        for item in error.error_list
                    ],
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        return Response(VersionSerializer(version).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Withdraw (until the deadline)",
        tags=["applications"],
        request=None,
        responses={200: ApplicationSerializer},
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        application = self.get_object()
        services.withdraw_application(application=application, actor=request.user)
        return Response(ApplicationSerializer(self.get_queryset().get(pk=application.pk)).data)


class StaffApplicationSerializer(serializers.Serializer):
    """A row of the staff list (`calls.staff_list.StaffRow`): the application as submitted (a
    draft: as it stands)."""

    id = serializers.IntegerField(source="application.pk", read_only=True)
    reference = serializers.CharField(source="application.reference", allow_null=True)
    state = serializers.ChoiceField(choices=ApplicationState.choices, source="application.state")
    acronym = serializers.CharField()
    title = serializers.CharField()
    lead_organisation = serializers.CharField()
    countries = serializers.ListField(child=serializers.CharField())
    voucher_type = serializers.CharField(allow_null=True)
    requested_total = serializers.DecimalField(max_digits=12, decimal_places=2)
    submitted_at = serializers.DateTimeField(source="application.submitted_at", allow_null=True)


@extend_schema(summary="Applications of a call (staff)", tags=["applications"])
class StaffApplicationList(ListAPIView):
    serializer_class = StaffApplicationSerializer
    permission_classes = [IsAuthenticated, HasMFA]
    filterset_class = StaffApplicationFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Application.objects.none()
        if not self.request.user.has_perm("calls.manage_calls"):
            self.permission_denied(self.request, message=_("Only consortium staff."))
        call = get_object_or_404(Call, slug=self.kwargs["slug"])
        # StaffApplicationFilter validates the query string and filters through the selector.
        return Application.objects.filter(call=call)

    def list(self, request, *args, **kwargs):
        # The page's ids from the narrow query, then what the rows show: each row's last
        # submitted version (a draft: as it is).
        rows = staff_rows(self.paginate_queryset(self.filter_queryset(self.get_queryset())))
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)
