from django.urls import path

from accounts import api

urlpatterns = [
    path("me/", api.MeView.as_view(), name="api-me"),
    path("organisations/", api.OrganisationListCreateView.as_view(), name="api-organisations"),
]
