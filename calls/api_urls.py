from django.urls import path
from rest_framework.routers import SimpleRouter

from calls.api.applications import ApplicationViewSet, StaffApplicationList
from calls.api.calls import PublicCallViewSet

router = SimpleRouter()
router.register("calls", PublicCallViewSet, basename="api-calls")
router.register("applications", ApplicationViewSet, basename="api-applications")

urlpatterns = [
    path(
        "manage/calls/<slug:slug>/applications/",
        StaffApplicationList.as_view(),
        name="api-staff-applications",
    ),
    *router.urls,
]
