"""Forms of the vouchers pages. Irreversible steps carry a required confirmation box."""

import uuid
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from calls.models import Call
from vouchers.models import BeneficiaryShare, InstalmentShare, SupportType, VoucherState

MONEY_FIELD = {"max_digits": 12, "decimal_places": 2}


class ConfirmForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I confirm: this step cannot be undone."),
        required=True,
        error_messages={"required": _("Tick the box to confirm.")},
    )


class PublicForm(forms.Form):
    public = forms.BooleanField(label=_("Show on the public site"), required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class ConfirmReasonForm(ConfirmForm, ReasonForm):
    pass


class SignForm(forms.Form):
    password = forms.CharField(
        label=_("Your password (asked again to sign)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=_("I sign this agreement on behalf of my organisation."), required=True
    )


class RefuseForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    reason = forms.CharField(
        label=_("Why do you refuse?"), widget=forms.Textarea(attrs={"rows": 3})
    )
    confirm = forms.BooleanField(
        label=_("I refuse the voucher: the budget goes to another applicant."), required=True
    )


class AdjustSharesForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, shares: list[BeneficiaryShare], **kwargs):
        super().__init__(*args, **kwargs)
        self.shares = shares
        for share in shares:
            self.fields[f"share_{share.pk}"] = forms.DecimalField(
                label=_("Share of %(org)s (EUR)") % {"org": share.organisation.legal_name},
                initial=share.amount,
                min_value=Decimal("0.01"),
                **MONEY_FIELD,
            )
        self.order_fields([f"share_{s.pk}" for s in shares] + ["reason"])

    def amounts(self) -> dict[int, Decimal]:
        return {s.pk: self.cleaned_data[f"share_{s.pk}"] for s in self.shares}


class RejectForm(forms.Form):
    comment = forms.CharField(label=_("Why is it rejected?"), widget=forms.Textarea)


class RecordPaymentForm(ConfirmForm):
    """One transfer to one beneficiary. The idempotency key is minted when the form is shown:
    submitting the same form twice records one payment."""

    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=100)
    amount = forms.DecimalField(label=_("Amount (EUR)"), min_value=Decimal("0.01"), **MONEY_FIELD)
    value_date = forms.DateField(
        label=_("Value date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    bank_reference = forms.CharField(label=_("Bank reference"), max_length=100)

    def __init__(self, *args, split: InstalmentShare | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4().hex)
            self.initial.setdefault("value_date", timezone.localdate())
            if split is not None:
                self.initial.setdefault("amount", split.outstanding)
        self.order_fields(["amount", "value_date", "bank_reference", "confirm"])


class RecoverForm(ConfirmReasonForm):
    amount = forms.DecimalField(
        label=_("Amount recovered (EUR)"), min_value=Decimal("0.01"), **MONEY_FIELD
    )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept")), ("return", _("Return for changes"))],
        widget=forms.RadioSelect,
    )
    comments = forms.CharField(
        label=_("Comments for the beneficiaries"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RescheduleForm(ReasonForm):
    due_date = forms.DateField(
        label=_("New due date"), widget=forms.DateInput(attrs={"type": "date"})
    )


class DeliverableUploadForm(forms.Form):
    file = forms.FileField(label=_("File (PDF, DOCX or XLSX)"))


class VoucherFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("Any")), *VoucherState.choices]
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("number", _("Agreement number")),
            ("-amount", _("Amount, highest first")),
            ("amount", _("Amount, lowest first")),
            ("-paid", _("Paid, highest first")),
        ],
    )


class CallSlugForm(forms.Form):
    """A call named by its slug in a query string (`?call=...`); an unknown one is an error."""

    call = forms.ModelChoiceField(
        queryset=Call.objects.all(),
        to_field_name="slug",
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("Unknown call.")},
    )


class PaymentFilterForm(forms.Form):
    q = forms.CharField(label=_("Bank reference or agreement"), required=False)
    organisation = forms.CharField(label=_("Beneficiary"), required=False)
    date_from = forms.DateField(
        label=_("Value date from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Value date to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class SupportServiceForm(forms.Form):
    share = forms.ModelChoiceField(
        label=_("Funded SME"), queryset=BeneficiaryShare.objects.none(), empty_label=None
    )
    type = forms.ChoiceField(label=_("Type"), choices=SupportType.choices)
    provider = forms.CharField(label=_("Provider"), max_length=200)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    hours = forms.DecimalField(
        label=_("Hours"), min_value=0, max_digits=7, decimal_places=1, initial=0
    )
    value = forms.DecimalField(label=_("Value (EUR)"), min_value=0, **MONEY_FIELD)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["share"].queryset = (
            BeneficiaryShare.objects.filter(voucher__call=call)
            .exclude(voucher__state=VoucherState.TERMINATED)
            .select_related("organisation", "voucher")
            .order_by("organisation__legal_name")
        )
        self.fields["share"].label_from_instance = lambda s: (
            f"{s.organisation.legal_name} ({s.voucher.agreement_number})"
        )
