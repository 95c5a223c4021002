from django.urls import path

from accounts import erasure_views, views

app_name = "accounts"
urlpatterns = [
    path("apply/organisations/", views.organisation_list, name="organisations"),
    path("apply/organisations/new/", views.organisation_create, name="organisation-create"),
    path("apply/organisations/<int:pk>/", views.organisation_detail, name="organisation-detail"),
    path("apply/organisations/<int:pk>/edit/", views.organisation_edit, name="organisation-edit"),
    path("apply/organisations/<int:pk>/invite/", views.invitation_create, name="invitation-create"),
    path(
        "apply/organisations/<int:pk>/invitations/<int:invitation_pk>/revoke/",
        views.invitation_revoke,
        name="invitation-revoke",
    ),
    path(
        "apply/organisations/<int:pk>/members/<int:membership_pk>/role/",
        views.membership_role,
        name="membership-role",
    ),
    path(
        "apply/organisations/<int:pk>/members/<int:membership_pk>/remove/",
        views.membership_remove,
        name="membership-remove",
    ),
    path("apply/organisations/<int:pk>/sme/", views.sme_declaration_list, name="sme-declarations"),
    path(
        "apply/organisations/<int:pk>/sme/new/",
        views.sme_declaration_create,
        name="sme-declaration-create",
    ),
    path(
        "apply/organisations/<int:pk>/sme/v<int:version>/",
        views.sme_declaration_detail,
        name="sme-declaration-detail",
    ),
    # Beside allauth's account pages (/accounts/email/, /accounts/2fa/): what allauth does not
    # match falls through to here.
    path("accounts/api-tokens/", views.api_tokens, name="api-tokens"),
    path("accounts/api-tokens/<int:pk>/revoke/", views.api_token_revoke, name="api-token-revoke"),
    path("accounts/erase/", erasure_views.erasure_request, name="erasure-request"),
    path("manage/erasure-requests/", erasure_views.erasure_request_list, name="erasure-requests"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation-accept"),
]
