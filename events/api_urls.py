from django.urls import path

from events import api

urlpatterns = [
    path("public/events/", api.EventListView.as_view(), name="api-public-events"),
    path("public/events/<int:pk>/", api.EventDetailView.as_view(), name="api-public-event-detail"),
]
