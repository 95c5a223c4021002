"""Mounted by minegap/urls.py at /manage/ledger/ (staff area: MFA required by middleware)."""

from django.urls import path

from minegap.ledger import views

app_name = "ledger"
urlpatterns = [
    path("", views.AuditEntryListView.as_view(), name="list"),
    path("export.csv", views.AuditEntryExportView.as_view(), name="export"),
    path("<int:seq>/", views.AuditEntryDetailView.as_view(), name="detail"),
]
