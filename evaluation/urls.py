from django.urls import path

from evaluation.views import (
    applicant,
    assignment,
    committee,
    eligibility,
    evaluate,
    evaluators,
    publication,
    redress,
    results,
)

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
        "manage/calls/<slug:slug>/assignments/runs/<int:pk>/",
        assignment.AssignmentRunView.as_view(),
        name="assignment-run",
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
    path(
        "manage/calls/<slug:slug>/ranking/pending/",
        results.RankingPendingView.as_view(),
        name="ranking-pending",
    ),
    path(
        "manage/calls/<slug:slug>/ranking.csv",
        results.RankingCsvView.as_view(),
        name="ranking-csv",
    ),
    path(
        "manage/calls/<slug:slug>/results/",
        publication.ResultsPublicationView.as_view(),
        name="results-publication",
    ),
    path("manage/complaints/", redress.ComplaintListView.as_view(), name="complaints"),
    path(
        "manage/complaints/<int:pk>/",
        redress.ComplaintDetailView.as_view(),
        name="complaint-detail",
    ),
    # Applicants (apply/applications/<pk>/<step>/ belongs to the calls wizard).
    path("apply/results/<int:pk>/", applicant.results, name="applicant-results"),
    path(
        "apply/results/<int:pk>/report/",
        applicant.summary_report_download,
        name="esr-download",
    ),
    path("apply/results/<int:pk>/complaint/", redress.file_complaint, name="complaint-file"),
    # Transparency Committee (committee members and staff; MFA by the middleware).
    path("committee/", committee.SessionListView.as_view(), name="committee"),
    path(
        "committee/calls/<slug:slug>/open/",
        committee.OpenSessionView.as_view(),
        name="committee-open",
    ),
    path(
        "committee/calls/<slug:slug>/vacate/",
        committee.VacateView.as_view(),
        name="committee-vacate",
    ),
    path("committee/sessions/<int:pk>/", committee.SessionView.as_view(), name="committee-session"),
    path(
        "committee/sessions/<int:pk>/attendance/",
        committee.AttendanceView.as_view(),
        name="committee-attendance",
    ),
    path(
        "committee/sessions/<int:pk>/entries/<int:entry_id>/",
        committee.ProposeView.as_view(),
        name="committee-propose",
    ),
    path(
        "committee/sessions/<int:pk>/voting/",
        committee.VotingView.as_view(),
        name="committee-voting",
    ),
    path("committee/sessions/<int:pk>/vote/", committee.VoteView.as_view(), name="committee-vote"),
    path(
        "committee/sessions/<int:pk>/minutes.pdf",
        committee.MinutesView.as_view(),
        name="committee-minutes",
    ),
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
