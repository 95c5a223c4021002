from django.urls import path

from evaluation import api, api_results

urlpatterns = [
    path("calls/<slug:slug>/ranking/", api.CallRanking.as_view(), name="api-call-ranking"),
    path(
        "applications/<int:pk>/results/",
        api_results.ApplicationResults.as_view(),
        name="api-application-results",
    ),
    path(
        "evaluate/assignments/",
        api.EvaluatorAssignmentList.as_view(),
        name="api-evaluator-assignments",
    ),
    path(
        "evaluate/assignments/<int:pk>/",
        api.EvaluatorAssignmentDetail.as_view(),
        name="api-evaluator-assignment",
    ),
]
