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
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from accounts.rules import is_consortium_staff
from accounts.services import organisation_clean
from calls.models import (
    Application,
    ApplicationState,
    Call,
    CallState,
    ConsortiumMember,
    MemberStatus,
)
from calls.models.call import DEFAULT_THIRD_PARTY_CAP
from calls.results_cache import results_changed
from calls.services.calls import lock_call
from calls.services.import_checks import (
    HEADER,
    MAX_MEMBERS,
    ImportRejected,
    Row,
    RowError,
    check_arguments,
    cross_checks,
    database_checks,
    parse_row,
)
from minegap.ledger.services import record

# HEADER, RowError and ImportRejected are imported from here by callers.
__all__ = ["HEADER", "ImportRejected", "ImportReport", "RowError", "import_external_results"]


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


def _unique_code(slug: str) -> str:
    base = re.sub(r"[^A-Z0-9]", "", slug.upper())[:16] or "IMPORT"
    code, n = base, 1
    while Call.objects.filter(code=code).exists():
        n += 1
        code = f"{base}-{n}"
    return code


def _create_call(*, slug: str, title: str, rows: list[Row], actor: User | None) -> Call:
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
        imported_at=now,
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
    check_arguments(
        call_slug=call_slug,
        title=title,
        call=call,
        received=proposals_received,
        eligible=proposals_eligible,
    )
    if not rows:
        raise ImportRejected([RowError(first_line, _("no rows to import"))])
    cap = call.cap_per_third_party if call else DEFAULT_THIRD_PARTY_CAP
    parsed: list[Row] = []
    errors: list[RowError] = []
    for index, raw in enumerate(rows):
        line = line_numbers[index] if line_numbers else first_line + index
        result = parse_row(line, raw, cap)
        if isinstance(result, list):
            errors.extend(result)
        else:
            parsed.append(result)
    errors.extend(cross_checks(parsed, call, cap))
    errors.extend(database_checks(parsed, call))
    if errors:
        raise ImportRejected(errors)
    with transaction.atomic():
        if call is None:
            call = _create_call(slug=call_slug, title=title, rows=parsed, actor=actor)
            report = ImportReport(call=call, call_created=True)
        else:
            call = lock_call(call)
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
            results_changed(call.pk)  # funded applications and their consortia
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


def _write(report: ImportReport, rows: list[Row], actor: User | None) -> None:
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
    by_project: dict[str, list[Row]] = defaultdict(list)
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
