"""Why a person may not ask for a data export now: asked by the page and by the service."""

from django.utils.translation import gettext as _

from minegap.privacy.models import DataExport, DataExportStatus


def export_refusal(user) -> str | None:
    if not user.is_authenticated or not user.is_active:
        return _("Sign in to download your data.")
    if DataExport.objects.filter(user=user, status__in=DataExportStatus.in_progress()).exists():
        return _(
            "A copy of your data is being prepared: wait until it is ready before asking again."
        )
    return None
