"""The automatic eligibility checks of one submitted application, each with its evidence.

Read-only: `evaluation.services.eligibility` stores the result as rows. Reuses the calls app's
submission rules (completeness, caps) and selectors (SME declarations, funding history).
The checks read the last submitted version (`calls.selectors.submitted_record`), never the live
rows: edits made after it without submitting again do not count, neither for nor against.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.countries import normalise_country
from accounts.selectors import current_declarations_by_organisation
from calls import selectors
from calls.models import Application, ApplicationState, MemberRole, MemberStatus
from calls.records import ApplicationRecord, RecordMember
from calls.validation import Problem, record_problems
from minegap.core.formatting import format_money

CHECK_LABELS = {
    "on_time": gettext_lazy("Submitted on time"),
    "complete": gettext_lazy("Complete"),
    "countries": gettext_lazy("Eligible countries"),
    "sme_status": gettext_lazy("SME status of every member"),
    "consortium": gettext_lazy("Consortium rules"),
    "caps": gettext_lazy("Funding caps"),
    "declarations": gettext_lazy("Declarations of honour"),
    "double_funding": gettext_lazy("No double funding across calls"),
}
CHECK_ORDER = tuple(CHECK_LABELS)
FUNDED_STATES = (ApplicationState.SELECTED, ApplicationState.FUNDED)


@dataclass(frozen=True)
class CheckResult:
    code: str
    passed: bool
    evidence: str

    @property
    def label(self) -> str:
        return str(CHECK_LABELS[self.code])


def _on_time(application: Application, record: ApplicationRecord) -> CheckResult:
    call = application.call
    submitted, deadline = record.submitted_at, call.closes_at
    if submitted is None or deadline is None:
        return CheckResult("on_time", False, _("No submission time or no deadline recorded."))
    tz = call.tz
    evidence = _("Submitted %(at)s; deadline %(deadline)s (%(tz)s).") % {
        "at": submitted.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S"),
        "deadline": deadline.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S"),
        "tz": call.time_zone,
    }
    return CheckResult("on_time", submitted < deadline, evidence)


def _messages(problems: list[Problem], steps: set[str]) -> list[str]:
    return [p.message for p in problems if p.step in steps]


def _complete(problems: list[Problem]) -> CheckResult:
    messages = _messages(problems, {"overview", "questions", "attachments"})
    evidence = " ".join(messages) or _(
        "Overview, every required answer and every required attachment present."
    )
    return CheckResult("complete", not messages, evidence)


def _countries(application: Application, members: list[RecordMember]) -> CheckResult:
    eligible = {normalise_country(c) for c in application.call.eligible_countries}
    parts, passed = [], True
    for member in members:
        country = normalise_country(member.country)
        ok = country in eligible
        passed &= ok
        parts.append(f"{member.organisation}: {country}{'' if ok else ' ✗'}")
    evidence = _("%(members)s. Eligible: %(eligible)s.") % {
        "members": "; ".join(parts) or _("no confirmed member"),
        "eligible": ", ".join(sorted(eligible)),
    }
    return CheckResult("countries", passed and bool(members), evidence)


def _sme_status(members: list[RecordMember]) -> CheckResult:
    """Each member's current SME declaration, read from accounts; no declaration fails."""
    parts, passed = [], bool(members)
    declarations = current_declarations_by_organisation(m.organisation for m in members)
    for member in members:
        declaration = declarations.get(member.organisation.pk)
        if declaration is None:
            passed = False
            parts.append(_("%(name)s: no SME declaration") % {"name": member.organisation})
            continue
        passed &= declaration.is_sme
        parts.append(
            _("%(name)s: %(category)s (declaration v%(version)s)")
            % {
                "name": member.organisation,
                "category": declaration.get_category_display(),
                "version": declaration.version,
            }
        )
    return CheckResult("sme_status", passed, "; ".join(parts) or _("No confirmed member."))


