"""Whole-object checks that list every problem at once: a call before publication, an
application before submission. Each problem names the step (or page) where it is fixed."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.countries import COUNTRIES, normalise_country
from accounts.models import Organisation
from accounts.selectors import current_declarations_by_organisation
from calls import selectors
from calls.models import (
    Application,
    Call,
    ConsortiumMember,
    FileKind,
    MemberRole,
    MemberStatus,
    VoucherType,
)
from calls.records import ApplicationRecord, live_record
from minegap.core.formatting import format_money

MIN_OPEN_WEEKS = 8
#: Steps of a tie-break chain besides "criterion:<name>" (the evaluation app's ranking reads
#: them; geographic_diversity and new_countries are one step).
TIE_BREAK_STEPS = {
    "geographic_diversity": "new_countries",
    "new_countries": "new_countries",
    "submitted_at": "submitted_at",
}
#: The steps besides the criteria that staff choose from, as the ranking applies them.
TIE_BREAK_RULES = {
    "geographic_diversity": gettext_lazy(
        "Geographic diversity: more countries not yet placed above first"
    ),
    "submitted_at": gettext_lazy("Earlier submission first"),
}


@dataclass(frozen=True)
class Problem:
    step: str
    message: str

    def __str__(self) -> str:
        return self.message


# Steps of the call configuration pages and of the application wizard.
CALL_STEPS = ("details", "voucher-types", "criteria", "questions", "attachments", "dates")
APPLICATION_STEPS = (
    "overview",
    "consortium",
    "budget",
    "questions",
    "attachments",
    "declarations",
    "review",
)


def tie_break_problems(chain: list[str], criteria: list[str] | None) -> list[str]:
    """Why the ranking could not follow ``chain``: an unknown step, a step listed twice, or
    (when the call's ``criteria`` names are given) a criterion the call does not have."""
    problems: list[str] = []
    known = None if criteria is None else {name.strip().lower() for name in criteria}
    seen: set[str] = set()
    for text in chain:
        kind, _sep, name = text.partition(":")
        if kind == "criterion" and name.strip():
            step = f"criterion:{name.strip().lower()}"
            if known is not None and step.partition(":")[2] not in known:
                problems.append(
                    _("The tie-break chain names “%(name)s”, which is not a criterion of the call.")
                    % {"name": name.strip()}
                )
        elif text in TIE_BREAK_STEPS:
            step = TIE_BREAK_STEPS[text]
        else:
            problems.append(
                _(
                    "“%(step)s” is not a tie-break step: use criterion:<name of a criterion>, "
                    "geographic_diversity or submitted_at."
                )
                % {"step": text}
            )
            continue
        if step in seen:
            problems.append(_("“%(step)s” comes twice in the tie-break chain.") % {"step": text})
        seen.add(step)
    return problems


def call_configuration_problems(call: Call) -> list[Problem]:
    problems: list[Problem] = []
    add = lambda step, message: problems.append(Problem(step, message))  # noqa: E731
    if not call.title.strip():
        add("details", _("The call needs a title."))
    if not call.summary.strip():
        add("details", _("The call needs a summary."))
    if not call.body.strip():
        add("details", _("The call needs its full text."))
    if call.total_budget <= 0:
        add("details", _("The total budget must be above zero."))
    if call.cap_per_project <= 0:
        add("details", _("The cap per project must be above zero."))
    elif call.cap_per_project > call.total_budget:
        add("details", _("The cap per project exceeds the call's total budget."))
    if call.cap_per_third_party <= 0:
        add("details", _("The cap per third party must be above zero."))
    if (
        call.lifetime_cap_per_sme is not None
        and call.lifetime_cap_per_sme < call.cap_per_third_party
    ):
        add("details", _("The lifetime cap per SME is below the cap per third party."))
    if call.min_members < 1 or call.min_members > call.max_members:
        add("details", _("The consortium size rule is impossible (minimum above maximum)."))
    if call.min_countries > call.max_members:
        add(
            "details", _("More distinct countries are required than a consortium can have members.")
        )
    if not call.eligible_countries:
        add("details", _("List at least one eligible country."))
    unknown = [c for c in call.eligible_countries if normalise_country(c) not in COUNTRIES]
    if unknown:
        add("details", _("Unknown country codes: %(codes)s.") % {"codes": ", ".join(unknown)})
    try:
        ZoneInfo(call.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        add("dates", _("Unknown time zone “%(tz)s”.") % {"tz": call.time_zone})
    if call.opens_at is None or call.closes_at is None:
        add("dates", _("Set the opening and closing date and time."))
    elif call.closes_at <= call.opens_at:
        add("dates", _("The call must close after it opens."))
    voucher_types = list(call.voucher_types.all())
    if not voucher_types:
        add("voucher-types", _("Add at least one voucher type."))
    for voucher in voucher_types:
        if voucher.cap_per_sme > call.cap_per_third_party:
            add(
                "voucher-types",
                _("Voucher type “%(name)s” allows more per SME than the cap per third party.")
                % {"name": voucher.name},
            )
    criteria = list(call.criteria.all())
    if not criteria:
        add("criteria", _("Add at least one evaluation criterion."))
    if criteria and call.total_threshold > sum(c.max_score for c in criteria):
        add("criteria", _("The total threshold is above the maximum total score."))
    if criteria:  # without criteria, the problem above says what to do first
        for message in tie_break_problems(call.tie_break_chain or [], [c.name for c in criteria]):
            add("details", message)
    if not call.questions.exists():
        add("questions", _("Add at least one question to the application form."))
    for requirement in call.attachment_requirements.all():
        bad = [t for t in requirement.allowed_types if t not in FileKind.values]
        if not requirement.allowed_types or bad:
            add(
                "attachments",
                _("Attachment “%(label)s” needs allowed types among pdf, docx, xlsx, png, jpeg.")
                % {"label": requirement.label},
            )
    plan = call.instalment_plan or []
    if sum(Decimal(str(step.get("percent", 0))) for step in plan) != 100:
        add("details", _("The instalments of the payment plan must add up to 100 %."))
    return problems


def short_window(call: Call) -> bool:
    """True when the call is open for less than the default eight weeks (a warning)."""
    if call.opens_at is None or call.closes_at is None:
        return False
    return call.closes_at - call.opens_at < timedelta(weeks=MIN_OPEN_WEEKS)


def _member_name(member) -> str:
    return str(member.organisation or member.invited_email)


def budget_problems(
    application: Application,
    confirmed: list,
    *,
    amounts: dict[int, Decimal] | None = None,
) -> list[Problem]:
    """The caps, checked for the confirmed members; `amounts` tries other figures (live check)."""
    amounts = amounts or {}
    return _budget_problems(
        application.call,
        application.voucher_type,
        application.pk,
        [(m.organisation, amounts.get(m.pk, m.requested_amount)) for m in confirmed],
    )


@dataclass(frozen=True)
class ShareRoom:
    """One confirmed member's share against the tightest cap on it."""

    member: ConsortiumMember
    amount: Decimal
    caps: selectors.Caps

    @property
    def limit(self) -> selectors.Cap:
        return self.caps.share_limit

    @property
    def room(self) -> Decimal:
        """What may still be added under the tightest cap; negative when over it."""
        return self.limit.limit - self.amount

    @property
    def over(self) -> Decimal:
        return -self.room


@dataclass(frozen=True)
class BudgetRoom:
    shares: list[ShareRoom]
    project: selectors.Cap
    total: Decimal

    @property
    def project_room(self) -> Decimal:
        return self.project.limit - self.total


def budget_room(
    application: Application,
    confirmed: list,
    *,
    amounts: dict[int, Decimal] | None = None,
) -> BudgetRoom:
    """What each confirmed member and the project may still request, under the caps that
    `budget_problems` enforces; `amounts` tries other figures (live check)."""
    amounts = amounts or {}
    shares = [
        ShareRoom(
            member,
            amounts.get(member.pk, member.requested_amount),
            selectors.caps_for(application, member.organisation),
        )
        for member in confirmed
    ]
    total = sum((share.amount for share in shares), start=Decimal("0.00"))
    return BudgetRoom(shares, selectors.caps_for(application, None).project, total)


def _budget_problems(
    call: Call,
    voucher: VoucherType | None,
    application_id: int,
    shares: list[tuple[Organisation, Decimal]],
) -> list[Problem]:
    problems: list[Problem] = []
    add = lambda step, message: problems.append(Problem(step, message))  # noqa: E731
    total = Decimal("0")
    received = (  # one query for the whole consortium, not one per member
        selectors.awarded_totals(
            [org for org, _amount in shares if org is not None],
            exclude_application_id=application_id,
        )
        if call.lifetime_cap_per_sme is not None
        else {}
    )
    for org, amount in shares:
        total += amount
        caps = selectors.budget_caps(
            call,
            voucher,
            org,
            application_id=application_id,
            received=received.get(org.pk, Decimal("0.00")) if org is not None else None,
        )
        if amount <= 0:
            add("budget", _("Enter the budget requested by %(name)s.") % {"name": org})
            continue
        for cap in caps.share_problems(amount):
            add("budget", cap_message(cap, org, amount))
    project = selectors.budget_caps(call, voucher, None).project
    if total > project.limit:
        add("budget", cap_message(project, None, total))
    return problems


def cap_message(cap: selectors.Cap, organisation: Organisation | None, amount: Decimal) -> str:
    """Why `amount` breaks `cap`, naming the cap and where it comes from."""
    values = {"name": organisation, "amount": format_money(amount), "cap": format_money(cap.cap)}
    if cap.source == selectors.CapSource.VOUCHER:
        return _("%(name)s requests %(amount)s; a %(voucher)s voucher allows %(cap)s per SME.") % {
            **values,
            "voucher": cap.voucher_name,
        }
    if cap.source == selectors.CapSource.THIRD_PARTY:
        return _("%(name)s requests %(amount)s, above the cap per third party of %(cap)s.") % values
    if cap.source == selectors.CapSource.LIFETIME:
        return _(
            "%(name)s already received %(earlier)s; with %(amount)s it would "
            "exceed the lifetime cap of %(cap)s."
        ) % {**values, "earlier": format_money(cap.received)}
    return _("The project requests %(amount)s, above the cap per project of %(cap)s.") % values


def submission_problems(application: Application, now: datetime) -> list[Problem]:
    """Everything that stands between this application and a valid submission."""
    call = application.call
    problems: list[Problem] = []
    if not call.is_open_at(now):
        problems.append(Problem("review", _("The call is not open: submissions are closed.")))
    pending = [
        _member_name(m) for m in application.members.all() if m.status == MemberStatus.INVITED
    ]
    return problems + record_problems(call, live_record(application), pending=pending)


def record_problems(
    call: Call, record: ApplicationRecord, *, pending: list[str] | tuple[str, ...] = ()
) -> list[Problem]:
    """The submission rules applied to a record: the live application before it is submitted,
    or the submitted version when eligibility is checked. `pending`: invited members' names."""
    problems: list[Problem] = []
    add = lambda step, message: problems.append(Problem(step, message))  # noqa: E731
    # Overview.
    if not record.title.strip():
        add("overview", _("Give the project a title."))
    if not record.acronym.strip():
        add("overview", _("Give the project an acronym."))
    if not record.summary.strip():
        add("overview", _("Write the project summary."))
    if record.voucher_type is None:
        add("overview", _("Choose a voucher type."))

    # Consortium.
    confirmed = record.members
    for name in pending:
        add("consortium", _("%(name)s has not confirmed its participation yet.") % {"name": name})
    if not call.min_members <= len(confirmed) <= call.max_members:
        add(
            "consortium",
            _("The consortium needs %(min)s to %(max)s confirmed members; it has %(n)s.")
            % {"min": call.min_members, "max": call.max_members, "n": len(confirmed)},
        )
    eligible = {normalise_country(c) for c in call.eligible_countries}
    countries = set()
    declarations = current_declarations_by_organisation(m.organisation for m in confirmed)
    for member in confirmed:
        org = member.organisation
        country = normalise_country(member.country)
        countries.add(country)
        if country not in eligible:
            add(
                "consortium",
                _("%(name)s is based in %(country)s, which is not eligible in this call.")
                % {"name": org, "country": member.country},
            )
        declaration = declarations.get(org.pk)
        if declaration is None:
            add("consortium", _("%(name)s has not filed an SME declaration.") % {"name": org})
        elif not declaration.is_sme:
            add("consortium", _("%(name)s is not an SME by its declaration.") % {"name": org})
        if not member.role:
            add("consortium", _("%(name)s has no role (adopter or provider).") % {"name": org})
    if len(countries) < call.min_countries:
        add(
            "consortium",
            _("The consortium needs members from at least %(n)s different countries.")
            % {"n": call.min_countries},
        )
    roles = {m.role for m in confirmed}
    if call.require_adopter_and_provider and not {MemberRole.ADOPTER, MemberRole.PROVIDER} <= roles:
        add("consortium", _("The consortium needs at least one adopter and one provider."))

    problems.extend(
        _budget_problems(
            call,
            record.voucher_type,
            record.application_id,
            [(m.organisation, m.requested_amount) for m in confirmed],
        )
    )

    # Questions: the call's, whether or not the record holds an answer to each.
    answers = {a.question_id: a.text for a in record.answers}
    for question in call.questions.all():
        text = answers.get(question.pk, "").strip()
        if question.required and not text:
            add("questions", _("Answer “%(label)s”.") % {"label": question.label})
        if len(text) > question.char_limit:
            add(
                "questions",
                _("The answer to “%(label)s” is %(n)s characters long; the limit is %(limit)s.")
                % {"label": question.label, "n": len(text), "limit": question.char_limit},
            )

    # Attachments.
    present = {a.requirement_id for a in record.attachments}
    for requirement in call.attachment_requirements.all():
        if requirement.required and requirement.pk not in present:
            add("attachments", _("Upload “%(label)s”.") % {"label": requirement.label})

    # Declarations of honour.
    for member in confirmed:
        if member.declaration_signed_at is None:
            add(
                "declarations",
                _("%(name)s has not signed its declaration of honour.")
                % {"name": member.organisation},
            )
    return problems
