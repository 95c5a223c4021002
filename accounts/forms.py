from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, Organisation, RelatedEnterpriseRow, SMEDeclaration


class SignupDetailsForm(forms.Form):
    """Extra fields on allauth's sign-up form."""

    full_name = forms.CharField(label=_("Full name"), max_length=150)

    def signup(self, request, user) -> None:
        user.full_name = self.cleaned_data["full_name"].strip()
        user.save(update_fields=["full_name"])


class OrganisationForm(forms.ModelForm):
    """Field types and lengths only: the service normalises and checks VAT, NUTS, PIC, year."""

    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = [
            "legal_name",
            "short_name",
            "type",
            "country",
            "vat_number",
            "nuts_region",
            "pic",
            "founding_year",
            "website",
            "description",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [
            ("", _("Choose a country")),
            *self.fields["country"].choices[1:],
        ]
        # Normalised by the service (spaces, dashes, prefix): allow a little room on input.
        self.fields["vat_number"].max_length = 30
        self.fields["vat_number"].widget.attrs["maxlength"] = 30
        self.fields["pic"].max_length = 12
        self.fields["pic"].widget.attrs["maxlength"] = 12
        self.fields["nuts_region"].max_length = 8
        self.fields["nuts_region"].widget.attrs["maxlength"] = 8
        self.fields["vat_number"].validators = []
        self.fields["pic"].validators = []
        self.fields["nuts_region"].validators = []

    def validate_unique(self) -> None:
        """Uniqueness is checked by the service on the normalised VAT number."""

    def _post_clean(self) -> None:
        """No model validation here: the service owns it (on normalised values)."""


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(
        label=_("Role"), choices=Membership.Role.choices, initial=Membership.Role.MEMBER
    )


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What will use it, e.g. “monthly payments export”."),
    )
    lifetime_days = forms.IntegerField(label=_("Valid for (days)"), min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["lifetime_days"]
        field.initial = settings.API_TOKEN_DEFAULT_DAYS
        field.max_value = settings.API_TOKEN_MAX_DAYS
        field.validators.append(MaxValueValidator(settings.API_TOKEN_MAX_DAYS))
        field.widget.attrs["max"] = settings.API_TOKEN_MAX_DAYS
        field.help_text = _("At most %(max)d days: the token then stops working.") % {
            "max": settings.API_TOKEN_MAX_DAYS
        }


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)


MONEY_FIELD = {"max_digits": 12, "decimal_places": 2, "min_value": 0}


class SMEDeclarationForm(forms.Form):
    reference_year = forms.IntegerField(
        label=_("Reference year"), help_text=_("The last approved accounting period.")
    )
    staff_headcount = forms.DecimalField(
        label=_("Staff headcount (AWU)"),
        max_digits=9,
        decimal_places=2,
        min_value=0,
        help_text=_("Annual work units: part-time and seasonal staff count as fractions."),
    )
    annual_turnover = forms.DecimalField(label=_("Annual turnover (EUR)"), **MONEY_FIELD)
    balance_sheet_total = forms.DecimalField(label=_("Balance-sheet total (EUR)"), **MONEY_FIELD)
    enterprise_category = forms.ChoiceField(
        label=_("Enterprise category"),
        choices=SMEDeclaration.EnterpriseCategory.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Autonomous: no enterprise holds 25 % or more of you and you hold no 25 % of another. "
            "Partner: holdings between 25 % and 50 %. Linked: majority control either way."
        ),
    )
    public_body_holding = forms.DecimalField(
        label=_("Held by public bodies (%)"),
        max_digits=5,
        decimal_places=2,
        min_value=0,
        max_value=100,
        initial=0,
        help_text=_("25 % or more held by public bodies means the enterprise is not an SME."),
    )
    confirm = forms.BooleanField(
        label=_(
            "I declare on my honour that these figures are accurate and that I may sign for "
            "this organisation."
        )
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reference_year"].initial = timezone.now().year - 1


class RelatedEnterpriseForm(forms.Form):
    relation = forms.ChoiceField(
        label=_("Relation"), choices=[("", "—"), *RelatedEnterpriseRow.Relation.choices]
    )
    name = forms.CharField(label=_("Enterprise name"), max_length=200)
    holding_percent = forms.DecimalField(
        label=_("Holding (%)"), max_digits=5, decimal_places=2, min_value=0, max_value=100
    )
    staff_headcount = forms.DecimalField(
        label=_("Staff (AWU)"), max_digits=9, decimal_places=2, min_value=0
    )
    annual_turnover = forms.DecimalField(label=_("Turnover (EUR)"), **MONEY_FIELD)
    balance_sheet_total = forms.DecimalField(label=_("Balance sheet (EUR)"), **MONEY_FIELD)


RelatedEnterpriseFormSet = forms.formset_factory(
    RelatedEnterpriseForm, extra=3, max_num=20, validate_max=True
)


class ErasureConfirmForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that my account is closed for good and my data erased as described."),
        required=True,
        error_messages={"required": _("Tick the box to confirm the erasure.")},
    )
