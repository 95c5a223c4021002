from django.urls import path
from django.views.generic import RedirectView

from calls.views import files

app_name = "calls"
urlpatterns = [
    path(
        "apply/applications/<int:pk>/files/<int:attachment_id>/",
        files.attachment_download,
        name="attachment",
    ),
    path(
        "apply/applications/<int:pk>/receipt/<int:number>/",
        files.receipt_download,
        name="receipt",
    ),
    path(
        "apply/invitations/<int:pk>/",
        RedirectView.as_view(pattern_name="dashboard"),
        name="invitation",
    ),
    path(
        "calls/<slug:slug>/documents/<int:document_id>/",
        files.document_download,
        name="document",
    ),
]
