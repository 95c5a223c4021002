"""Applicant forms: the wizard steps, invitations and confirmation of participation."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, User
from calls.models import (
    Application,
    AttachmentRequirement,
    ConsortiumMember,
    MemberRole,
    MemberStatus,
    VoucherType,
)
from calls.selectors import caps_for
from calls.validation import budget_room, cap_message
from minegap.core.formatting import format_money

MONEY_FIELD = {"max_digits": 12, "decimal_places": 2, "min_value": Decimal("0")}


class StartForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Apply on behalf of"), queryset=Organisation.objects.none(), empty_label=None
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            memberships__user=user
        ).order_by("legal_name")


class OverviewForm(forms.Form):
    title = forms.CharField(label=_("Project title"), max_length=200, required=False)
    acronym = forms.CharField(label=_("Acronym"), max_length=30, required=False)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "data-limit": 2000}),
    )
    voucher_type = forms.ModelChoiceField(
        label=_("Voucher type"), queryset=VoucherType.objects.none(), required=False
    )

    def __init__(self, *args, application: Application, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "title": application.title,
                "acronym": application.acronym,
                "summary": application.summary,
                "voucher_type": application.voucher_type_id,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["voucher_type"].queryset = application.call.voucher_types.all()
        self.fields["voucher_type"].label_from_instance = lambda v: (
            _("%(voucher)s (at most %(cap)s per SME)")
            % {"voucher": v.name, "cap": format_money(v.cap_per_sme)}
        )


class FindOrganisationForm(forms.Form):
    q = forms.CharField(
        label=_("Find a registered organisation by name or VAT number"),
        min_length=2,
        max_length=100,
    )


class InviteByEmailForm(forms.Form):
    email = forms.EmailField(label=_("Or invite an organisation not yet registered, by e-mail"))


class MemberBudgetForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=[("", "—"), *MemberRole.choices])
    requested_amount = forms.DecimalField(label=_("Requested amount (EUR)"), **MONEY_FIELD)
    budget_description = forms.CharField(
        label=_("What the budget pays for"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class BudgetCheckForm(forms.Form):
    """The live budget check's query: which member's amount is typed (its budget form, with
    the prefix `m<member>`, reads the amount)."""

    member = forms.IntegerField(min_value=1)


class ConfirmParticipationForm(MemberBudgetForm):
    """A partner's share is checked against the caps when it is offered: told at once, not at
    the lead's submission."""

    declaration = forms.BooleanField(
        label=_(
            "On behalf of my organisation I declare on my honour: no conflict of interest, no "
            "double funding of this project, and the organisation is not in difficulty."
        ),
        required=False,
    )

    def __init__(self, *args, member: ConsortiumMember, **kwargs):
        super().__init__(*args, **kwargs)
        self.member = member
        self.room = budget_room(member.application, _confirmed(member.application))
        self.caps = caps_for(member.application, member.organisation)
        self.project_room = self.room.project_room

    def clean_requested_amount(self) -> Decimal:
        amount = self.cleaned_data["requested_amount"]
        organisation = self.member.organisation
        errors = [
            cap_message(cap, organisation, amount) for cap in self.caps.share_problems(amount)
        ]
        if amount > self.project_room:
            errors.append(cap_message(self.room.project, None, self.room.total + amount))
        if errors:
            raise forms.ValidationError(errors)
        return amount


def _confirmed(application: Application) -> list[ConsortiumMember]:
    return list(
        application.members.filter(status=MemberStatus.CONFIRMED).select_related("organisation")
    )


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"))

    def __init__(self, *args, requirement: AttachmentRequirement, **kwargs):
        super().__init__(*args, prefix=f"req{requirement.pk}", **kwargs)
        self.requirement = requirement
        self.fields["file"].label = requirement.label
        self.fields["file"].help_text = _("%(types)s, up to %(mb)s MB.") % {
            "types": ", ".join(t.upper() for t in requirement.allowed_types),
            "mb": requirement.max_size_mb,
        }


class ConfirmForm(forms.Form):
    confirm = forms.BooleanField(label=_("I understand this cannot be undone."), required=True)
