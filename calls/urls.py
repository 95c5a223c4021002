from django.urls import path

from calls.views import apply, apply_actions, files, manage, public, staff_applications

app_name = "calls"
urlpatterns = [
    # Public
    path("calls/", public.call_list, name="public-list"),
    path("calls/<slug:slug>/", public.call_detail, name="public-detail"),
    path(
        "calls/<slug:slug>/documents/<int:document_id>/",
        files.document_download,
        name="document",
    ),
    # Staff
    path("manage/calls/", manage.CallListView.as_view(), name="manage-list"),
    path("manage/calls/new/", manage.CallCreateView.as_view(), name="manage-create"),
    path("manage/calls/<slug:slug>/", manage.CallDetailView.as_view(), name="manage-detail"),
    path("manage/calls/<slug:slug>/edit/", manage.CallEditView.as_view(), name="manage-edit"),
    path(
        "manage/calls/<slug:slug>/publish/", manage.CallPublishView.as_view(), name="manage-publish"
    ),
    path("manage/calls/<slug:slug>/extend/", manage.CallExtendView.as_view(), name="manage-extend"),
    path(
        "manage/calls/<slug:slug>/documents/",
        manage.CallDocumentAddView.as_view(),
        name="manage-document-add",
    ),
    path(
        "manage/calls/<slug:slug>/documents/<int:document_id>/remove/",
        manage.CallDocumentRemoveView.as_view(),
        name="manage-document-remove",
    ),
    path(
        "manage/calls/<slug:slug>/applications/",
        staff_applications.ApplicationListView.as_view(),
        name="manage-applications",
    ),
    path(
        "manage/calls/<slug:slug>/config/<slug:kind>/",
        manage.CallItemsView.as_view(),
        name="manage-items",
    ),
    # Applicants
    path("apply/", apply_actions.dashboard, name="apply-dashboard"),
    path("apply/calls/<slug:slug>/start/", apply_actions.start, name="apply-start"),
    path("apply/invitations/<int:pk>/", apply_actions.invitation, name="invitation"),
    path("apply/applications/<int:pk>/", apply.application_home, name="apply-home"),
    path("apply/applications/<int:pk>/submit/", apply_actions.submit, name="apply-submit"),
    path(
        "apply/applications/<int:pk>/budget/check/",
        apply.budget_check,
        name="apply-budget-check",
    ),
    path("apply/applications/<int:pk>/withdraw/", apply_actions.withdraw, name="apply-withdraw"),
    path(
        "apply/applications/<int:pk>/answers/<int:question_id>/",
        apply.autosave_answer,
        name="apply-autosave",
    ),
    path(
        "apply/applications/<int:pk>/files/<int:attachment_id>/",
        files.attachment_download,
        name="attachment",
    ),
    path(
        "apply/applications/<int:pk>/receipt/<int:number>/",
        files.receipt_download,
        name="receipt",
    ),
    path("apply/applications/<int:pk>/<slug:step>/", apply.application_step, name="apply-step"),
]
