"""Django admin (superusers only): the ledger is read-only here too."""

from django.contrib import admin

from minegap.ledger.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("seq", "at", "actor", "action", "target_type", "target_id")
    list_filter = ("action",)
    search_fields = ("action", "target_type", "target_id")
    list_select_related = ("actor",)
    ordering = ("-seq",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
