"""Receivers that invalidate the public cache when a record it reads changes.

Connected in `PublicConfig.ready`. Bulk `QuerySet.update()` sends no signal: services that
change these records save instances (calls' services do), or call `public_cache.changed()` themselves.
"""

from typing import Any

from django.db.models.signals import post_delete, post_save

from accounts.models import Organisation
from calls.models import Application, Call, ConsortiumMember, VoucherType
from evaluation.models import ResultsPublication
from matchmaking.models import PartnerProfile
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
)


def data_changed(sender: type, **kwargs: Any) -> None:
    public_cache.changed()


def connect() -> None:
    for model in WATCHED_MODELS:
        uid = f"public-cache-{model._meta.label_lower}"
        post_save.connect(data_changed, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(data_changed, sender=model, dispatch_uid=f"{uid}-delete")
