"""Django admin (superusers only): read-mostly views of the directory's data."""

from django.contrib import admin

from matchmaking.models import ExpressionOfInterest, OrganisationBlock, PartnerProfile


@admin.register(PartnerProfile)
class PartnerProfileAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "role_sought", "status", "published_at"]
    list_filter = ["status", "role_sought", "country"]
    search_fields = ["name", "summary", "keywords_text"]
    # Facet values change only through the services, which keep the facet tally exact.
    readonly_fields = [
        "name",
        "country",
        "nuts_region",
        "published_at",
        "status",
        "role_sought",
        "trl",
        "call",
        "stages",
        "sectors",
        "raw_materials",
    ]
    raw_id_fields = ["organisation", "contact_person"]


@admin.register(ExpressionOfInterest)
class ExpressionOfInterestAdmin(admin.ModelAdmin):
    list_display = ["sender", "receiver", "status", "created_at", "answered_at"]
    list_filter = ["status"]
    raw_id_fields = ["sender", "receiver", "sent_by", "answered_by"]
    readonly_fields = ["status", "answered_at", "created_at"]


@admin.register(OrganisationBlock)
class OrganisationBlockAdmin(admin.ModelAdmin):
    list_display = ["blocker", "blocked", "created_at"]
    raw_id_fields = ["blocker", "blocked", "blocked_by"]
