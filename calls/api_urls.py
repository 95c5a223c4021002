from rest_framework.routers import SimpleRouter

from calls.api.calls import PublicCallViewSet

router = SimpleRouter()
router.register("calls", PublicCallViewSet, basename="api-calls")

urlpatterns = router.urls
