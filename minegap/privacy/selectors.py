"""Reads of a person's data exports."""

from django.db.models import QuerySet

from minegap.privacy.models import DataExport

RECENT = 5


def recent_exports_of(user) -> QuerySet[DataExport]:
    """The person's last few exports, newest first (older ones are only history)."""
    return DataExport.objects.filter(user=user).order_by("-created_at", "-pk")[:RECENT]


def export_of(user, pk: int) -> DataExport | None:
    """The person's own export, or None: another person's is never found."""
    return DataExport.objects.filter(user=user, pk=pk).first()
