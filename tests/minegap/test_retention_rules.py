"""apply_retention on a seeded database: at each moment, exactly what is past its period goes
(and nothing not yet due); a dry run changes nothing. Dates are written out by hand."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from accounts.models import Invitation
from calls.models import (
    Answer,
    Application,
    ApplicationState,
    ApplicationVersion,
    Attachment,
    ConsortiumMember,
)
from evaluation.models import EvaluatorInvitation
from minegap.core.personal_data import retention_rules
from minegap.core.retention import apply_retention
from minegap.ledger.models import AuditEntry
from public import selectors as public_selectors
from tests.calls.factories import PDF_BYTES, ApplicationFactory, CallFactory, MemberFactory
from tests.factories import OrganisationFactory, UserFactory
from tests.vouchers.factories import (
    active_voucher,
    approved_instalment,
    selected_application,
    staff_user,
)
from vouchers import services as voucher_services
from vouchers.models import BeneficiaryShare, InstalmentShare, Voucher

pytestmark = pytest.mark.django_db
BRUSSELS = ZoneInfo("Europe/Brussels")
OUR_RULES = {
    "accounts.expired_invitations",
    "calls.unsuccessful_applications",
    "evaluation.expired_invitations",
    "vouchers.funded_projects",
}


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def at(year, month, day, hour=12) -> datetime:
    return datetime(year, month, day, hour, tzinfo=BRUSSELS)


def _unsuccessful(call, *, creator):
    application = ApplicationFactory(
        call=call,
        state=ApplicationState.REJECTED,
        reference=f"{call.code}-0001",
        created_by=creator,
    )
    MemberFactory(
        application=application,
        organisation=application.lead_organisation,
        is_lead=True,
        budget_description="Salary of Dr Jane Roe.",
        declaration_signed_by=creator,
    )
    question = call.questions.first()
    Answer.objects.create(application=application, question=question, text="Jane Roe's CV.")
    attachment = Attachment(
        application=application,
        requirement=call.attachment_requirements.first(),
        original_name="cv.pdf",
        kind="pdf",
        size=len(PDF_BYTES),
        sha256="0" * 64,
        uploaded_by=creator,
    )
    attachment.file.save("cv.pdf", ContentFile(PDF_BYTES), save=False)
    attachment.save()
    ApplicationVersion.objects.create(
        application=application,
        number=1,
        submitted_at=call.closes_at - timedelta(days=1),
        submitted_by=creator,
        snapshot={
            "title": application.title,
            "answers": [{"question_id": question.pk, "label": "Q", "text": "Jane Roe's CV."}],
            "attachments": [{"id": attachment.pk, "name": "cv.pdf"}],
            "members": [
                {
                    "organisation_id": application.lead_organisation_id,
                    "budget_description": "Salary of Dr Jane Roe.",
                }
            ],
        },
    )
    return application, attachment.file.name


def _funded(amounts, paid_on: date):
    staff, staff2, staff3 = staff_user(), staff_user(), staff_user()
    consortium = selected_application(amounts=amounts)
    voucher = active_voucher(consortium, staff)
    instalment = approved_instalment(voucher, staff, staff2)
    for split in InstalmentShare.objects.filter(instalment=instalment).order_by("pk"):
        voucher_services.record_payment(
            split=split,
            actor=staff3,
            idempotency_key=f"pay-{split.pk}",
            value_date=paid_on,
            bank_reference=f"TRF-{split.pk}",
        )
    return voucher_services.terminate_voucher(voucher=voucher, actor=staff, reason="Stopped.")


@pytest.fixture
def seeded():
    person = UserFactory()
    # Unsuccessful applications: call A closed 15 January 2024 (24 months: due 15 January
    # 2026); call B closed 1 June 2025 and states 36 months (due 1 June 2028).
    call_a = CallFactory(opens_at=at(2023, 11, 1), closes_at=at(2024, 1, 15))
    call_b = CallFactory(
        opens_at=at(2025, 4, 1), closes_at=at(2025, 6, 1), unsuccessful_retention_months=36
    )
    rejected_a, file_a = _unsuccessful(call_a, creator=person)
    rejected_b, file_b = _unsuccessful(call_b, creator=person)
    organisation = OrganisationFactory()
    # Invitations: expired 1 October 2026 (30 days: due 31 October), 20 November 2026 (due
    # 20 December 2026); an accepted one, old, never goes.
    for token, expired in (("a", at(2026, 10, 1)), ("b", at(2026, 11, 20))):
        Invitation.objects.create(
            organisation=organisation, email=f"{token}@example.eu", token=token, expires_at=expired
        )
        EvaluatorInvitation.objects.create(
            email=f"{token}@example.eu", token=token, expires_at=expired
        )
    Invitation.objects.create(
        organisation=organisation,
        email="joined@example.eu",
        token="c",
        expires_at=at(2020, 1, 1),
        accepted_at=at(2019, 12, 20),
        accepted_by=person,
    )
    # Funded projects paid on 10 March 2026: EUR 40,000 (3 years: 10 March 2029) and EUR
    # 70,000 (5 years: 10 March 2031).
    small = _funded((Decimal("30000.00"), Decimal("10000.00")), date(2026, 3, 10))
    large = _funded((Decimal("40000.00"), Decimal("30000.00")), date(2026, 3, 10))
    return {
        "rejected_a": rejected_a,
        "rejected_b": rejected_b,
        "files": (file_a, file_b),
        "small": small,
        "large": large,
    }


def _state(seeded) -> dict:
    """Everything the rules may change, as plain values."""
    return {
        "applications": list(
            Application.objects.order_by("pk").values_list(
                "pk", "created_by", "personal_data_removed_at"
            )
        ),
        "answers": list(Answer.objects.order_by("pk").values_list("pk", "text")),
        "attachments": list(Attachment.objects.order_by("pk").values_list("pk", "file")),
        "versions": list(
            ApplicationVersion.objects.order_by("pk").values_list("pk", "snapshot", "submitted_by")
        ),
        "members": list(
            ConsortiumMember.objects.order_by("pk").values_list(
                "pk", "declaration_signed_by", "budget_description"
            )
        ),
        "invitations": sorted(Invitation.objects.values_list("token", flat=True)),
        "evaluator_invitations": sorted(
            EvaluatorInvitation.objects.values_list("token", flat=True)
        ),
        "shares": list(BeneficiaryShare.objects.order_by("pk").values_list("pk", "signed_by")),
        "vouchers": list(
            Voucher.objects.order_by("pk").values_list(
                "pk", "drafted_by", "personal_data_removed_at"
            )
        ),
    }


def _ours(counts: dict) -> dict:
    return {name: count for name, count in counts.items() if name in OUR_RULES}


def test_every_rule_is_registered_and_shown_with_its_period():
    assert {rule.name for rule in retention_rules()} >= OUR_RULES


def test_a_dry_run_changes_nothing(seeded):
    before = _state(seeded)
    entries = AuditEntry.objects.count()
    counts = apply_retention(now=at(2031, 3, 10), dry_run=True)
    assert _ours(counts) == {
        "accounts.expired_invitations": 2,
        "calls.unsuccessful_applications": 2,
        "evaluation.expired_invitations": 2,
        "vouchers.funded_projects": 2,
    }
    assert _state(seeded) == before
    assert AuditEntry.objects.count() == entries
    assert all(default_storage.exists(name) for name in seeded["files"])


def test_today_only_what_is_past_its_period_goes(seeded, django_capture_on_commit_callbacks):
    rejected_a, rejected_b = seeded["rejected_a"], seeded["rejected_b"]
    public_before = list(public_selectors.beneficiaries().values_list("pk", "awarded_amount"))
    with django_capture_on_commit_callbacks(execute=True):
        counts = apply_retention(now=at(2026, 12, 6))
    assert _ours(counts) == {
        "accounts.expired_invitations": 1,
        "calls.unsuccessful_applications": 1,
        "evaluation.expired_invitations": 1,
        "vouchers.funded_projects": 0,
    }
    assert sorted(Invitation.objects.values_list("token", flat=True)) == ["b", "c"]
    assert sorted(EvaluatorInvitation.objects.values_list("token", flat=True)) == ["b"]
    rejected_a.refresh_from_db()
    rejected_b.refresh_from_db()
    assert rejected_a.created_by is None and rejected_a.personal_data_removed_at is not None
    assert rejected_a.reference and rejected_a.state == ApplicationState.REJECTED  # figures stay
    assert rejected_b.created_by is not None and rejected_b.personal_data_removed_at is None
    assert list(Answer.objects.filter(application=rejected_a).values_list("text", flat=True)) == [
        ""
    ]
    assert list(Answer.objects.filter(application=rejected_b).values_list("text", flat=True)) == [
        "Jane Roe's CV."
    ]
    assert not Attachment.objects.filter(application=rejected_a).exists()
    assert Attachment.objects.filter(application=rejected_b).count() == 1
    file_a, file_b = seeded["files"]
    assert not default_storage.exists(file_a)
    assert default_storage.exists(file_b)
    version = ApplicationVersion.objects.get(application=rejected_a)
    assert version.submitted_by is None
    assert version.snapshot["answers"][0]["text"] == ""
    assert version.snapshot["attachments"] == []
    assert version.snapshot["members"][0]["budget_description"] == ""
    assert list(
        ConsortiumMember.objects.filter(application=rejected_a).values_list(
            "declaration_signed_by", "budget_description"
        )
    ) == [(None, "")]
    assert Voucher.objects.filter(personal_data_removed_at__isnull=False).count() == 0
    assert (
        list(public_selectors.beneficiaries().values_list("pk", "awarded_amount")) == public_before
    )
    entry = AuditEntry.objects.get(action="privacy.retention.applied")
    assert {k: v for k, v in entry.data["counts"].items() if k in OUR_RULES} == _ours(counts)


def test_funded_projects_go_on_their_own_dates(seeded):
    small, large = seeded["small"], seeded["large"]
    public_before = list(
        public_selectors.beneficiaries().values_list("organisation__legal_name", "awarded_amount")
    )
    # The day before the small grant's date: nothing of either project.
    assert _ours(apply_retention(now=at(2029, 3, 9)))["vouchers.funded_projects"] == 0
    assert _ours(apply_retention(now=at(2029, 3, 10)))["vouchers.funded_projects"] == 1
    small.refresh_from_db()
    large.refresh_from_db()
    assert small.personal_data_removed_at is not None and small.drafted_by is None
    assert list(small.shares.values_list("signed_by", flat=True)) == [None, None]
    assert large.personal_data_removed_at is None and large.drafted_by is not None
    assert None not in list(large.shares.values_list("signed_by", flat=True))
    assert small.application.personal_data_removed_at is not None
    assert large.application.personal_data_removed_at is None
    assert _ours(apply_retention(now=at(2031, 3, 9)))["vouchers.funded_projects"] == 0
    assert _ours(apply_retention(now=at(2031, 3, 10)))["vouchers.funded_projects"] == 1
    # The organisation-level public record never changed.
    assert (
        list(
            public_selectors.beneficiaries().values_list(
                "organisation__legal_name", "awarded_amount"
            )
        )
        == public_before
    )


def test_the_privacy_notice_and_the_call_page_state_the_periods(client, settings):
    settings.RETENTION_EXPIRED_INVITATION_DAYS = 21
    settings.RETENTION_UNSUCCESSFUL_APPLICATION_MONTHS = 18
    html = client.get("/privacy/").content.decode()
    assert "21 days after the invitation expired" in html
    assert "after its deadline (18 months unless it says otherwise)" in html
    assert (
        "5 years after the project&#x27;s final payment (3 years for grants up to €60,000.00)"
        in html
    )

    call = CallFactory(unsuccessful_retention_months=30)
    page = client.get(f"/calls/{call.slug}/").content.decode()
    assert "An application that is not funded is kept 30 months after the deadline" in page
