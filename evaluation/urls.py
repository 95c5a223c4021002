from django.urls import path

from evaluation.views import assignment, eligibility, evaluate, evaluators, results

app_name = "evaluation"
urlpatterns = [
    # Staff.
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
    path("manage/evaluators/", evaluators.EvaluatorPoolView.as_view(), name="evaluator-pool"),
    path(
        "manage/calls/<slug:slug>/assignments/",
        assignment.AssignmentListView.as_view(),
        name="assignments",
    ),
    path(
        "manage/calls/<slug:slug>/assignments/settings/",
        assignment.AssignmentSettingsView.as_view(),
        name="assignment-settings",
    ),
    path(
        "manage/calls/<slug:slug>/assignments/add/",
        assignment.AssignmentAddView.as_view(),
        name="assignment-add",
    ),
    path(
        "manage/calls/<slug:slug>/assignments/<int:pk>/remove/",
        assignment.AssignmentRemoveView.as_view(),
        name="assignment-remove",
    ),
    path(
        "manage/calls/<slug:slug>/assignments/<int:pk>/reopen/",
        assignment.ScoresReopenView.as_view(),
        name="scores-reopen",
    ),
    path("manage/calls/<slug:slug>/scores/", results.ScoresView.as_view(), name="scores"),
    path("manage/calls/<slug:slug>/ranking/", results.RankingView.as_view(), name="ranking"),
    # Evaluators.
    path("evaluate/", evaluate.EvaluatorHomeView.as_view(), name="evaluator-home"),
    path("evaluate/join/<str:token>/", evaluators.join, name="join"),
    path("evaluate/declaration/", evaluators.DeclarationView.as_view(), name="declaration"),
    path("evaluate/profile/", evaluators.ProfileView.as_view(), name="profile"),
    path("evaluate/assignments/<int:pk>/", evaluate.AssignmentView.as_view(), name="assignment"),
    path(
        "evaluate/assignments/<int:pk>/files/<int:attachment_id>/",
        evaluate.attachment_download,
        name="assignment-file",
    ),
]
