"""Django admin for superusers only: staff work in /manage/, not here."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest

from accounts.models import (
    ApiToken,
    ApiTokenUse,
    Invitation,
    Membership,
    Organisation,
    RelatedEnterpriseRow,
    SMEDeclaration,
    User,
)


class SuperuserOnly:
    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request: HttpRequest, *args) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser


@admin.register(User)
class UserAdmin(SuperuserOnly, BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "is_superuser", "date_joined"]
    search_fields = ["email", "full_name"]
    list_filter = ["is_active", "is_superuser", "groups"]
    fieldsets = [
        (None, {"fields": ["email", "password", "full_name"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]})
    ]
    filter_horizontal = ["groups"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(SuperuserOnly, admin.ModelAdmin):
    list_display = ["legal_name", "country", "vat_number", "type", "created_at"]
    list_filter = ["country", "type"]
    search_fields = ["legal_name", "short_name", "vat_number", "pic"]
    inlines = [MembershipInline]


@admin.register(Invitation)
class InvitationAdmin(SuperuserOnly, admin.ModelAdmin):
    list_display = ["email", "organisation", "role", "created_at", "expires_at", "accepted_at"]
    search_fields = ["email", "organisation__legal_name"]
    raw_id_fields = ["organisation", "invited_by", "accepted_by"]
    readonly_fields = ["token"]


class RelatedEnterpriseInline(admin.TabularInline):
    model = RelatedEnterpriseRow
    extra = 0


@admin.register(SMEDeclaration)
class SMEDeclarationAdmin(SuperuserOnly, admin.ModelAdmin):
    """Read-only: declarations are signed by applicants and kept as filed."""

    list_display = [
        "organisation",
        "version",
        "category",
        "signed_by",
        "signed_at",
        "superseded_at",
    ]
    list_filter = ["category"]
    search_fields = ["organisation__legal_name"]
    inlines = [RelatedEnterpriseInline]

    def has_add_permission(self, request: HttpRequest, *args) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class ReadOnly:
    def has_add_permission(self, request: HttpRequest, *args) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(ApiTokenUse)
class ApiTokenUseAdmin(ReadOnly, SuperuserOnly, admin.ModelAdmin):
    list_display = ["at", "token", "method", "path", "client_address"]
    search_fields = ["token__name", "token__user__email", "path", "client_address"]
    date_hierarchy = "at"
    list_select_related = ["token__user"]
    raw_id_fields = ["token"]


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnly, SuperuserOnly, admin.ModelAdmin):
    """Read-only: owners create and revoke their tokens on their account page, through the
    services that write the ledger (the digest of the secret is not shown)."""

    list_display = [
        "name",
        "user",
        "mfa_verified",
        "created_at",
        "expires_at",
        "revoked_at",
        "last_used_at",
    ]
    list_filter = ["mfa_verified"]
    search_fields = ["name", "user__email"]
    fields = list_display
    readonly_fields = list_display
    list_select_related = ["user"]
