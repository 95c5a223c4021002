"""Importing the results of a call run elsewhere: the same records a MineGap call ends with.

`import_external_results` creates (if needed) a closed call whose results are published, one
funded application per project and one confirmed consortium member per beneficiary with its
awarded amount; organisations are matched by VAT number and registered when new. It checks every
row before writing anything and writes everything or nothing. Projects are keyed by
(call, acronym) and members by (application, organisation), so importing the same rows twice
changes nothing (and records nothing). Each import that changes something writes one ledger
entry, ``calls.results.imported``.

Award dates and the call's proposal counts have no field in the calls models: they come back in
the `ImportReport` for the caller to keep (the public app stores them).
"""

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.countries import COUNTRIES, normalise_country
from accounts.models import Organisation, User
from accounts.rules import is_consortium_staff
from accounts.services import organisation_clean
from accounts.validators import normalise_vat
from calls.models import (
    Application,
    ApplicationState,
    Call,
    CallState,
    ConsortiumMember,
    MemberStatus,
)
from calls.models.call import DEFAULT_THIRD_PARTY_CAP
from minegap.ledger.services import record

HEADER = (
    "project_acronym",
    "project_title",
    "organisation",
    "country",
    "vat_number",
    "amount",
    "award_date",
)
IMPORTABLE_STATES = frozenset({CallState.RESULTS_PUBLISHED, CallState.ARCHIVED})
MAX_AMOUNT = Decimal("9999999999.99")
_AMOUNT = re.compile(r"\d{1,10}(\.\d{1,2})?")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_SLUG = re.compile(r"[-a-z0-9_]{1,80}")
MAX_MEMBERS = 3  # a created call's consortium rule; its cap per project follows from it


@dataclass(frozen=True, order=True)
class RowError:
    line: int
    reason: str

    def __str__(self) -> str:
        return _("Line %(line)s: %(reason)s") % {"line": self.line, "reason": self.reason}


class ImportRejected(ValidationError):
    """Some rows are bad: nothing was written. `row_errors` lists every bad row, by line."""

    def __init__(self, row_errors: list[RowError]) -> None:
        self.row_errors = sorted(row_errors)
        super().__init__([str(error) for error in self.row_errors])


@dataclass
class ImportReport:
    call: Call
    call_created: bool = False
    projects_created: list[str] = field(default_factory=list)
    projects_updated: list[str] = field(default_factory=list)
    projects_unchanged: list[str] = field(default_factory=list)
    members_created: int = 0
    members_updated: int = 0
    organisations_created: list[str] = field(default_factory=list)
    total_awarded: Decimal = Decimal("0.00")
    award_dates: dict[int, date] = field(default_factory=dict)  # application pk -> award date
    proposals_received: int | None = None
    proposals_eligible: int | None = None

    @property
    def changed(self) -> bool:
        return bool(
            self.call_created
            or self.projects_created
            or self.projects_updated
            or self.members_created
            or self.members_updated
        )


@dataclass
class _Row:
    line: int
    acronym: str
    title: str
    organisation: str
    country: str
    vat: str
    amount: Decimal
    award_date: date


