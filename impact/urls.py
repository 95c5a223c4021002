from django.urls import path

from impact import views

app_name = "impact"

urlpatterns = [
    path("manage/calls/<slug:slug>/impact/", views.CallView.as_view(), name="manage-call"),
    path("manage/calls/<slug:slug>/impact/presets/", views.PresetsView.as_view(), name="presets"),
    path(
        "manage/calls/<slug:slug>/impact/indicators/new/",
        views.IndicatorCreateView.as_view(),
        name="indicator-create",
    ),
    path(
        "manage/calls/<slug:slug>/impact/reports/",
        views.CompletionView.as_view(),
        name="completion",
    ),
    path(
        "manage/calls/<slug:slug>/impact/export.<str:fmt>",
        views.ExportView.as_view(),
        name="export",
    ),
    path(
        "manage/impact/indicators/<int:pk>/",
        views.IndicatorEditView.as_view(),
        name="indicator-edit",
    ),
    path(
        "manage/impact/indicators/<int:pk>/remove/",
        views.IndicatorRemoveView.as_view(),
        name="indicator-remove",
    ),
    path("manage/impact/reports/<int:pk>/", views.ReportDetailView.as_view(), name="report-detail"),
    path(
        "manage/impact/reports/<int:pk>/reopen/",
        views.ReportReopenView.as_view(),
        name="report-reopen",
    ),
    path("apply/impact/", views.my_reports, name="my-reports"),
    path("apply/impact/<int:share_pk>/<str:stage>/", views.report, name="report"),
]
