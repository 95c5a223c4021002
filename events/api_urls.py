from django.urls import path

from events import api, api_brokerage

urlpatterns = [
    path("public/events/", api.EventListView.as_view(), name="api-public-events"),
    path("public/events/<int:pk>/", api.EventDetailView.as_view(), name="api-public-event-detail"),
    path(
        "events/<int:pk>/brokerage/requests/",
        api_brokerage.MyMeetingRequestsView.as_view(),
        name="api-brokerage-requests",
    ),
    path(
        "events/<int:pk>/brokerage/meetings/",
        api_brokerage.MyMeetingsView.as_view(),
        name="api-brokerage-meetings",
    ),
]
