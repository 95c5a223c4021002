"""Retention of the people an impact report names (who submitted or reopened it): unlinked
together with the funded project's other records (`vouchers.funded_projects` marks the voucher
once its period ends). The reported figures are the organisation's and stay."""

from datetime import datetime

from django.db.models import Q
from django.utils.translation import gettext_lazy

from impact.models import ImpactReport
from minegap.core.personal_data import RetentionRule


def _due():
    return ImpactReport.objects.filter(
        Q(submitted_by__isnull=False) | Q(reopened_by__isnull=False),
        share__voucher__personal_data_removed_at__isnull=False,
    )


def apply(now: datetime, dry_run: bool) -> int:
    if dry_run:
        return _due().count()
    return _due().update(submitted_by=None, reopened_by=None)


def rule() -> RetentionRule:
    return RetentionRule(
        name="impact.report_authors",
        description=gettext_lazy(
            "Who submitted or reopened a funded project's impact reports (the figures stay)"
        ),
        period=gettext_lazy("As the funded project's other records that name people"),
        apply=apply,
    )
