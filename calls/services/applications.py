"""Services for applications: draft, answers, attachments, submit, withdraw, later states."""

import hashlib
import json
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from accounts.models import Organisation, User
from accounts.rules import is_consortium_staff, is_organisation_member
from calls import files, selectors, tasks
from calls.models import (
    APPLICATION_TRANSITIONS,
    Application,
    ApplicationState,
    ApplicationVersion,
    Attachment,
    AttachmentRequirement,
    Call,
    ConsortiumMember,
    MemberStatus,
    VoucherType,
)
from calls.results_cache import results_changed
from calls.rules import is_lead_admin
from calls.services.calls import lock_call
from calls.validation import submission_problems
from minegap.core.formatting import format_money
from minegap.core.page_cache import records_changed
from minegap.ledger.services import Entry, record, record_many, target_label

# States set by the applicant services below; `application_transition` refuses them.
APPLICANT_STATES = frozenset({ApplicationState.SUBMITTED, ApplicationState.WITHDRAWN})


def _deadline_text(call: Call) -> str:
    local = call.closes_at.astimezone(call.tz)
    return f"{local:%Y-%m-%d %H:%M:%S} ({call.time_zone})"


LEAD_ADMIN_ONLY = _lazy("Only an administrator of the lead organisation can do this.")


def _ensure_lead_admin(application: Application, actor: User) -> None:
    if not is_lead_admin(actor, application):
        raise PermissionDenied(LEAD_ADMIN_ONLY)


def lock_application(application: Application) -> Application:
    """Re-read the application locked for update (its row only), with its call."""
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("call")
        .get(pk=application.pk)
    )


def lock_member(member: ConsortiumMember) -> ConsortiumMember:
    """Re-read the consortium member locked for update (its row only), with what it shows."""
    return (
        ConsortiumMember.objects.select_for_update(of=("self",))
        .select_related("application__call", "organisation")
        .get(pk=member.pk)
    )


def ensure_editable(application: Application, *, now: datetime | None = None) -> None:
    """Drafts and submitted applications change only while the call is open."""
    now = now or timezone.now()
    if application.state not in ApplicationState.editable():
        raise ValidationError(
            _("This application is %(state)s and can no longer change.")
            % {"state": application.get_state_display().lower()}
        )
    if not application.call.is_open_at(now):
        raise ValidationError(
            _("The call closed on %(deadline)s: the application can no longer change.")
            % {"deadline": _deadline_text(application.call)}
        )


def mark_changed(application: Application) -> None:
    """After a submission, any edit starts the next version (the submitted one still counts).
    The row is written only when that flag changes: an edit of a member, an answer or a file
    changes nothing the lists show, and autosave must not rewrite the application each time."""
    if application.state == ApplicationState.SUBMITTED and not application.has_unsubmitted_changes:
        application.has_unsubmitted_changes = True
        application.save(update_fields=["has_unsubmitted_changes", "updated_at"])


def create_application(*, call: Call, organisation: Organisation, actor: User) -> Application:
    """Start a draft led by `organisation`; the actor must belong to it."""
    if not is_organisation_member(actor, organisation):
        raise PermissionDenied(_("You can only apply on behalf of an organisation you belong to."))
    if not call.is_open_at(timezone.now()):
        raise ValidationError(_("This call is not open for applications."))
    with transaction.atomic():
        application = Application.objects.create(
            call=call, lead_organisation=organisation, created_by=actor
        )
        ConsortiumMember.objects.create(
            application=application,
            organisation=organisation,
            is_lead=True,
            status=MemberStatus.CONFIRMED,
            invited_by=actor,
        )
        record(
            action="calls.application.created",
            target=application,
            actor=actor,
            data={"call": call.slug, "lead": organisation.pk},
        )
    return application


def update_overview(
    *,
    application: Application,
    actor: User,
    title: str,
    acronym: str,
    summary: str,
    voucher_type: VoucherType | None,
) -> Application:
    _ensure_lead_admin(application, actor)
    if voucher_type is not None and voucher_type.call_id != application.call_id:
        raise ValidationError(_("This voucher type belongs to another call."))
    with transaction.atomic():
        application = lock_application(application)
        ensure_editable(application)
        application.title = title.strip()
        application.acronym = acronym.strip()
        application.summary = summary.strip()
        application.voucher_type = voucher_type
        application.full_clean(exclude=["reference"])
        application.save()
        mark_changed(application)
    return application


