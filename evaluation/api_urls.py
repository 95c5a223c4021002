from django.urls import path

from evaluation import api

urlpatterns = [
    path("calls/<slug:slug>/ranking/", api.CallRanking.as_view(), name="api-call-ranking"),
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
