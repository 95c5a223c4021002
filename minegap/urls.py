"""Root URLs. Each app's `urls.py` holds its pages under their full paths (its areas: /apply/,
/manage/, /evaluate/, /committee/, public pages); its `api_urls.py` sits under /api/v1/."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

from minegap.core import views as core_views

PIPELINE = (
    "accounts",
    "matchmaking",
    "calls",
    "evaluation",
    "vouchers",
    "mentoring",
    "events",
    "impact",
    "public",
)

api_v1 = [path("", include(f"{app}.api_urls")) for app in PIPELINE]

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("allauth.urls")),
    # Beside allauth's account pages: what allauth does not match falls through to here.
    path("accounts/my-data/", include("minegap.privacy.urls")),
    path("dashboard/", core_views.dashboard, name="dashboard"),
    # The staff area has no page of its own: its entry is each person's dashboard.
    path("manage/", RedirectView.as_view(pattern_name="dashboard"), name="manage"),
    path("manage/ledger/", include("minegap.ledger.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as a file: no inline script (CSP).
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="api-redoc"),
    *[path("", include(f"{app}.urls")) for app in PIPELINE],
]
