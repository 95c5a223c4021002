from rest_framework.routers import SimpleRouter

from vouchers.api import (
    MyVoucherViewSet,
    StaffInstalmentViewSet,
    StaffPaymentViewSet,
    StaffVoucherViewSet,
)

router = SimpleRouter()
router.register("manage/vouchers", StaffVoucherViewSet, basename="api-staff-vouchers")
router.register("manage/instalments", StaffInstalmentViewSet, basename="api-staff-instalments")
router.register("manage/payments", StaffPaymentViewSet, basename="api-staff-payments")
router.register("vouchers", MyVoucherViewSet, basename="api-my-vouchers")

urlpatterns = router.urls
