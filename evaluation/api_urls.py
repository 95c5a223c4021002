from django.urls import path

from evaluation import api

urlpatterns = [
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
