"""Django admin for superusers (staff work in /manage/vouchers/). Read-only: every change to a
voucher, an instalment or a payment goes through the services and the ledger."""

from django.contrib import admin

from vouchers.models import (
    BeneficiaryShare,
    Deliverable,
    Instalment,
    Payment,
    PaymentRequest,
    SupportService,
    Voucher,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ShareInline(admin.TabularInline):
    model = BeneficiaryShare
    extra = 0
    fields = ["organisation", "amount", "signed_at", "refused_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class InstalmentInline(ShareInline):
    model = Instalment
    fields = ["sequence", "label", "percent", "amount", "state", "approved_amount", "paid_amount"]
    readonly_fields = fields


@admin.register(Voucher)
class VoucherAdmin(ReadOnlyAdmin):
    list_display = ["agreement_number", "call", "amount", "state"]
    list_filter = ["state", "call"]
    search_fields = ["agreement_number", "application__acronym"]
    inlines = [ShareInline, InstalmentInline]


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ["bank_reference", "instalment", "beneficiary", "amount", "value_date"]
    search_fields = ["bank_reference", "idempotency_key"]


@admin.register(PaymentRequest)
class PaymentRequestAdmin(ReadOnlyAdmin):
    list_display = ["instalment", "amount", "state", "requested_by", "decided_by"]


@admin.register(Deliverable)
class DeliverableAdmin(ReadOnlyAdmin):
    list_display = ["title", "voucher", "due_date", "state"]


@admin.register(SupportService)
class SupportServiceAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "type", "provider", "date", "value"]
    list_filter = ["type"]
