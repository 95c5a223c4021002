from django.urls import path

from public import views, views_impact

app_name = "public"
urlpatterns = [
    path("", views.home, name="home"),
    path("projects/", views.projects, name="projects"),
    path("projects/<int:pk>/", views.project_detail, name="project-detail"),
    path(
        "projects/<int:pk>/deliverables/<int:version_pk>/",
        views.deliverable_file,
        name="deliverable-file",
    ),
    path("beneficiaries/", views.beneficiaries, name="beneficiaries"),
    path("figures/", views.figures, name="figures"),
    path("figures/impact/", views_impact.impact, name="impact"),
    path("decisions/", views.decisions, name="decisions"),
    path(
        "decisions/<slug:slug>/decision.json",
        views.decision_document,
        name="decision-document",
    ),
    path("open-data/", views.open_data, name="open-data"),
    path("privacy/", views.privacy_notice, name="privacy"),
]
