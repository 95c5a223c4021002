from django.urls import path

from mentoring import views

app_name = "mentoring"
urlpatterns = [
    # Staff
    path("manage/mentoring/", views.ManageHomeView.as_view(), name="manage-home"),
    path("manage/mentoring/calls/<slug:slug>/", views.ManageCallView.as_view(), name="manage-call"),
    path(
        "manage/mentoring/vouchers/<int:pk>/",
        views.ManageVoucherView.as_view(),
        name="manage-voucher",
    ),
    path(
        "manage/mentoring/vouchers/<int:pk>/assign/",
        views.ManageAssignView.as_view(),
        name="manage-assign",
    ),
    path(
        "manage/mentoring/vouchers/<int:pk>/end/",
        views.ManageEndView.as_view(),
        name="manage-end",
    ),
    # The mentor
    path("mentoring/", views.mentor_home, name="mentor-home"),
    path("mentoring/<int:pk>/declare/", views.declare, name="declare"),
    path("mentoring/<int:pk>/", views.mentor_project, name="mentor-project"),
    path("mentoring/<int:pk>/meetings/", views.record_meeting, name="record-meeting"),
    path(
        "mentoring/<int:pk>/milestones/<int:milestone_pk>/report/",
        views.milestone_report,
        name="report",
    ),
    # The consortium
    path("apply/vouchers/<int:pk>/mentoring/", views.my_mentoring, name="my-mentoring"),
]
