"""Staff ledger browser: filter, page through, open one entry, export the filtered list as CSV."""

import json
from collections.abc import Iterator

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.db.models import QuerySet
from django.http import HttpRequest, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views import View
from django.views.generic import DetailView, ListView

from minegap.core.csv import csv_lines
from minegap.ledger.forms import AuditEntryFilterForm
from minegap.ledger.labels import action_label
from minegap.ledger.models import AuditEntry
from minegap.ledger.selectors import audit_entry_list, audit_entry_target_types
from minegap.ledger.verification import entry_is_consistent

PERMISSION = "minegap.view_ledger"


class LedgerAccessMixin(PermissionRequiredMixin):
    """Anonymous visitors go to the sign-in page; signed-in people without the perm get 403."""

    permission_required = PERMISSION


def data_summary(data: dict, *, limit: int = 90) -> str:
    """`key: value, …` on one short line for the list (the detail page shows everything)."""
    parts = []
    for key, value in data.items():
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        parts.append(f"{key}: {text if len(text) <= 24 else text[:23] + '…'}")
    summary = ", ".join(parts)
    return summary if len(summary) <= limit else summary[: limit - 1] + "…"


def _filtered(request: HttpRequest) -> tuple[AuditEntryFilterForm, QuerySet[AuditEntry]]:
    form = AuditEntryFilterForm(request.GET or None, target_types=audit_entry_target_types())
    if form.is_bound and not form.is_valid():
        return form, AuditEntry.objects.none()
    return form, audit_entry_list(**form.filters())


class AuditEntryListView(LedgerAccessMixin, ListView):
    template_name = "ledger/entry_list.html"
    context_object_name = "entries"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[AuditEntry]:
        self.form, entries = _filtered(self.request)
        return entries

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for entry in context["entries"]:
            entry.label = action_label(entry.action)
            entry.data_summary = data_summary(entry.data)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(form=self.form, query=query.urlencode())
        return context


class AuditEntryDetailView(LedgerAccessMixin, DetailView):
    template_name = "ledger/entry_detail.html"
    context_object_name = "entry"

    def get_object(self, queryset=None) -> AuditEntry:
        entry = get_object_or_404(
            AuditEntry.objects.select_related("actor", "erasable"), seq=self.kwargs["seq"]
        )
        entry.kept_beside = getattr(entry, "erasable", None)  # notes or a sealed original
        if entry.kept_beside is not None and entry.kept_beside.payload is not None:
            entry.kept_beside_json = json.dumps(
                entry.kept_beside.payload, indent=2, sort_keys=True, ensure_ascii=False
            )
        entry.label = action_label(entry.action)
        entry.data_json = json.dumps(entry.data, indent=2, sort_keys=True, ensure_ascii=False)
        entry.consistent = entry_is_consistent(entry)
        return entry


CSV_HEADER = (
    "seq",
    "time",
    "actor",
    "action",
    "label",
    "target_type",
    "target_id",
    "data",
    "prev_hash",
    "hash",
)


def _csv_rows(entries: QuerySet[AuditEntry]) -> Iterator[str]:
    yield from csv_lines(CSV_HEADER, map(_csv_row, entries.iterator(chunk_size=2000)))


def _csv_row(entry: AuditEntry) -> tuple:
    return (
        entry.seq,
        timezone.localtime(entry.at).isoformat(),
        entry.actor.email if entry.actor else "",
        entry.action,
        action_label(entry.action),
        entry.target_type,
        entry.target_id,
        json.dumps(entry.data, sort_keys=True, ensure_ascii=False),
        entry.prev_hash,
        entry.hash,
    )


class AuditEntryExportView(LedgerAccessMixin, View):
    """The filtered list as CSV, streamed (formula injection neutralised by defusedcsv)."""

    def get(self, request: HttpRequest) -> StreamingHttpResponse:
        _form, entries = _filtered(request)
        filename = f"minegap-ledger-{timezone.localdate().isoformat()}.csv"
        response = StreamingHttpResponse(_csv_rows(entries), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
