"""Django admin for superusers only, read-only: evaluation records change through services
(state machine, ledger), never by hand here."""

from django.contrib import admin
from django.http import HttpRequest

from evaluation.models import (
    Assignment,
    Consensus,
    EligibilityCheck,
    EvaluatorInvitation,
    EvaluatorProfile,
    Score,
)


class ReadOnlyForSuperusers(admin.ModelAdmin):
    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request: HttpRequest, *args) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(EligibilityCheck)
class EligibilityCheckAdmin(ReadOnlyForSuperusers):
    list_display = ["application", "automatic_passed", "decision", "overridden", "decided_at"]
    list_select_related = ["application"]


@admin.register(EvaluatorInvitation)
class EvaluatorInvitationAdmin(ReadOnlyForSuperusers):
    list_display = ["email", "created_at", "expires_at", "accepted_at"]
    exclude = ["token"]


@admin.register(EvaluatorProfile)
class EvaluatorProfileAdmin(ReadOnlyForSuperusers):
    list_display = ["user", "country", "max_proposals", "declaration_accepted_at"]
    list_select_related = ["user"]


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyForSuperusers):
    list_display = ["application", "evaluator", "state", "match_score", "manual", "submitted_at"]
    list_select_related = ["application", "evaluator"]
    list_filter = ["state", "manual"]


@admin.register(Score)
class ScoreAdmin(ReadOnlyForSuperusers):
    list_display = ["assignment", "criterion", "value"]
    list_select_related = ["assignment", "criterion"]


@admin.register(Consensus)
class ConsensusAdmin(ReadOnlyForSuperusers):
    list_display = ["application", "rapporteur", "state", "concluded_at"]
    list_select_related = ["application", "rapporteur"]
