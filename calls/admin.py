"""Django admin for superusers (staff work in /manage/calls/). Read-mostly: state changes go
through the services, so states and money are read-only here."""

from django.contrib import admin

from calls.models import (
    Application,
    ApplicationVersion,
    AttachmentRequirement,
    Call,
    ConsortiumMember,
    Criterion,
    Question,
    VoucherType,
)


class VoucherTypeInline(admin.TabularInline):
    model = VoucherType
    extra = 0


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0


class AttachmentRequirementInline(admin.TabularInline):
    model = AttachmentRequirement
    extra = 0


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ["title", "code", "state", "opens_at", "closes_at"]
    search_fields = ["title", "slug", "code"]
    readonly_fields = ["state", "submission_counter", "published_at", "created_by"]
    inlines = [VoucherTypeInline, CriterionInline, QuestionInline, AttachmentRequirementInline]


class MemberInline(admin.TabularInline):
    model = ConsortiumMember
    extra = 0
    fields = [
        "organisation",
        "invited_email",
        "is_lead",
        "status",
        "role",
        "requested_amount",
        "awarded_amount",
    ]
    readonly_fields = fields
    can_delete = False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "call", "lead_organisation", "state", "submitted_at"]
    list_filter = ["state", "call"]
    search_fields = ["reference", "title", "acronym", "lead_organisation__legal_name"]
    readonly_fields = [
        "state",
        "reference",
        "submitted_at",
        "withdrawn_at",
        "has_unsubmitted_changes",
    ]
    list_select_related = ["call", "lead_organisation"]
    inlines = [MemberInline]


@admin.register(ApplicationVersion)
class ApplicationVersionAdmin(admin.ModelAdmin):
    list_display = ["application", "number", "submitted_at"]
    readonly_fields = [
        "application",
        "number",
        "submitted_at",
        "submitted_by",
        "snapshot",
        "receipt",
    ]
    list_select_related = ["application"]
