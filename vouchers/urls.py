from django.urls import path

from vouchers.views import beneficiary, documents, manage, manage_voucher

app_name = "vouchers"
urlpatterns = [
    # Staff
    path("manage/vouchers/", manage.HomeView.as_view(), name="manage-home"),
    path("manage/vouchers/payments/", manage.PaymentListView.as_view(), name="manage-payments"),
    path(
        "manage/vouchers/export/<slug:kind>.<slug:fmt>",
        manage.ExportView.as_view(),
        name="manage-export",
    ),
    path(
        "manage/vouchers/calls/<slug:slug>/",
        manage.CallDashboardView.as_view(),
        name="manage-call",
    ),
    path(
        "manage/vouchers/calls/<slug:slug>/services/",
        manage.SupportServiceView.as_view(),
        name="manage-services",
    ),
    path(
        "manage/vouchers/<int:pk>/",
        manage_voucher.VoucherDetailView.as_view(),
        name="manage-voucher",
    ),
    path(
        "manage/vouchers/<int:pk>/files/<int:version_pk>/",
        manage_voucher.DeliverableFileView.as_view(),
        name="manage-file",
    ),
    path(
        "manage/vouchers/<int:pk>/documents/agreement/",
        documents.StaffAgreementView.as_view(),
        name="manage-agreement",
    ),
    path(
        "manage/vouchers/<int:pk>/documents/statement/<int:share_pk>/",
        documents.StaffStatementView.as_view(),
        name="manage-statement",
    ),
    path(
        "manage/vouchers/<int:pk>/<slug:action>/",
        manage_voucher.VoucherActionView.as_view(),
        name="manage-action",
    ),
    path(
        "manage/vouchers/<int:pk>/<slug:action>/<int:target>/",
        manage_voucher.VoucherActionView.as_view(),
        name="manage-action-on",
    ),
    # Beneficiaries
    path("apply/vouchers/", beneficiary.my_vouchers, name="my-vouchers"),
    path("apply/vouchers/<int:pk>/", beneficiary.my_voucher, name="my-voucher"),
    path("apply/vouchers/<int:pk>/agreement/", documents.my_agreement, name="my-agreement"),
    path(
        "apply/vouchers/<int:pk>/statement/<int:share_pk>/",
        documents.my_statement,
        name="my-statement",
    ),
    path("apply/vouchers/<int:pk>/sign/<int:share_pk>/", beneficiary.sign, name="sign"),
    path("apply/vouchers/<int:pk>/refuse/<int:share_pk>/", beneficiary.refuse, name="refuse"),
    path(
        "apply/vouchers/<int:pk>/deliverables/<int:deliverable_pk>/upload/",
        beneficiary.upload_deliverable,
        name="upload",
    ),
    path(
        "apply/vouchers/<int:pk>/files/<int:version_pk>/",
        beneficiary.deliverable_file,
        name="file",
    ),
]
