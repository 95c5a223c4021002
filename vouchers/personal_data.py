"""What the vouchers app holds about a person, for the "My data" download.

The beneficiary shares they signed or refused on their organisation's behalf, and the
deliverable files they uploaded with the outcome of each review (the reviewer is not named).
"""

from typing import Any

from django.db.models import Q

from minegap.core.personal_data import ExportSection, plain
from vouchers.models import BeneficiaryShare, DeliverableVersion


def _agreements(user) -> list[dict[str, Any]]:
    shares = (
        BeneficiaryShare.objects.filter(Q(signed_by=user) | Q(refused_by=user))
        .select_related("voucher", "organisation")
        .order_by("voucher__agreement_number", "pk")
    )
    return [
        {
            "agreement_number": s.voucher.agreement_number,
            "organisation": {"id": s.organisation_id, "legal_name": s.organisation.legal_name},
            "share": s.amount,
            "signed_at": s.signed_at if s.signed_by_id == user.pk else None,
            "refused_at": s.refused_at if s.refused_by_id == user.pk else None,
            "refusal_reason": s.refusal_reason if s.refused_by_id == user.pk else "",
        }
        for s in shares
    ]


def _deliverables(user) -> list[dict[str, Any]]:
    versions = (
        DeliverableVersion.objects.filter(uploaded_by=user)
        .select_related("deliverable__voucher")
        .order_by("uploaded_at", "pk")
    )
    return [
        {
            "agreement_number": v.deliverable.voucher.agreement_number,
            "deliverable": v.deliverable.title,
            "version": v.number,
            "file_name": v.original_name,
            "kind": v.kind,
            "size": v.size,
            "sha256": v.sha256,
            "uploaded_at": v.uploaded_at,
            "outcome": v.outcome,
            "reviewer_comments": v.comments,
            "reviewed_at": v.reviewed_at,
        }
        for v in versions
    ]


def export(user) -> dict[str, Any]:
    return plain(
        {
            "agreements": _agreements(user),
            "deliverables_submitted": _deliverables(user),
        }
    )


def section() -> ExportSection:
    return ExportSection(name="vouchers", export=export)