def _consortium(application: Application, members: list[RecordMember]) -> CheckResult:
    call = application.call
    countries = {normalise_country(m.country) for m in members}
    roles = {m.role for m in members}
    size_ok = call.min_members <= len(members) <= call.max_members
    countries_ok = len(countries) >= call.min_countries
    roles_ok = (
        not call.require_adopter_and_provider
        or {
            MemberRole.ADOPTER,
            MemberRole.PROVIDER,
        }
        <= roles
    )
    evidence = _(
        "%(n)d confirmed members (allowed %(min)d-%(max)d); %(c)d countries (at least "
        "%(min_c)d); roles: %(roles)s%(required)s."
    ) % {
        "n": len(members),
        "min": call.min_members,
        "max": call.max_members,
        "c": len(countries),
        "min_c": call.min_countries,
        "roles": ", ".join(sorted(str(MemberRole(r).label) for r in roles if r)) or "-",
        "required": _(" (an adopter and a provider required)")
        if call.require_adopter_and_provider
        else "",
    }
    return CheckResult("consortium", size_ok and countries_ok and roles_ok, evidence)


def _caps(
    application: Application, members: list[RecordMember], problems: list[Problem]
) -> CheckResult:
    messages = _messages(problems, {"budget"})
    total = sum((m.requested_amount for m in members), Decimal("0"))
    evidence = " ".join(messages) or _(
        "%(total)s requested in total (cap per project %(cap)s); every share within "
        "the caps per SME and per third party."
    ) % {"total": format_money(total), "cap": format_money(application.call.cap_per_project)}
    return CheckResult("caps", not messages, evidence)


def _declarations(members: list[RecordMember]) -> CheckResult:
    parts, passed = [], bool(members)
    for member in members:
        signed = member.declaration_signed_at
        passed &= signed is not None
        parts.append(
            _("%(name)s: signed %(at)s")
            % {"name": member.organisation, "at": signed.strftime("%Y-%m-%d")}
            if signed
            else _("%(name)s: not signed") % {"name": member.organisation}
        )
    return CheckResult("declarations", passed, "; ".join(parts) or _("No confirmed member."))


def _double_funding(
    application: Application, record: ApplicationRecord, members: list[RecordMember]
) -> CheckResult:
    """The same project (title or acronym, as submitted) selected or funded in another call with
    a member."""
    organisation_ids = [m.organisation_id for m in members]
    others = (
        Application.objects.filter(
            members__organisation_id__in=organisation_ids,
            members__status=MemberStatus.CONFIRMED,
            state__in=FUNDED_STATES,
        )
        .exclude(call_id=application.call_id)
        .select_related("call")
        .distinct()
        .order_by("reference")
    )
    # Both sides as submitted: an edit typed after a submission (never submitted) neither hides
    # a project funded elsewhere nor makes an unrelated one look the same.
    others = list(others)
    texts = selectors.submitted_texts(others)

    def same_text(ours: str, theirs: str) -> bool:
        return bool(ours.strip()) and ours.strip().lower() == theirs.strip().lower()

    same = [
        other
        for other in others
        if other.pk in texts
        and (
            same_text(record.title, texts[other.pk].title)
            or same_text(record.acronym, texts[other.pk].acronym)
        )
    ]
    if same:
        evidence = _("The same project was funded in: %(list)s.") % {
            "list": ", ".join(f"{o.reference} ({o.call.title})" for o in same)
        }
        return CheckResult("double_funding", False, evidence)
    if others:
        evidence = _("Members were funded for other projects: %(list)s; none is this project.") % {
            "list": ", ".join(f"{o.reference} ({o.call.title})" for o in others)
        }
    else:
        evidence = _("No member was funded in another call.")
    return CheckResult("double_funding", True, evidence)


def run_checks(application: Application) -> list[CheckResult]:
    """Every automatic check of the last submitted version, in `CHECK_ORDER`."""
    record = selectors.submitted_record(application)
    if record is None:
        return [CheckResult(code, False, _("Never submitted.")) for code in CHECK_ORDER]
    members = list(record.members)
    # The submission rules, without "the call is closed now": one pass serves both checks that
    # read it (it queries declarations, caps, questions...).
    problems = record_problems(application.call, record)
    return [
        _on_time(application, record),
        _complete(problems),
        _countries(application, members),
        _sme_status(members),
        _consortium(application, members),
        _caps(application, members, problems),
        _declarations(members),
        _double_funding(application, record, members),
    ]
