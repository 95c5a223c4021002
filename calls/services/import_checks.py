"""The checks of an import of external results: every row parsed and checked (alone, against
the other rows, against the database) before `calls.services.imports` writes anything."""

import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.countries import COUNTRIES, normalise_country
from accounts.models import Organisation
from accounts.services import organisation_clean
from accounts.validators import normalise_vat
from calls.models import Application, ApplicationState, Call, CallState, ConsortiumMember
from minegap.core.formatting import format_money

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
class Row:
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


def parse_row(line: int, raw: Mapping[str, str | None], cap: Decimal) -> Row | list[RowError]:
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
                _("cap exceeded: %(a)s is above the cap per third party of %(cap)s")
                % {"a": format_money(amount), "cap": format_money(cap)},
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
    return Row(
        line=line,
        acronym=values["project_acronym"],
        title=values["project_title"],
        organisation=values["organisation"],
        country=country,
        vat=vat,
        amount=amount,
        award_date=award_date,
    )


def cross_checks(rows: list[Row], call: Call | None, cap: Decimal) -> list[RowError]:
    """Duplicates and inconsistencies between rows, and caps over several rows."""
    errors: list[RowError] = []
    seen: dict[tuple[str, str], int] = {}
    unique: list[Row] = []
    projects: dict[str, Row] = {}
    names: dict[str, Row] = {}
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
                        "cap exceeded: project %(p)s totals %(t)s, above the cap per project of %(cap)s"
                    )
                    % {
                        "p": acronym,
                        "t": format_money(total),
                        "cap": format_money(cap_per_project),
                    },
                )
            )
    errors.extend(_organisation_caps(unique, call, cap))
    return errors


def _organisation_caps(rows: list[Row], call: Call | None, cap: Decimal) -> list[RowError]:
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
                        "cap exceeded: %(vat)s would receive %(t)s in this call, above the cap per third party of %(cap)s"
                    )
                    % {
                        "vat": row.vat,
                        "t": format_money(existing[row.vat] + totals[row.vat]),
                        "cap": format_money(cap),
                    },
                )
            )
    return errors


def database_checks(rows: list[Row], call: Call | None) -> list[RowError]:
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


def check_arguments(
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
