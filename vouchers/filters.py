"""Query-string filters of the staff vouchers API (django-filter): validated, and documented in
the OpenAPI schema from these declarations."""

import django_filters
from django.utils.translation import gettext_lazy as _

from vouchers.models import Instalment, InstalmentState, Payment, Voucher, VoucherState

UNKNOWN_STATE = {"invalid_choice": _("Unknown state.")}


class VoucherFilter(django_filters.FilterSet):
    call = django_filters.CharFilter(field_name="call__slug", help_text=_("Slug of the call."))
    state = django_filters.ChoiceFilter(choices=VoucherState.choices, error_messages=UNKNOWN_STATE)

    class Meta:
        model = Voucher
        fields = ["call", "state"]


class InstalmentFilter(django_filters.FilterSet):
    call = django_filters.CharFilter(
        field_name="voucher__call__slug", help_text=_("Slug of the call.")
    )
    state = django_filters.ChoiceFilter(
        choices=InstalmentState.choices, error_messages=UNKNOWN_STATE
    )

    class Meta:
        model = Instalment
        fields = ["call", "state"]


class PaymentFilter(django_filters.FilterSet):
    call = django_filters.CharFilter(
        field_name="instalment__voucher__call__slug", help_text=_("Slug of the call.")
    )

    class Meta:
        model = Payment
        fields = ["call"]
