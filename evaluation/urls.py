from django.urls import path

from evaluation.views import eligibility

app_name = "evaluation"
urlpatterns = [
    path(
        "manage/calls/<slug:slug>/eligibility/",
        eligibility.EligibilityListView.as_view(),
        name="eligibility",
    ),
    path(
        "manage/calls/<slug:slug>/eligibility/<int:pk>/",
        eligibility.EligibilityDetailView.as_view(),
        name="eligibility-detail",
    ),
]
