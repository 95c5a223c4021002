"""What the calls app holds about a person, for the "My data" download.

The applications the person worked on: those they created, submitted a version of, uploaded a
file to, signed a declaration of honour for, or whose consortium includes one of their
organisations. For each: the answers when they are a member of the lead (who writes them), the
budget lines of their own organisations, the versions they submitted and the files they
uploaded (metadata; the files are the application's). Consortium invitations sent to their
address before they registered are listed too. Other people are never named.
"""

from typing import Any

from django.db.models import Prefetch, Q

from accounts.models import Membership
from calls.models import Answer, Application, ApplicationVersion, Attachment, ConsortiumMember
from minegap.core.personal_data import ExportSection, plain


def _worked_on(user, organisation_ids: set[int]):
    return (
        Application.objects.filter(
            Q(created_by=user)
            | Q(versions__submitted_by=user)
            | Q(attachments__uploaded_by=user)
            | Q(members__declaration_signed_by=user)
            | Q(members__organisation_id__in=organisation_ids)
        )
        .distinct()
        .select_related("call")
        .order_by("created_at", "pk")
    )


def _budget_line(member: ConsortiumMember, user) -> dict[str, Any]:
    return {
        "organisation": {
            "id": member.organisation_id,
            "legal_name": member.organisation.legal_name,
        },
        "is_lead": member.is_lead,
        "status": member.status,
        "role": member.role,
        "requested_amount": member.requested_amount,
        "budget_description": member.budget_description,
        "awarded_amount": member.awarded_amount,
        "declaration_signed_at": member.declaration_signed_at,
        "declaration_signed_by_you": member.declaration_signed_by_id == user.pk,
    }


def _application(application: Application, user, organisation_ids: set[int]) -> dict[str, Any]:
    members = list(application.members.all())
    in_lead = application.lead_organisation_id in organisation_ids
    own_lines = [
        m
        for m in members
        if m.organisation_id in organisation_ids or m.declaration_signed_by_id == user.pk
    ]
    versions = [v for v in application.versions.all() if v.submitted_by_id == user.pk]
    uploads = [a for a in application.attachments.all() if a.uploaded_by_id == user.pk]
    return {
        "id": application.pk,
        "reference": application.reference,
        "call": {"code": application.call.code, "title": application.call.title},
        "title": application.title,
        "acronym": application.acronym,
        "summary": application.summary,
        "state": application.state,
        "created_at": application.created_at,
        "created_by_you": application.created_by_id == user.pk,
        "last_submitted_at": application.submitted_at,
        "answers": [
            {"question": answer.question.label, "text": answer.text}
            for answer in application.answers.all()
        ]
        if in_lead or application.created_by_id == user.pk
        else [],
        "budget_lines": [_budget_line(m, user) for m in own_lines],
        "versions_you_submitted": [
            {"number": v.number, "submitted_at": v.submitted_at} for v in versions
        ],
        "files_you_uploaded": [
            {
                "name": a.original_name,
                "kind": a.kind,
                "size": a.size,
                "sha256": a.sha256,
                "uploaded_at": a.uploaded_at,
                "removed_at": a.removed_at,
            }
            for a in uploads
        ],
    }


def _invitations_to_address(user) -> list[dict[str, Any]]:
    invitations = (
        ConsortiumMember.objects.filter(invited_email__iexact=user.email)
        .select_related("application", "application__lead_organisation")
        .order_by("created_at", "pk")
    )
    return [
        {
            "application": m.application.display_name,
            "lead_organisation": m.application.lead_organisation.legal_name,
            "status": m.status,
            "invited_at": m.created_at,
        }
        for m in invitations
    ]


def export(user) -> dict[str, Any]:
    organisation_ids = set(
        Membership.objects.filter(user=user).values_list("organisation_id", flat=True)
    )
    applications = _worked_on(user, organisation_ids).prefetch_related(
        Prefetch(
            "answers",
            queryset=Answer.objects.select_related("question").order_by(
                "question__order", "question_id"
            ),
        ),
        "members__organisation",
        Prefetch("versions", queryset=ApplicationVersion.objects.order_by("number", "pk")),
        Prefetch("attachments", queryset=Attachment.objects.order_by("uploaded_at", "pk")),
    )
    return plain(
        {
            "applications": [_application(a, user, organisation_ids) for a in applications],
            "consortium_invitations_to_your_address": _invitations_to_address(user),
        }
    )


def section() -> ExportSection:
    return ExportSection(name="calls", export=export)
