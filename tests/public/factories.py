"""Crafted calls records for the public figures: calls in a given state, projects in a given
state with beneficiaries and their awarded amounts (written directly: the figures only read)."""

import itertools
from decimal import Decimal

from calls.models import Application, ApplicationState, CallState, ConsortiumMember, MemberStatus
from calls.services.awards import record_imported_award_dates, record_results_published
from evaluation.models import ResultsPublication
from public.models import ProjectAward
from tests.calls.factories import CallFactory
from tests.factories import OrganisationFactory

_references = itertools.count(1)


def results_call(**kwargs):
    kwargs.setdefault("state", CallState.RESULTS_PUBLISHED)
    return CallFactory(**kwargs)


def project(
    call,
    awards: list[tuple] = (),
    *,
    state: str = ApplicationState.FUNDED,
    acronym: str = "",
    title: str = "",
    voucher_type=None,
) -> Application:
    """An application of `call` in `state` whose members are `awards`: (organisation, amount)
    pairs, amount a string or None (a member without an award)."""
    number = next(_references)
    organisations = [organisation for organisation, _amount in awards] or [OrganisationFactory()]
    application = Application.objects.create(
        call=call,
        lead_organisation=organisations[0],
        state=state,
        title=title or f"Project {number}",
        acronym=acronym or f"PRJ{number}",
        summary=f"What project {number} does.",
        reference=f"{call.code}-{number:04d}",
        voucher_type=voucher_type,
    )
    for index, (organisation, amount) in enumerate(awards):
        ConsortiumMember.objects.create(
            application=application,
            organisation=organisation,
            is_lead=index == 0,
            status=MemberStatus.CONFIRMED,
            requested_amount=Decimal(amount or "0"),
            awarded_amount=Decimal(amount) if amount is not None else None,
        )
    return application


def sme(country: str = "FI", **kwargs):
    return OrganisationFactory(country=country, **kwargs)


def imported_award(application, award_date) -> ProjectAward:
    """An award date recorded with an import, as `public.services.store_import_details` keeps it:
    the record and the application's sort key."""
    award = ProjectAward.objects.create(application=application, award_date=award_date)
    record_imported_award_dates(award_dates={application.pk: award_date})
    return award


def results_published(call, **kwargs) -> ResultsPublication:
    """The publication of `call`'s results, as `publish_results` records it: the record and its
    applications' sort key."""
    publication = ResultsPublication.objects.create(call=call, **kwargs)
    record_results_published(call=call, published_at=publication.published_at)
    return publication
