from django.urls import path

from public import api, api_impact

urlpatterns = [
    path("public/stats/", api.StatsView.as_view(), name="api-public-stats"),
    path("public/event-figures/", api.EventFiguresView.as_view(), name="api-public-event-figures"),
    path("public/calls/", api.CallListView.as_view(), name="api-public-calls"),
    path("public/projects/", api.ProjectListView.as_view(), name="api-public-projects"),
    path("public/impact/", api_impact.ImpactView.as_view(), name="api-public-impact"),
    path(
        "public/beneficiaries/", api.BeneficiaryListView.as_view(), name="api-public-beneficiaries"
    ),
]
