"""Forms of the partner directory. They only shape input; the services validate and write."""

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, User
from calls.models import Application, Call
from matchmaking import selectors, vocab
from matchmaking.models import PartnerProfile


class ItemForm(forms.Form):
    """One technology offer or request."""

    title = forms.CharField(label=_("Title"), max_length=120, required=False)
    description = forms.CharField(
        label=_("Description"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


ItemFormSet = formset_factory(ItemForm, extra=2, max_num=10, validate_max=True)


class ProfileForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What your organisation does, in a few sentences."),
    )
    expertise = forms.CharField(
        label=_("Expertise"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    role_sought = forms.ChoiceField(
        label=_("Role in a consortium"), choices=vocab.Role.choices, widget=forms.RadioSelect
    )
    stages = forms.MultipleChoiceField(
        label=_("Value-chain stages"),
        choices=vocab.Stage.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    sectors = forms.MultipleChoiceField(
        label=_("Sectors"),
        choices=vocab.Sector.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    raw_materials = forms.MultipleChoiceField(
        label=_("Critical raw materials of interest"),
        choices=vocab.RawMaterial.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    keywords = forms.CharField(
        label=_("Keywords"),
        required=False,
        max_length=900,
        help_text=_("Separated by commas, e.g. sensor networks, tailings, lithium."),
    )
    trl = forms.TypedChoiceField(
        label=_("Technology readiness level"),
        choices=[("", _("Not applicable")), *vocab.TRL_CHOICES],
        coerce=int,
        empty_value=None,
        required=False,
    )
    languages = forms.MultipleChoiceField(
        label=_("Working languages"),
        choices=vocab.LANGUAGE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    contact_person = forms.ModelChoiceField(
        label=_("Contact person"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("The first administrator"),
        help_text=_("Shown only to organisations you are in contact with (after acceptance)."),
    )

    call = forms.ModelChoiceField(
        label=_("Looking for partners for the call"),
        queryset=Call.objects.none(),
        required=False,
        empty_label=_("No particular call"),
    )

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["call"].queryset = selectors.calls_seeking_partners()
        self.fields["contact_person"].queryset = User.objects.filter(
            memberships__organisation=organisation
        ).order_by("full_name")

    @staticmethod
    def initial_from(profile: PartnerProfile | None) -> dict:
        if profile is None:
            return {}
        return {
            "summary": profile.summary,
            "expertise": profile.expertise,
            "role_sought": profile.role_sought,
            "stages": profile.stages,
            "sectors": profile.sectors,
            "raw_materials": profile.raw_materials,
            "keywords": ", ".join(profile.keywords),
            "trl": profile.trl,
            "languages": profile.languages,
            "contact_person": profile.contact_person_id,
            "call": profile.call_id,
        }


class InterestForm(forms.Form):
    message = forms.CharField(
        label=_("Your message"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Say who you are and what you would like to do together. Your contact details are "
            "shared only if they accept."
        ),
    )


class ActingOrganisationForm(forms.Form):
    """`org`: which of the person's organisations they act for; without it, their first (the
    ones they administer come first). Chosen among organisations already read: no query."""

    org = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={
            "invalid_choice": _("You do not belong to the organisation “%(value)s”."),
        },
    )

    def __init__(self, *args, organisations: list[Organisation], **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = organisations
        self.fields["org"].choices = [(o.pk, o.legal_name) for o in organisations]

    def acting(self) -> Organisation | None:
        chosen = self.cleaned_data["org"]
        if chosen is None:
            return self.organisations[0] if self.organisations else None
        return next(o for o in self.organisations if o.pk == chosen)


class InviteContactForm(forms.Form):
    """The application a contact is invited into: one that the acting organisation leads."""

    application = forms.ModelChoiceField(
        queryset=Application.objects.none(),
        error_messages={
            "required": _("Choose one of your draft applications."),
            "invalid_choice": _("Choose one of your draft applications."),
        },
    )

    def __init__(self, *args, organisation: Organisation | None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisation is not None:
            self.fields["application"].queryset = Application.objects.filter(
                lead_organisation=organisation
            )
