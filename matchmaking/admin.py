"""Django admin (superusers only): read-mostly views of the directory's data."""

from django.contrib import admin

from matchmaking.models import ExpressionOfInterest, OrganisationBlock, PartnerProfile


@admin.register(PartnerProfile)
class PartnerProfileAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "role_sought", "status", "published_at"]
    list_filter = ["status", "role_sought", "country"]
    search_fields = ["name", "summary", "keywords_text"]

    # Profiles change only through `services.save_profile` and the publish services, which keep
    # the derived texts, the search vector, the keyword bits and the facet tally in step: the
    # admin shows them (for support), it does not edit them.
    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.concrete_fields if field.editable]

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