def add_attachment(
    *,
    application: Application,
    requirement: AttachmentRequirement,
    upload: UploadedFile,
    actor: User,
) -> Attachment:
    """Store an upload after checking its size and its type by content; replaces the previous
    file for the same requirement (the old row stays for the versions that used it)."""
    _ensure_lead_admin(application, actor)
    if requirement.call_id != application.call_id:
        raise ValidationError(_("This attachment belongs to another call."))
    if upload.size > requirement.max_size_bytes:
        raise ValidationError(
            _("The file is larger than %(mb)s MB.") % {"mb": requirement.max_size_mb}
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."))
    kind = files.detect_kind(upload)
    if kind is None or kind not in requirement.allowed_types:
        raise ValidationError(
            _("This file's content is not an allowed type (%(types)s), whatever its name says.")
            % {"types": ", ".join(requirement.allowed_types)}
        )
    digest = files.sha256_of(upload)
    with transaction.atomic():
        application = lock_application(application)
        ensure_editable(application)
        application.attachments.filter(requirement=requirement, removed_at__isnull=True).update(
            removed_at=timezone.now()
        )
        attachment = Attachment(
            application=application,
            requirement=requirement,
            original_name=(upload.name or "file")[-200:],
            kind=kind,
            size=upload.size,
            sha256=digest,
            uploaded_by=actor,
        )
        attachment.file.save("upload", upload, save=False)
        attachment.save()
        mark_changed(application)
    return attachment


def remove_attachment(*, attachment: Attachment, actor: User) -> None:
    application = attachment.application
    _ensure_lead_admin(application, actor)
    with transaction.atomic():
        application = lock_application(application)
        ensure_editable(application)
        Attachment.objects.filter(pk=attachment.pk, removed_at__isnull=True).update(
            removed_at=timezone.now()
        )
        mark_changed(application)


def snapshot_requested_total(snapshot: dict) -> Decimal:
    """The sum the consortium of a submitted snapshot requested."""
    return sum((Decimal(m["requested_amount"]) for m in snapshot.get("members", [])), Decimal("0"))


def snapshot_of(application: Application) -> dict:
    """The JSON content of a submitted version (also used to import historic submissions)."""
    members = [
        {
            "organisation_id": m.organisation_id,
            "legal_name": m.organisation.legal_name,
            "country": m.organisation.country,
            "vat_number": m.organisation.vat_number,
            "is_lead": m.is_lead,
            "role": m.role,
            "requested_amount": str(m.requested_amount),
            "budget_description": m.budget_description,
            "declaration_signed_at": m.declaration_signed_at,
        }
        for m in application.members.filter(status=MemberStatus.CONFIRMED).select_related(
            "organisation"
        )
    ]
    answers = {a.question_id: a.text for a in application.answers.all()}
    return json.loads(
        json.dumps(
            {
                "title": application.title,
                "acronym": application.acronym,
                "summary": application.summary,
                "voucher_type": application.voucher_type.name if application.voucher_type else "",
                "voucher_type_id": application.voucher_type_id,
                "members": members,
                "answers": [
                    {"question_id": q.pk, "label": q.label, "text": answers.get(q.pk, "")}
                    for q in application.call.questions.all()
                ],
                "attachments": [
                    {
                        "id": a.pk,
                        "requirement_id": a.requirement_id,
                        "requirement": a.requirement.label,
                        "name": a.original_name,
                        "kind": a.kind,
                        "size": a.size,
                        "sha256": a.sha256,
                    }
                    for a in application.attachments.filter(removed_at__isnull=True).select_related(
                        "requirement"
                    )
                ],
            },
            cls=DjangoJSONEncoder,
        )
    )


def submit_application(
    *, application: Application, actor: User, now: datetime | None = None
) -> ApplicationVersion:
    """Freeze the application as a new version, after checking everything at once.

    The clock is read when the request arrives; a submission at the deadline's second is late.
    Side effects: a reference on the first submission, an `ApplicationVersion`, a ledger entry,
    and a receipt PDF rendered and e-mailed by a task after commit.
    """
    now = now or timezone.now()
    _ensure_lead_admin(application, actor)
    with transaction.atomic():
        application = lock_application(application)
        call = application.call
        if application.state not in ApplicationState.editable():
            raise ValidationError(
                _("This application is %(state)s and cannot be submitted.")
                % {"state": application.get_state_display().lower()}
            )
        if not call.is_open_at(now):
            if call.closes_at is not None and now >= call.closes_at:
                raise ValidationError(
                    _("The deadline was %(deadline)s: submissions are closed.")
                    % {"deadline": _deadline_text(call)},
                    code="deadline",
                )
            raise ValidationError(_("The call is not open."), code="deadline")
        if (
            application.state == ApplicationState.SUBMITTED
            and not application.has_unsubmitted_changes
        ):
            raise ValidationError(_("Nothing changed since the last submission."))
        problems = submission_problems(application, now)
        if problems:
            raise ValidationError([ValidationError(p.message, code=p.step) for p in problems])
        if application.reference is None:
            # The call row is locked only here, briefly: references are numbered without gaps.
            call = lock_call(call)
            call.submission_counter += 1
            call.save(update_fields=["submission_counter"])
            application.reference = f"{call.code}-{call.submission_counter:04d}"
        number = application.versions.count() + 1
        snapshot = snapshot_of(application)
        version = ApplicationVersion.objects.create(
            application=application,
            number=number,
            submitted_at=now,
            submitted_by=actor,
            snapshot=snapshot,
            requested_total=snapshot_requested_total(snapshot),
        )
        application.state = ApplicationState.SUBMITTED
        application.submitted_at = now
        application.has_unsubmitted_changes = False
        application.save(
            update_fields=[
                "state",
                "submitted_at",
                "has_unsubmitted_changes",
                "reference",
                "updated_at",
            ]
        )
        digest = hashlib.sha256(json.dumps(snapshot, sort_keys=True).encode("utf-8")).hexdigest()
        record(
            action="calls.application.submitted",
            target=application,
            actor=actor,
            data={"reference": application.reference, "version": number, "content_sha256": digest},
        )
        version_id = version.pk
        transaction.on_commit(lambda: tasks.render_receipt.delay(version_id), robust=True)
    return version


def withdraw_application(
    *, application: Application, actor: User, now: datetime | None = None
) -> Application:
    """The lead withdraws a submission; possible until the deadline."""
    now = now or timezone.now()
    _ensure_lead_admin(application, actor)
    with transaction.atomic():
        application = lock_application(application)
        if application.state != ApplicationState.SUBMITTED:
            raise ValidationError(_("Only a submitted application can be withdrawn."))
        if not application.call.is_open_at(now):
            raise ValidationError(
                _("The deadline has passed: the application can no longer be withdrawn.")
            )
        application.state = ApplicationState.WITHDRAWN
        application.withdrawn_at = now
        application.save(update_fields=["state", "withdrawn_at", "updated_at"])
        results_changed(application.call_id)
        record(
            action="calls.application.withdrawn",
            target=application,
            actor=actor,
            data={"reference": application.reference},
        )
    return application


def _check_transition_actor(actor: User | None, to_state: str) -> None:
    if actor is not None and not is_consortium_staff(actor):
        raise PermissionDenied(_("Only consortium staff can change an application's state."))
    if to_state in APPLICANT_STATES or to_state not in ApplicationState.values:
        raise ValidationError(_("Use the applicant's own actions to submit or withdraw."))


def _check_transition(application: Application, to_state: str) -> None:
    allowed = APPLICATION_TRANSITIONS.get(application.state, frozenset())
    if to_state not in allowed:
        raise ValidationError(
            _("An application cannot go from “%(from)s” to “%(to)s”.")
            % {
                "from": application.get_state_display(),
                "to": ApplicationState(to_state).label,
            }
        )
    if application.state == ApplicationState.SUBMITTED and application.call.is_open_at(
        timezone.now()
    ):
        raise ValidationError(_("The call is still open: wait for the deadline."))


def application_transition(
    *, application: Application, to_state: str, actor: User | None, reason: str = ""
) -> Application:
    """Set a later state (eligible, under evaluation, selected, funded...) for other apps.

    Checks the allowed transitions; submitting and withdrawing have their own services.
    """
    _check_transition_actor(actor, to_state)
    with transaction.atomic():
        application = lock_application(application)
        _check_transition(application, to_state)
        old = application.state
        application.state = to_state
        application.state_reason = reason
        application.save(update_fields=["state", "state_reason", "updated_at"])
        results_changed(application.call_id)
        record(
            action=f"calls.application.{to_state}",
            target=application,
            actor=actor,
            data={"from": old, "to": to_state},
            notes={"reason": reason},
        )
    return application


def applications_transition(
    *,
    call: Call,
    from_state: str,
    to_state: str,
    actor: User | None,
    reason: str = "",
    only: Iterable[int] | None = None,
) -> int:
    """`application_transition` of every application of `call` in `from_state` (of those whose
    ids are in `only`, when given), at once: one lock of them all, one update, one change of
    the call's results version, one ledger entry each appended together. All or nothing (the
    same checks, each application refused as alone). Returns how many changed."""
    _check_transition_actor(actor, to_state)
    chosen = {} if only is None else {"pk__in": list(only)}
    with transaction.atomic():
        # Their ids only (2,000 model instances, each with its call, cost a tenth of a second):
        # every one is in `from_state` and of `call`, so one check holds for them all.
        ids = list(
            Application.objects.select_for_update()
            .filter(call=call, state=from_state, **chosen)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if not ids:
            return 0
        _check_transition(Application(pk=ids[0], call=call, state=from_state), to_state)
        Application.objects.filter(pk__in=ids).update(
            state=to_state, state_reason=reason, updated_at=timezone.now()
        )
        # An update sends no post_save: the public caches learn of it here.
        records_changed.send(sender=Application)
        results_changed(call.pk)
        record_many(
            Entry(
                action=f"calls.application.{to_state}",
                target_type=target_label(Application),
                target_id=pk,
                actor=actor,
                data={"from": from_state, "to": to_state},
                notes={"reason": reason},
            )
            for pk in ids
        )
    return len(ids)


def _in_submitted_consortium(member: ConsortiumMember) -> bool:
    record = selectors.submitted_record(member.application)
    return record is not None and member.organisation_id in record.organisation_ids


def set_awarded_amount(
    *, member: ConsortiumMember, amount: Decimal | None, actor: User | None
) -> ConsortiumMember:
    """Record what a consortium member was awarded (evaluation decision, voucher amendment).

    The consortium as submitted is what is evaluated and funded: a member of the last submitted
    version is awarded even if it left since (staff are warned before adopting the decision:
    `selectors.members_gone_since_submission`; it then signs its share of the voucher, or its
    refusal releases the budget). Anyone else must be a confirmed member."""
    if actor is not None and not is_consortium_staff(actor):
        raise PermissionDenied(_("Only consortium staff can set awarded amounts."))
    if amount is not None:
        if not isinstance(amount, Decimal):
            raise ValidationError(_("Amounts are decimals, never floats."))
        if amount < 0:
            raise ValidationError(_("An awarded amount cannot be negative."))
    with transaction.atomic():
        member = lock_member(member)
        call = member.application.call
        if member.status != MemberStatus.CONFIRMED and not _in_submitted_consortium(member):
            raise ValidationError(_("Only a confirmed consortium member can be awarded money."))
        if amount is not None and amount > call.cap_per_third_party:
            raise ValidationError(
                _("%(amount)s exceeds the cap per third party of %(cap)s.")
                % {"amount": format_money(amount), "cap": format_money(call.cap_per_third_party)}
            )
        old = member.awarded_amount
        member.awarded_amount = amount
        member.save(update_fields=["awarded_amount"])
        record(
            action="calls.member.awarded",
            target=member,
            actor=actor,
            data={"old": old, "new": amount, "application": member.application_id},
        )
    return member
