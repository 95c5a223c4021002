from django.urls import path

from events import (
    views,
    views_agenda,
    views_brokerage,
    views_grid,
    views_materials,
    views_registration,
)

app_name = "events"

urlpatterns = [
    path("events/", views.event_list, name="list"),
    path("events/export.csv", views.event_csv, name="csv"),
    path("events/<int:pk>/", views.event_detail, name="detail"),
    path(
        "events/<int:pk>/materials/<int:material_pk>/",
        views_materials.material_download,
        name="material",
    ),
    path("events/<int:pk>/register/", views_registration.register, name="register"),
    path("events/<int:pk>/unregister/", views_registration.cancel_registration, name="unregister"),
    path("events/<int:pk>/calendar.ics", views_registration.calendar_file, name="calendar"),
    path("events/<int:pk>/certificate.pdf", views_registration.certificate, name="certificate"),
    path("events/<int:pk>/agenda/", views_agenda.agenda_page, name="agenda"),
    path("events/<int:pk>/agenda.ics", views_agenda.agenda_ics, name="agenda-ics"),
    path("events/<int:pk>/agenda.pdf", views_agenda.agenda_pdf, name="agenda-pdf"),
    path(
        "events/<int:pk>/meetings/<int:request_pk>/outcome/",
        views_agenda.record_outcome,
        name="meeting-outcome",
    ),
    path(
        "events/<int:pk>/meetings/<int:request_pk>/application/",
        views_agenda.start_application,
        name="meeting-application",
    ),
    path("manage/events/", views.ManageListView.as_view(), name="manage-list"),
    path("manage/events/<int:pk>/grid/", views_grid.GridView.as_view(), name="grid"),
    path("manage/events/<int:pk>/grid/move/", views_grid.MoveView.as_view(), name="meeting-move"),
    path("manage/events/new/", views.CreateView.as_view(), name="create"),
    path("manage/events/<int:pk>/", views.DetailView.as_view(), name="manage-detail"),
    path("manage/events/<int:pk>/edit/", views.EditView.as_view(), name="edit"),
    path("manage/events/<int:pk>/publish/", views.PublishView.as_view(), name="publish"),
    path("manage/events/<int:pk>/cancel/", views.CancelView.as_view(), name="cancel"),
    path("manage/events/<int:pk>/materials/", views.AddMaterialView.as_view(), name="add-material"),
    path(
        "manage/events/<int:pk>/registrations/<int:registration_pk>/attendance/",
        views_registration.AttendanceView.as_view(),
        name="attendance",
    ),
    # B2B brokerage (views_brokerage.py)
    path("events/<int:pk>/brokerage/", views_brokerage.directory, name="brokerage-directory"),
    path(
        "events/<int:pk>/brokerage/participants/<int:registration_pk>/request/",
        views_brokerage.request_meeting,
        name="brokerage-request",
    ),
    path(
        "events/<int:pk>/brokerage/requests/",
        views_brokerage.my_requests,
        name="brokerage-requests",
    ),
    path(
        "events/<int:pk>/brokerage/requests/<int:request_pk>/<slug:action>/",
        views_brokerage.answer,
        name="brokerage-answer",
    ),
    path("events/<int:pk>/brokerage/profile/", views_brokerage.profile, name="brokerage-profile"),
    path(
        "events/<int:pk>/brokerage/availability/",
        views_brokerage.availability,
        name="brokerage-availability",
    ),
    path(
        "manage/events/<int:pk>/brokerage/",
        views_brokerage.SettingsView.as_view(),
        name="brokerage-settings",
    ),
    path(
        "manage/events/<int:pk>/brokerage/schedule/",
        views_brokerage.ScheduleView.as_view(),
        name="brokerage-schedule",
    ),
]
