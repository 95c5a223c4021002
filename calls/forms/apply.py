"""Applicant forms: the wizard steps, invitations and confirmation of participation."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, User
from calls.models import (
    Application,
    Attachment,
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


UNKNOWN_ACTION = {"required": _("Unknown action."), "invalid_choice": _("Unknown action.")}


def error_messages(form: forms.Form) -> list[str]:
    """Every error of a bound form, in field order, for the page's messages."""
    return [str(message) for errors in form.errors.values() for message in errors]


class ConsortiumActionForm(forms.Form):
    """A button of the consortium step: invite a registered organisation, invite by e-mail (its
    own form reads the address) or remove a member of this application. Ids are read among
    what the step offers, so a stale or made-up one is a clear error, never a crash."""

    action = forms.ChoiceField(
        choices=[("invite", "invite"), ("invite_email", "invite_email"), ("remove", "remove")],
        error_messages=UNKNOWN_ACTION,
    )
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.all(),
        required=False,
        error_messages={
            "invalid_choice": _("This organisation is not registered: search for it again.")
        },
    )
    member = forms.ModelChoiceField(
        queryset=ConsortiumMember.objects.none(),
        required=False,
        error_messages={
            "invalid_choice": _("This organisation is not in the consortium of this application.")
        },
    )

    def __init__(self, *args, application: Application, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = application.members.all()

    def clean(self):
        data = super().clean()
        action = data.get("action")
        if action == "invite" and data.get("organisation") is None and not self.errors:
            self.add_error("organisation", _("Choose the organisation to invite."))
        if action == "remove" and data.get("member") is None and not self.errors:
            self.add_error("member", _("Choose the member to remove."))
        return data


class AttachmentActionForm(forms.Form):
    """A form of the attachments step: upload a file for one of the call's requirements (no
    action), or remove one of this application's files."""

    action = forms.ChoiceField(
        choices=[("", "upload"), ("remove", "remove")],
        required=False,
        error_messages=UNKNOWN_ACTION,
    )
    requirement = forms.ModelChoiceField(
        queryset=AttachmentRequirement.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("This call does not ask for that file.")},
    )
    attachment = forms.ModelChoiceField(
        queryset=Attachment.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("This file is not one of this application's.")},
    )

    def __init__(self, *args, application: Application, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requirement"].queryset = application.call.attachment_requirements.all()
        self.fields["attachment"].queryset = application.attachments.all()

    def clean(self):
        data = super().clean()
        if "action" in self.errors:
            return data
        if data.get("action") == "remove":
            if data.get("attachment") is None and "attachment" not in self.errors:
                self.add_error("attachment", _("Choose the file to remove."))
        elif data.get("requirement") is None and "requirement" not in self.errors:
            self.add_error("requirement", _("Choose which file this is."))
        return data


class MemberChoiceForm(forms.Form):
    """Which member a form of the budget or declarations step is for, among the members the
    step shows (already read: choosing costs no query)."""

    member = forms.TypedChoiceField(
        coerce=int,
        error_messages={
            "required": _("Choose the member this is for."),
            "invalid_choice": _("This organisation is not a confirmed member of the consortium."),
        },
    )

    def __init__(self, *args, members: list[ConsortiumMember], **kwargs):
        super().__init__(*args, **kwargs)
        self.members = {member.pk: member for member in members}
        self.fields["member"].choices = [(member.pk, str(member)) for member in members]

    def chosen(self) -> ConsortiumMember:
        return self.members[self.cleaned_data["member"]]


NUL_IN_ANSWER = _("An answer holds a character that cannot be saved (NUL): remove it.")


class AnswersForm(forms.Form):
    """The questions step without JavaScript: one text per question, saved only when posted
    (a question left out keeps its answer; an emptied box clears it). The service checks the
    length against the question's limit."""

    def __init__(self, *args, questions: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[f"q{question.pk}"] = forms.CharField(
                required=False,
                strip=False,
                error_messages={"null_characters_not_allowed": NUL_IN_ANSWER},
            )

    def posted_answers(self) -> list[tuple]:
        """(question, text) of each question whose box was posted."""
        return [
            (question, self.cleaned_data[f"q{question.pk}"])
            for question in self.questions
            if self.add_prefix(f"q{question.pk}") in self.data
        ]


class InvitationActionForm(forms.Form):
    """A button of the invitation page: confirm, decline, or (invited by e-mail) claim."""

    action = forms.ChoiceField(
        choices=[("confirm", "confirm"), ("decline", "decline")], error_messages=UNKNOWN_ACTION
    )

    def __init__(self, *args, by_email: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if by_email:
            self.fields["action"].choices = [*self.fields["action"].choices, ("claim", "claim")]


class AutosaveForm(forms.Form):
    """The autosaved text of one answer: htmx posts the textarea under its own name (`q<id>`),
    API-like callers may send `text`. Read without a query (autosave is counted)."""

    text = forms.CharField(
        required=False,
        strip=False,
        error_messages={"null_characters_not_allowed": NUL_IN_ANSWER},
    )

    def __init__(self, *args, question_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.box = f"q{question_id}"
        self.fields[self.box] = forms.CharField(
            required=False,
            strip=False,
            error_messages={"null_characters_not_allowed": NUL_IN_ANSWER},
        )

    def typed(self) -> str:
        """The textarea's text when it was posted, else `text` (empty when neither was)."""
        return self.cleaned_data[self.box if self.box in self.data else "text"]


class ClaimInvitationForm(forms.Form):
    """Someone invited by e-mail names the organisation they administer and join with."""

    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        error_messages={
            "required": _("Choose the organisation you join with."),
            "invalid_choice": _("Choose one of the organisations you administer."),
        },
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class ConfirmForm(forms.Form):
    confirm = forms.BooleanField(label=_("I understand this cannot be undone."), required=True)
