"""What the matchmaking app holds about a person, for the "My data" download.

The partner profiles the person writes (as an administrator of the organisation, the only ones
who may edit it) or is the contact person of, the expressions of interest they sent or answered,
and the blocks they set. A profile or a message is the organisation's, but the person wrote it.
"""

from typing import Any

from django.db.models import Q

from accounts.models import Membership
from matchmaking.models import ExpressionOfInterest, OrganisationBlock, PartnerProfile
from minegap.core.personal_data import ExportSection, plain


def _profiles(user) -> list[dict[str, Any]]:
    administered = Membership.objects.filter(user=user, role=Membership.Role.ADMIN).values(
        "organisation_id"
    )
    profiles = (
        PartnerProfile.objects.filter(Q(organisation__in=administered) | Q(contact_person=user))
        .select_related("call")
        .order_by("created_at", "pk")
    )
    return [
        {
            "organisation": {"id": p.organisation_id, "name": p.name},
            "you_are_contact_person": p.contact_person_id == user.pk,
            "status": p.status,
            "summary": p.summary,
            "expertise": p.expertise,
            "offers": p.offers,
            "requests": p.requests,
            "keywords": p.keywords,
            "role_sought": p.role_sought,
            "languages": p.languages,
            "call": p.call.code if p.call_id else None,
            "published_at": p.published_at,
            "created_at": p.created_at,
            "updated_at": p.updated_at,
        }
        for p in profiles
    ]


def _interests(user) -> list[dict[str, Any]]:
    interests = (
        ExpressionOfInterest.objects.filter(Q(sent_by=user) | Q(answered_by=user))
        .select_related("sender", "receiver")
        .order_by("created_at", "pk")
    )
    return [
        {
            "from_organisation": {"id": i.sender_id, "legal_name": i.sender.legal_name},
            "to_organisation": {"id": i.receiver_id, "legal_name": i.receiver.legal_name},
            "sent_by_you": i.sent_by_id == user.pk,
            "answered_by_you": i.answered_by_id == user.pk,
            "message": i.message,
            "status": i.status,
            "sent_at": i.created_at,
            "answered_at": i.answered_at,
        }
        for i in interests
    ]


def _blocks(user) -> list[dict[str, Any]]:
    blocks = (
        OrganisationBlock.objects.filter(blocked_by=user)
        .select_related("blocker", "blocked")
        .order_by("created_at", "pk")
    )
    return [
        {
            "on_behalf_of": {"id": b.blocker_id, "legal_name": b.blocker.legal_name},
            "blocked_organisation": {"id": b.blocked_id, "legal_name": b.blocked.legal_name},
            "blocked_at": b.created_at,
        }
        for b in blocks
    ]


def export(user) -> dict[str, Any]:
    return plain(
        {
            "partner_profiles": _profiles(user),
            "expressions_of_interest": _interests(user),
            "blocks": _blocks(user),
        }
    )


def section() -> ExportSection:
    return ExportSection(name="matchmaking", export=export)
