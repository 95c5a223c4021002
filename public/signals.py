"""Receivers that invalidate the public caches when a record they read changes.

Connected in `PublicConfig.ready`. Bulk `QuerySet.update()` sends no signal: services that
change these records save instances (calls' services do), or send
`minegap.core.page_cache.records_changed` themselves.

Two caches: `public_cache` (figures, the latest projects, list counts) follows the records of
`WATCHED_MODELS`; the page cache (`minegap.core.page_cache`: whole anonymous pages, which show
calls, events and their documents too) follows every record of the apps except those no public
page shows (`PRIVATE_MODELS`: evaluation work, payments, accounts, drafts), so that a record
forgotten here costs a re-rendering, never a stale page.
"""

from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save

from accounts.models import Organisation
from calls.models import Application, ApplicationState, Call, ConsortiumMember, VoucherType
from evaluation.models import ResultsPublication
from events.models import Event, Meeting, MeetingOutcome, MeetingRequest, Registration
from impact.models import ImpactReport, Indicator
from matchmaking.models import PartnerProfile
from minegap.core.page_cache import pages, records_changed
from public.cache import public_cache
from public.models import CallFigures, ProjectAward
from vouchers.models import Deliverable, Voucher

WATCHED_MODELS = (
    Call,
    VoucherType,
    Application,
    ConsortiumMember,
    Organisation,
    CallFigures,
    ProjectAward,
    ResultsPublication,  # the award date of projects decided in MineGap
    PartnerProfile,  # stages, sectors and materials of the funded SMEs (filters, figures)
    Voucher,  # a project's start (signature)
    Deliverable,  # a project's end (due dates), public deliverables (state, `public`)
    Indicator,  # the impact figures: what each call asks
    ImpactReport,  # the impact figures: what was reported (a reopen too)
    # The events' figures: events held, their participants, meetings held and what they led to.
    Event,
    Registration,
    MeetingRequest,
    Meeting,
    MeetingOutcome,
)


PAGE_APPS = frozenset(
    {"accounts", "calls", "evaluation", "vouchers", "matchmaking", "events", "public"}
)
PRIVATE_MODELS = frozenset(
    {
        "accounts.user",
        "accounts.membership",
        "accounts.invitation",
        "accounts.smedeclaration",
        "accounts.relatedenterpriserow",
        "accounts.apitoken",
        "accounts.apitokenuse",
        "accounts.erasurerequest",
        "calls.answer",  # a draft's answers; the public reads the submitted version
        "calls.attachment",
        "evaluation.assignment",
        "evaluation.score",
        "evaluation.consensus",
        "evaluation.consensusscore",
        "evaluation.consensusagreement",
        "evaluation.eligibilitycheck",
        "evaluation.eligibilitycheckitem",
        "evaluation.evaluatorinvitation",
        "evaluation.evaluatorprofile",
        "evaluation.evaluatorexpertise",
        "evaluation.evaluationsummaryreport",
        "evaluation.complaint",
        "evaluation.decisionattendance",
        "evaluation.decisionvote",
        "vouchers.paymentrequest",
        "vouchers.payment",
        "vouchers.instalment",
        "vouchers.instalmentshare",
        "matchmaking.expressionofinterest",
        "matchmaking.organisationblock",
    }
)


def data_changed(sender: type, **kwargs: Any) -> None:
    public_cache.changed()


def page_data_changed(sender: type, instance: Any = None, **kwargs: Any) -> None:
    """A record was saved or deleted (or its many-to-many links changed): forget the cached
    pages, unless no public page shows it. A draft application is private until submitted."""
    meta = sender._meta
    if meta.app_label not in PAGE_APPS or meta.label_lower in PRIVATE_MODELS:
        return
    if isinstance(instance, Application) and instance.state == ApplicationState.DRAFT:
        return
    pages.changed()


def records_changed_in_bulk(sender: type, **kwargs: Any) -> None:
    public_cache.changed()
    pages.changed()


def connect() -> None:
    for model in WATCHED_MODELS:
        uid = f"public-cache-{model._meta.label_lower}"
        post_save.connect(data_changed, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(data_changed, sender=model, dispatch_uid=f"{uid}-delete")
    post_save.connect(page_data_changed, dispatch_uid="page-cache-save")
    post_delete.connect(page_data_changed, dispatch_uid="page-cache-delete")
    m2m_changed.connect(page_data_changed, dispatch_uid="page-cache-m2m")
    records_changed.connect(records_changed_in_bulk, dispatch_uid="public-records-changed")
