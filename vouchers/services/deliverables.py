"""Deliverables: beneficiaries upload versions (same file safety as applications), staff
accept or return them with comments; an accepted deliverable makes its instalments due."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from calls import files
from calls.models import FileKind
from minegap.ledger.services import record
from vouchers.models import Deliverable, DeliverableState, DeliverableVersion, VoucherState
from vouchers.services import notify
from vouchers.services.common import lock_voucher, require_staff
from vouchers.services.payments import mark_triggered_by

MAX_DELIVERABLE_MB = 20
DELIVERABLE_KINDS = frozenset({FileKind.PDF, FileKind.DOCX, FileKind.XLSX})


def _lock_deliverable(deliverable: Deliverable) -> Deliverable:
    lock_voucher(deliverable.voucher)
    return (
        Deliverable.objects.select_for_update(of=("self",))
        .select_related("voucher")
        .get(pk=deliverable.pk)
    )


def submit_deliverable(
    *, deliverable: Deliverable, upload: UploadedFile, actor: User
) -> DeliverableVersion:
    """A member of a beneficiary organisation uploads a (new) version."""
    is_beneficiary = deliverable.voucher.shares.filter(
        organisation__memberships__user=actor
    ).exists()
    if not is_beneficiary:
        raise PermissionDenied(_("Only the voucher's beneficiaries upload its deliverables."))
    if upload.size == 0:
        raise ValidationError(_("The file is empty."))
    if upload.size > MAX_DELIVERABLE_MB * 1024 * 1024:
        raise ValidationError(_("The file is larger than %(mb)s MB.") % {"mb": MAX_DELIVERABLE_MB})
    kind = files.detect_kind(upload)
    if kind not in DELIVERABLE_KINDS:
        raise ValidationError(
            _("This file's content is not a PDF, DOCX or XLSX document, whatever its name says.")
        )
    digest = files.sha256_of(upload)
    with transaction.atomic():
        deliverable = _lock_deliverable(deliverable)
        if deliverable.voucher.state != VoucherState.ACTIVE:
            raise ValidationError(_("Deliverables are uploaded once the voucher is active."))
        if deliverable.state not in (DeliverableState.PENDING, DeliverableState.RETURNED):
            raise ValidationError(_("This deliverable is waiting for review or already accepted."))
        number = deliverable.versions.count() + 1
        version = DeliverableVersion(
            deliverable=deliverable,
            number=number,
            original_name=(upload.name or "file")[-200:],
            kind=kind,
            size=upload.size,
            sha256=digest,
            uploaded_by=actor,
        )
        version.file.save("upload", upload, save=False)
        version.save()
        deliverable.state = DeliverableState.SUBMITTED
        deliverable.save(update_fields=["state"])
        record(
            action="vouchers.deliverable.submitted",
            target=deliverable,
            actor=actor,
            data={"version": number, "sha256": digest, "size": upload.size},
        )
    return version


def review_deliverable(
    *, deliverable: Deliverable, actor: User, accept: bool, comments: str = ""
) -> DeliverableVersion:
    """Staff accept the submitted version, or return it with comments (resubmission is a new
    version). Accepting makes the instalments it triggers due."""
    require_staff(actor)
    if not accept and not comments.strip():
        raise ValidationError(_("Tell the beneficiaries what to change."))
    with transaction.atomic():
        deliverable = _lock_deliverable(deliverable)
        if deliverable.state != DeliverableState.SUBMITTED:
            raise ValidationError(_("There is no submitted version to review."))
        version = deliverable.versions.order_by("-number").first()
        if version.uploaded_by_id == actor.pk:
            raise ValidationError(_("You uploaded this version: another person reviews it."))
        now = timezone.now()
        outcome = DeliverableState.ACCEPTED if accept else DeliverableState.RETURNED
        version.outcome = outcome
        version.comments = comments
        version.reviewed_by = actor
        version.reviewed_at = now
        version.save(update_fields=["outcome", "comments", "reviewed_by", "reviewed_at"])
        deliverable.state = outcome
        triggered: list[int] = []
        if accept:
            deliverable.accepted_at = now
            triggered = mark_triggered_by(deliverable=deliverable, now=now)
        deliverable.save(update_fields=["state", "accepted_at"])
        notify.deliverable_reviewed(deliverable, accepted=accept, comments=comments)
        record(
            action=f"vouchers.deliverable.{outcome}",
            target=deliverable,
            actor=actor,
            data={"version": version.number, "instalments_due": triggered},
            notes={"comments": comments},
        )
    return version


def reschedule_deliverable(
    *, deliverable: Deliverable, due_date: date, actor: User, reason: str
) -> Deliverable:
    """Staff move a deliverable's due date (and its milestone's, which is its latest
    deliverable's), with a reason; an accepted deliverable keeps its date."""
    require_staff(actor)
    if not reason.strip():
        raise ValidationError(_("Say why the due date moves."))
    with transaction.atomic():
        deliverable = _lock_deliverable(deliverable)
        if deliverable.voucher.state in (VoucherState.COMPLETED, VoucherState.TERMINATED):
            raise ValidationError(_("This voucher is closed."))
        if deliverable.state == DeliverableState.ACCEPTED:
            raise ValidationError(_("An accepted deliverable keeps its date."))
        old = deliverable.due_date
        deliverable.due_date = due_date
        deliverable.save(update_fields=["due_date"])
        milestone = deliverable.milestone
        milestone.due_date = max(d.due_date for d in milestone.deliverables.all())
        milestone.save(update_fields=["due_date"])
        record(
            action="vouchers.deliverable.rescheduled",
            target=deliverable,
            actor=actor,
            data={"old": old, "new": due_date},
            notes={"reason": reason},
        )
    return deliverable


def set_deliverable_public(*, deliverable: Deliverable, public: bool, actor: User) -> Deliverable:
    """Staff decide whether a deliverable is shown on the public site (it is, with its accepted
    file, only once accepted). Ledger entry when the choice changes."""
    require_staff(actor)
    with transaction.atomic():
        deliverable = _lock_deliverable(deliverable)
        if deliverable.public == public:
            return deliverable
        deliverable.public = public
        deliverable.save(update_fields=["public"])
        record(
            action="vouchers.deliverable.published"
            if public
            else "vouchers.deliverable.unpublished",
            target=deliverable,
            actor=actor,
            data={"public": public},
        )
    return deliverable
