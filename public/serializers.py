"""Explicit output serializers of the open data: organisations and amounts, never people."""

from rest_framework import serializers

from calls.models import Application, Call, ConsortiumMember
from public.selectors import duration_months

DURATION_HELP = (
    "Months from the voucher's signature to its last deliverable's due date; before a voucher, "
    "the planned duration of a MineGap voucher; null for calls run before MineGap."
)
FACET_HELP = "Codes from the SME's published partner profile (empty without one)."


def euros(value) -> str:
    return f"{value or 0:.2f}"


SUBMITTED_HELP = "As submitted (the last submitted version), never a later edit."


class FiguresSerializer(serializers.Serializer):
    calls = serializers.IntegerField()
    proposals_received = serializers.IntegerField()
    proposals_eligible = serializers.IntegerField()
    projects_funded = serializers.IntegerField()
    smes_funded = serializers.IntegerField(help_text="Distinct organisations awarded money.")
    countries = serializers.IntegerField(help_text="Distinct countries of the funded SMEs.")
    total_awarded = serializers.CharField(help_text="Euros, a decimal string with two decimals.")


class EventFiguresSerializer(serializers.Serializer):
    events_held = serializers.IntegerField(help_text="Published events that have ended.")
    participants = serializers.IntegerField(help_text="Confirmed places at those events.")
    meetings_held = serializers.IntegerField(help_text="One-to-one meetings placed at them.")
    consortia_formed = serializers.IntegerField(
        help_text="Meetings held that a participant says led to a consortium."
    )
    funded_consortia_met = serializers.IntegerField(
        help_text="Funded projects with two members that held a meeting at an event."
    )


class StatsSerializer(FiguresSerializer):
    per_call = serializers.DictField(child=FiguresSerializer(), help_text="Keyed by call slug.")


class PublicCallFiguresSerializer(serializers.ModelSerializer):
    status = serializers.SerializerMethodField()
    proposals_received = serializers.IntegerField()
    proposals_eligible = serializers.IntegerField()
    projects_funded = serializers.IntegerField()
    smes_funded = serializers.IntegerField()
    countries = serializers.IntegerField()
    total_awarded = serializers.SerializerMethodField()

    class Meta:
        model = Call
        fields = [
            "slug",
            "code",
            "title",
            "status",
            "opens_at",
            "closes_at",
            "proposals_received",
            "proposals_eligible",
            "projects_funded",
            "smes_funded",
            "countries",
            "total_awarded",
        ]
        read_only_fields = fields

    def get_status(self, call: Call) -> str:
        return call.effective_state

    def get_total_awarded(self, call: Call) -> str:
        return euros(call.total_awarded)


class ProjectBeneficiarySerializer(serializers.ModelSerializer):
    legal_name = serializers.CharField(source="organisation.legal_name")
    country = serializers.CharField(source="organisation.country")
    nuts_region = serializers.CharField(source="organisation.nuts_region")
    stages = serializers.ListField(child=serializers.CharField(), help_text=FACET_HELP)
    sectors = serializers.ListField(child=serializers.CharField(), help_text=FACET_HELP)
    raw_materials = serializers.ListField(child=serializers.CharField(), help_text=FACET_HELP)
    amount = serializers.SerializerMethodField()

    class Meta:
        model = ConsortiumMember
        fields = [
            "legal_name",
            "country",
            "nuts_region",
            "stages",
            "sectors",
            "raw_materials",
            "amount",
        ]
        read_only_fields = fields

    def get_amount(self, member: ConsortiumMember) -> str:
        return euros(member.awarded_amount)


class ProjectSerializer(serializers.ModelSerializer):
    acronym = serializers.CharField(source="submitted_acronym", help_text=SUBMITTED_HELP)
    title = serializers.CharField(source="submitted_title", help_text=SUBMITTED_HELP)
    summary = serializers.CharField(source="submitted_summary", help_text=SUBMITTED_HELP)
    call = serializers.CharField(source="call.slug")
    call_title = serializers.CharField(source="call.title")
    voucher_type = serializers.SerializerMethodField()
    award_date = serializers.DateField()
    start_date = serializers.DateField(
        source="project_start",
        allow_null=True,
        help_text="Voucher signature (its drafting until signed); null without a voucher, as for "
        "projects of calls run before MineGap.",
    )
    end_date = serializers.DateField(
        source="project_end",
        allow_null=True,
        help_text="Last deliverable due; null without a voucher or its deliverables.",
    )
    duration_months = serializers.SerializerMethodField(help_text=DURATION_HELP)
    amount = serializers.SerializerMethodField()
    beneficiaries = ProjectBeneficiarySerializer(many=True)

    class Meta:
        model = Application
        fields = [
            "id",
            "acronym",
            "title",
            "summary",
            "call",
            "call_title",
            "voucher_type",
            "state",
            "award_date",
            "start_date",
            "end_date",
            "duration_months",
            "amount",
            "beneficiaries",
        ]
        read_only_fields = fields

    def get_duration_months(self, project: Application) -> int | None:
        return duration_months(project)[0]

    def get_voucher_type(self, project: Application) -> str:
        return project.voucher_type.name if project.voucher_type else ""

    def get_amount(self, project: Application) -> str:
        return euros(project.awarded_total)


class BeneficiarySerializer(serializers.ModelSerializer):
    legal_name = serializers.CharField(source="organisation.legal_name")
    country = serializers.CharField(source="organisation.country")
    nuts_region = serializers.CharField(source="organisation.nuts_region")
    project_id = serializers.IntegerField(source="application.id")
    project_acronym = serializers.CharField(source="submitted_acronym", help_text=SUBMITTED_HELP)
    project_title = serializers.CharField(source="submitted_title", help_text=SUBMITTED_HELP)
    description = serializers.CharField(source="submitted_summary", help_text=SUBMITTED_HELP)
    call = serializers.CharField(source="application.call.slug")
    award_date = serializers.DateField()
    duration_months = serializers.SerializerMethodField(help_text=DURATION_HELP)
    amount = serializers.SerializerMethodField()

    class Meta:
        model = ConsortiumMember
        fields = [
            "legal_name",
            "country",
            "nuts_region",
            "project_id",
            "project_acronym",
            "project_title",
            "description",
            "call",
            "award_date",
            "duration_months",
            "amount",
        ]
        read_only_fields = fields

    def get_duration_months(self, member: ConsortiumMember) -> int | None:
        return duration_months(member)[0]

    def get_amount(self, member: ConsortiumMember) -> str:
        return euros(member.awarded_amount)
