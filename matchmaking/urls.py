from django.urls import path

from matchmaking import views

app_name = "matchmaking"
urlpatterns = [
    path("partners/", views.partner_directory, name="directory"),
    path("partners/for-you/", views.partners_for_you, name="for-you"),
    path("partners/<int:pk>/", views.profile_detail, name="profile"),
    path("partners/<int:pk>/interest/", views.send_interest, name="send-interest"),
    path("partners/<int:pk>/block/", views.block, {"action": "block"}, name="block"),
    path("partners/<int:pk>/unblock/", views.block, {"action": "unblock"}, name="unblock"),
    path("apply/partner-profile/", views.edit_profile, name="my-profile"),
    path(
        "apply/partner-profile/publish/",
        views.change_publication,
        {"action": "publish"},
        name="publish",
    ),
    path(
        "apply/partner-profile/unpublish/",
        views.change_publication,
        {"action": "unpublish"},
        name="unpublish",
    ),
    path("apply/interests/", views.interest_list, name="interests"),
    path(
        "apply/interests/<int:pk>/accept/",
        views.answer_interest,
        {"answer": "accept"},
        name="accept",
    ),
    path("apply/interests/<int:pk>/invite/", views.invite_contact, name="invite"),
    path("apply/interests/<int:pk>/withdraw/", views.withdraw_interest, name="withdraw"),
    path(
        "apply/interests/<int:pk>/decline/",
        views.answer_interest,
        {"answer": "decline"},
        name="decline",
    ),
]
