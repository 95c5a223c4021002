"""The submission receipt: a PDF of the submitted version, stored and e-mailed to the admins."""

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from accounts.selectors import organisation_admins
from calls.models import ApplicationVersion, MemberStatus
from minegap.documents.services import render_pdf
from minegap.notifications.services import enqueue


def consortium_admins(application) -> list[User]:
    return list(
        organisation_admins(
            Organisation.objects.filter(
                consortium_memberships__application=application,
                consortium_memberships__status=MemberStatus.CONFIRMED,
            )
        )
    )


def generate_receipt(*, version_id: int) -> ApplicationVersion:
    """Render and store the receipt of a submitted version, then e-mail every consortium admin.

    Idempotent: a version that already has its receipt is left alone.
    """
    version = ApplicationVersion.objects.select_related(
        "application__call", "application__lead_organisation", "submitted_by"
    ).get(pk=version_id)
    if version.receipt:
        return version
    application = version.application
    call = application.call
    pdf = render_pdf(
        "calls/receipt.html",
        {
            "version": version,
            "application": application,
            "call": call,
            "snapshot": version.snapshot,
            "submitted_local": version.submitted_at.astimezone(call.tz),
        },
    )
    with transaction.atomic():
        version = ApplicationVersion.objects.select_for_update().get(pk=version_id)
        if version.receipt:
            return version
        version.receipt.save("receipt.pdf", ContentFile(pdf), save=False)
        version.save(update_fields=["receipt"])
        enqueue(
            template="calls/receipt",
            subject=_("Submission received: %(reference)s") % {"reference": application.reference},
            recipients=consortium_admins(application),
            context={
                "site_url": settings.SITE_URL,
                "reference": application.reference,
                "version": version.number,
                "call_title": call.title,
                "project": application.display_name,
                "submitted_at": f"{version.submitted_at.astimezone(call.tz):%Y-%m-%d %H:%M:%S}",
                "time_zone": call.time_zone,
                "receipt_path": reverse(
                    "calls:receipt", kwargs={"pk": application.pk, "number": version.number}
                ),
            },
            attachments=[
                {
                    "path": version.receipt.name,
                    "filename": f"{application.reference}-v{version.number}-receipt.pdf",
                    "mimetype": "application/pdf",
                }
            ],
        )
    return version