def _parse_amount(text: str) -> Decimal | None:
    if not _AMOUNT.fullmatch(text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern already excludes it
        return None


def _parse_date(text: str) -> date | None:
    if not _DATE.fullmatch(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _parse_row(line: int, raw: Mapping[str, str | None], cap: Decimal) -> _Row | list[RowError]:
    values = {key: (raw.get(key) or "").strip() for key in HEADER}
    missing = [key for key in HEADER if not values[key]]
    if missing:
        return [RowError(line, _("missing %(fields)s") % {"fields": ", ".join(missing)})]
    errors = []
    for key, limit in (("project_acronym", 30), ("project_title", 200), ("organisation", 200)):
        if len(values[key]) > limit:
            errors.append(
                RowError(
                    line, _("%(field)s longer than %(n)s characters") % {"field": key, "n": limit}
                )
            )
    country = normalise_country(values["country"])
    vat = ""
    if country not in COUNTRIES:
        errors.append(RowError(line, _("unknown country “%(c)s”") % {"c": values["country"]}))
    else:
        try:
            vat = normalise_vat(country=country, vat_number=values["vat_number"])
        except ValidationError as exc:
            errors.append(
                RowError(line, _("bad VAT number: %(m)s") % {"m": " ".join(exc.messages)})
            )
    amount = _parse_amount(values["amount"])
    if amount is None:
        errors.append(
            RowError(
                line,
                _("bad amount “%(a)s” (euros with a dot and at most two decimals, e.g. 24999.50)")
                % {"a": values["amount"]},
            )
        )
    elif amount <= 0 or amount > MAX_AMOUNT:
        errors.append(
            RowError(line, _("bad amount “%(a)s”: must be above zero") % {"a": values["amount"]})
        )
    elif amount > cap:
        errors.append(
            RowError(
                line,
                _("cap exceeded: EUR %(a)s is above the cap per third party of EUR %(cap)s")
                % {"a": amount, "cap": cap},
            )
        )
    award_date = _parse_date(values["award_date"])
    if award_date is None:
        errors.append(
            RowError(
                line, _("bad date “%(d)s” (expected YYYY-MM-DD)") % {"d": values["award_date"]}
            )
        )
    elif award_date > timezone.localdate():
        errors.append(RowError(line, _("award date %(d)s is in the future") % {"d": award_date}))
    if errors:
        return errors
    return _Row(
        line=line,
        acronym=values["project_acronym"],
        title=values["project_title"],
        organisation=values["organisation"],
        country=country,
        vat=vat,
        amount=amount,
        award_date=award_date,
    )


def _cross_checks(rows: list[_Row], call: Call | None, cap: Decimal) -> list[RowError]:
    """Duplicates and inconsistencies between rows, and caps over several rows."""
    errors: list[RowError] = []
    seen: dict[tuple[str, str], int] = {}
    unique: list[_Row] = []
    projects: dict[str, _Row] = {}
    names: dict[str, _Row] = {}
    per_project: dict[str, Decimal] = defaultdict(Decimal)
    for row in rows:
        key = (row.acronym, row.vat)
        if key in seen:
            errors.append(
                RowError(
                    row.line,
                    _("duplicate row: %(vat)s is already in project %(p)s on line %(first)s")
                    % {"vat": row.vat, "p": row.acronym, "first": seen[key]},
                )
            )
            continue
        seen[key] = row.line
        unique.append(row)
        first = projects.setdefault(row.acronym, row)
        if (first.title, first.award_date) != (row.title, row.award_date):
            errors.append(
                RowError(
                    row.line,
                    _("project %(p)s has another title or award date on line %(first)s")
                    % {"p": row.acronym, "first": first.line},
                )
            )
        named = names.setdefault(row.vat, row)
        if named.organisation != row.organisation:
            errors.append(
                RowError(
                    row.line,
                    _("VAT number %(vat)s is “%(name)s” on line %(first)s")
                    % {"vat": row.vat, "name": named.organisation, "first": named.line},
                )
            )
        per_project[row.acronym] += row.amount
    cap_per_project = call.cap_per_project if call else cap * MAX_MEMBERS
    for acronym, total in per_project.items():
        if total > cap_per_project:
            errors.append(
                RowError(
                    projects[acronym].line,
                    _(
                        "cap exceeded: project %(p)s totals EUR %(t)s, above the cap per project of EUR %(cap)s"
                    )
                    % {"p": acronym, "t": total, "cap": cap_per_project},
                )
            )
    errors.extend(_organisation_caps(unique, call, cap))
    return errors


def _organisation_caps(rows: list[_Row], call: Call | None, cap: Decimal) -> list[RowError]:
    """An organisation's awards in the call (this file's, plus those in other projects already
    recorded) stay within the cap per third party."""
    existing: dict[str, Decimal] = defaultdict(Decimal)
    if call is not None:
        for vat, acronym, amount in ConsortiumMember.objects.filter(
            application__call=call,
            organisation__vat_number__in={row.vat for row in rows},
            awarded_amount__isnull=False,
        ).values_list("organisation__vat_number", "application__acronym", "awarded_amount"):
            if acronym not in {row.acronym for row in rows}:
                existing[vat] += amount
    totals: dict[str, Decimal] = defaultdict(Decimal)
    errors = []
    for row in rows:
        totals[row.vat] += row.amount
        if existing[row.vat] + totals[row.vat] > cap:
            errors.append(
                RowError(
                    row.line,
                    _(
                        "cap exceeded: %(vat)s would receive EUR %(t)s in this call, above the cap per third party of EUR %(cap)s"
                    )
                    % {"vat": row.vat, "t": existing[row.vat] + totals[row.vat], "cap": cap},
                )
            )
    return errors


def _database_checks(rows: list[_Row], call: Call | None) -> list[RowError]:
    errors: list[RowError] = []
    if call is not None:
        first_line = {}
        for row in rows:
            first_line.setdefault(row.acronym, row.line)
        found: dict[str, list[str]] = defaultdict(list)
        for acronym, state in Application.objects.filter(
            call=call, acronym__in=list(first_line)
        ).values_list("acronym", "state"):
            found[acronym].append(state)
        for acronym, states in found.items():
            if len(states) > 1 or states[0] != ApplicationState.FUNDED:
                errors.append(
                    RowError(
                        first_line[acronym],
                        _(
                            "project %(p)s already exists in this call and is not an imported funded project"
                        )
                        % {"p": acronym},
                    )
                )
    known = set(
        Organisation.objects.filter(vat_number__in={row.vat for row in rows}).values_list(
            "vat_number", flat=True
        )
    )
    checked: set[str] = set()
    for row in rows:
        if row.vat in known or row.vat in checked:
            continue
        checked.add(row.vat)
        try:
            organisation_clean(
                data={
                    "legal_name": row.organisation,
                    "country": row.country,
                    "vat_number": row.vat,
                    "type": Organisation.Type.SME,
                }
            )
        except ValidationError as exc:
            errors.append(
                RowError(row.line, _("organisation: %(m)s") % {"m": " ".join(exc.messages)})
            )
    return errors


def _check_arguments(
    *, call_slug: str, title: str, call: Call | None, received: int | None, eligible: int | None
) -> None:
    problems = []
    if not _SLUG.fullmatch(call_slug or ""):
        problems.append(_("The call slug may hold lower-case letters, digits and hyphens only."))
    if call is None and not (title or "").strip():
        problems.append(_("Give the new call a title."))
    if call is not None and call.state not in IMPORTABLE_STATES:
        problems.append(
            _(
                "Call %(slug)s is “%(state)s”: results are imported only into a call whose results are published."
            )
            % {"slug": call.slug, "state": call.get_state_display()}
        )
    for name, value in (("proposals received", received), ("proposals eligible", eligible)):
        if value is not None and (not isinstance(value, int) or value < 0):
            problems.append(
                _("The number of %(what)s must be a whole number, zero or more.") % {"what": name}
            )
    if isinstance(received, int) and isinstance(eligible, int) and eligible > received:
        problems.append(_("There cannot be more eligible proposals than proposals received."))
    if problems:
        raise ValidationError(problems)


def _unique_code(slug: str) -> str:
    base = re.sub(r"[^A-Z0-9]", "", slug.upper())[:16] or "IMPORT"
    code, n = base, 1
    while Call.objects.filter(code=code).exists():
        n += 1
        code = f"{base}-{n}"
    return code


def _create_call(*, slug: str, title: str, rows: list[_Row], actor: User | None) -> Call:
    now = timezone.now()
    return Call.objects.create(
        slug=slug,
        title=title.strip()[:200],
        code=_unique_code(slug),
        summary=_("Results of a call run outside MineGap, imported on %(d)s.") % {"d": now.date()},
        state=CallState.RESULTS_PUBLISHED,
        total_budget=sum((row.amount for row in rows), Decimal("0.00")),
        cap_per_project=DEFAULT_THIRD_PARTY_CAP * MAX_MEMBERS,
        cap_per_third_party=DEFAULT_THIRD_PARTY_CAP,
        max_members=MAX_MEMBERS,
        eligible_countries=sorted({row.country for row in rows}),
        created_by=actor,
        published_at=now,
    )


def import_external_results(
    *,
    call_slug: str,
    title: str = "",
    rows: Iterable[Mapping[str, str | None]],
    actor: User | None,
    proposals_received: int | None = None,
    proposals_eligible: int | None = None,
    first_line: int = 2,
    line_numbers: list[int] | None = None,
) -> ImportReport:
    """Import funded projects of a call run elsewhere (see the module's docstring).

    `rows` are mappings with the `HEADER` keys; line numbers in errors count from `first_line`
    (2: the line after a CSV header), or are given one per row in `line_numbers`. `actor` is a staff member, or None for an operator's
    command. Raises `ImportRejected` (every bad row) or `ValidationError` (bad arguments).
    """
    if actor is not None and not is_consortium_staff(actor):
        raise PermissionDenied(_("Only consortium staff can import results."))
    rows = list(rows)
    call = Call.objects.filter(slug=call_slug).first()
    _check_arguments(
        call_slug=call_slug,
        title=title,
        call=call,
        received=proposals_received,
        eligible=proposals_eligible,
    )
    if not rows:
        raise ImportRejected([RowError(first_line, _("no rows to import"))])
    cap = call.cap_per_third_party if call else DEFAULT_THIRD_PARTY_CAP
    parsed: list[_Row] = []
    errors: list[RowError] = []
    for index, raw in enumerate(rows):
        line = line_numbers[index] if line_numbers else first_line + index
        result = _parse_row(line, raw, cap)
        if isinstance(result, list):
            errors.extend(result)
        else:
            parsed.append(result)
    errors.extend(_cross_checks(parsed, call, cap))
    errors.extend(_database_checks(parsed, call))
    if errors:
        raise ImportRejected(errors)
    with transaction.atomic():
        if call is None:
            call = _create_call(slug=call_slug, title=title, rows=parsed, actor=actor)
            report = ImportReport(call=call, call_created=True)
        else:
            call = Call.objects.select_for_update().get(pk=call.pk)
            report = ImportReport(call=call)
        report.proposals_received, report.proposals_eligible = (
            proposals_received,
            proposals_eligible,
        )
        _write(report, parsed, actor)
        total = ConsortiumMember.objects.filter(
            application__call=call, awarded_amount__isnull=False
        ).aggregate(total=Sum("awarded_amount"))["total"] or Decimal("0")
        report.total_awarded = Decimal(total).quantize(Decimal("0.01"))
        if report.total_awarded > call.total_budget:  # what was awarded elsewhere is a fact
            call.total_budget = report.total_awarded
            call.save(update_fields=["total_budget"])
        if report.changed:
            record(
                action="calls.results.imported",
                target=call,
                actor=actor,
                data={
                    "call_created": report.call_created,
                    "rows": len(parsed),
                    "projects_created": report.projects_created,
                    "projects_updated": report.projects_updated,
                    "members_created": report.members_created,
                    "members_updated": report.members_updated,
                    "organisations_created": report.organisations_created,
                    "total_awarded": report.total_awarded,
                    "proposals_received": proposals_received,
                    "proposals_eligible": proposals_eligible,
                },
            )
    return report


def _write(report: ImportReport, rows: list[_Row], actor: User | None) -> None:
    call = report.call
    organisations = {
        o.vat_number: o for o in Organisation.objects.filter(vat_number__in={r.vat for r in rows})
    }
    for row in rows:
        if row.vat not in organisations:
            organisation = Organisation.objects.create(
                **organisation_clean(
                    data={
                        "legal_name": row.organisation,
                        "country": row.country,
                        "vat_number": row.vat,
                        "type": Organisation.Type.SME,
                    }
                )
            )
            organisations[row.vat] = organisation
            report.organisations_created.append(row.vat)
    by_project: dict[str, list[_Row]] = defaultdict(list)
    for row in rows:
        by_project[row.acronym].append(row)
    existing = {
        a.acronym: a for a in Application.objects.filter(call=call, acronym__in=list(by_project))
    }
    for acronym, project_rows in by_project.items():
        first = project_rows[0]
        application = existing.get(acronym)
        project_changed = False
        if application is None:
            call.submission_counter += 1
            call.save(update_fields=["submission_counter"])
            application = Application.objects.create(
                call=call,
                lead_organisation=organisations[first.vat],
                created_by=actor,
                state=ApplicationState.FUNDED,
                title=first.title,
                acronym=acronym,
                reference=f"{call.code}-{call.submission_counter:04d}",
                state_reason=_("Imported from a call run elsewhere."),
            )
            report.projects_created.append(acronym)
        elif application.title != first.title:
            application.title = first.title
            application.save(update_fields=["title", "updated_at"])
            project_changed = True
        members = {m.organisation_id: m for m in application.members.all()}
        has_lead = any(m.is_lead for m in members.values())
        for row in project_rows:
            organisation = organisations[row.vat]
            member = members.get(organisation.pk)
            if member is None:
                ConsortiumMember.objects.create(
                    application=application,
                    organisation=organisation,
                    is_lead=not has_lead,
                    status=MemberStatus.CONFIRMED,
                    requested_amount=row.amount,
                    awarded_amount=row.amount,
                )
                has_lead = True
                report.members_created += 1
                project_changed = True
            elif member.awarded_amount != row.amount or member.status != MemberStatus.CONFIRMED:
                member.awarded_amount = row.amount
                member.status = MemberStatus.CONFIRMED
                member.save(update_fields=["awarded_amount", "status"])
                report.members_updated += 1
                project_changed = True
        if project_changed and acronym not in report.projects_created:
            report.projects_updated.append(acronym)
        elif not project_changed:
            report.projects_unchanged.append(acronym)
        report.award_dates[application.pk] = first.award_date
