"""Every rule of the submission check, each on its own, and the whole list at once."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from accounts import services as account_services
from accounts.models import SMEDeclaration
from accounts.sme import SMECategory
from calls import services
from calls.models import MemberRole, MemberStatus
from calls.validation import submission_problems
from tests.calls.factories import CallFactory, MemberFactory, complete_application
from tests.factories import MembershipFactory, OrganisationFactory, SMEDeclarationFactory

pytestmark = pytest.mark.django_db


def problems(application):
    application.refresh_from_db()
    return [(p.step, p.message) for p in submission_problems(application, timezone.now())]


@pytest.fixture
def ready():
    return complete_application()


def test_complete_application_has_no_problem(ready):
    application, _admin = ready
    assert problems(application) == []


def test_empty_draft_lists_every_problem_with_its_step():
    call = CallFactory()
    membership = MembershipFactory()
    application = services.create_application(
        call=call, organisation=membership.organisation, actor=membership.user
    )
    lead = membership.organisation
    assert problems(application) == [
        ("overview", "Give the project a title."),
        ("overview", "Give the project an acronym."),
        ("overview", "Write the project summary."),
        ("overview", "Choose a voucher type."),
        ("consortium", "The consortium needs 2 to 3 confirmed members; it has 1."),
        ("consortium", f"{lead} has no role (adopter or provider)."),
        ("consortium", "The consortium needs members from at least 2 different countries."),
        ("consortium", "The consortium needs at least one adopter and one provider."),
        ("budget", f"Enter the budget requested by {lead}."),
        ("questions", "Answer “What problem does the project solve?”."),
        ("questions", "Answer “What is the expected impact?”."),
        ("attachments", "Upload “Work plan”."),
        ("declarations", f"{lead} has not signed its declaration of honour."),
    ]


def test_submit_raises_all_problems_with_steps_as_codes():
    call = CallFactory()
    membership = MembershipFactory()
    application = services.create_application(
        call=call, organisation=membership.organisation, actor=membership.user
    )
    with pytest.raises(ValidationError) as error:
        services.submit_application(application=application, actor=membership.user)
    assert [e.code for e in error.value.error_list][:5] == [
        "overview",
        "overview",
        "overview",
        "overview",
        "consortium",
    ]
    assert len(error.value.error_list) == 13


def test_pending_invitation_blocks(ready):
    application, admin = ready
    other = OrganisationFactory(country="SE")
    services.invite_partner(application=application, organisation=other, invited_by=admin)
    assert problems(application) == [
        ("consortium", f"{other} has not confirmed its participation yet.")
    ]


def test_too_many_members():
    call = CallFactory(max_members=2, min_members=2)
    application, admin = complete_application(call)
    with pytest.raises(ValidationError) as error:
        services.invite_partner(
            application=application, organisation=OrganisationFactory(), invited_by=admin
        )
    assert error.value.messages == ["The consortium already has the maximum of 2 members."]


def test_ineligible_country(ready):
    application, _admin = ready
    partner = application.members.get(is_lead=False).organisation
    partner.country = "NO"
    partner.save()
    assert problems(application) == [
        ("consortium", f"{partner} is based in NO, which is not eligible in this call.")
    ]


def test_distinct_countries(ready):
    application, _admin = ready
    partner = application.members.get(is_lead=False).organisation
    partner.country = "FI"
    partner.save()
    assert problems(application) == [
        ("consortium", "The consortium needs members from at least 2 different countries.")
    ]


def test_adopter_and_provider(ready):
    application, _admin = ready
    application.members.update(role=MemberRole.ADOPTER)
    assert problems(application) == [
        ("consortium", "The consortium needs at least one adopter and one provider.")
    ]
    application.call.require_adopter_and_provider = False
    application.call.save()
    assert problems(application) == []


def test_not_an_sme(ready):
    application, _admin = ready
    lead = application.lead_organisation
    lead.sme_declarations.update(superseded_at=timezone.now())
    SMEDeclarationFactory(
        organisation=lead, version=2, category=SMECategory.NOT_SME, staff_headcount=Decimal(300)
    )
    assert problems(application) == [("consortium", f"{lead} is not an SME by its declaration.")]


def test_missing_sme_declaration_read_from_the_database(ready):
    application, _admin = ready
    SMEDeclaration.objects.all().delete()
    names = [str(m.organisation) for m in application.members.all()]
    assert problems(application) == [
        ("consortium", f"{name} has not filed an SME declaration.") for name in names
    ]


def test_only_the_current_declaration_counts(ready):
    """A superseded declaration is history: with no current one the member has not declared."""
    application, _admin = ready
    partner = application.members.get(is_lead=False).organisation
    partner.sme_declarations.update(superseded_at=timezone.now())
    assert problems(application) == [("consortium", f"{partner} has not filed an SME declaration.")]


def test_voucher_cap_per_sme(ready):
    application, _admin = ready
    application.voucher_type = application.call.voucher_types.get(name="Proof of concept")
    application.save()
    lead = application.lead_organisation
    assert problems(application) == [
        (
            "budget",
            f"{lead} requests €30,000.00; a Proof of concept voucher allows €25,000.00 per SME.",
        )
    ]


def test_a_cap_error_reads_in_spanish_with_spanish_money(ready):
    application, _admin = ready
    application.voucher_type = application.call.voucher_types.get(name="Proof of concept")
    application.save()
    lead = application.lead_organisation

    with translation.override("es"):
        found = problems(application)

    assert found == [
        (
            "budget",
            f"{lead} solicita 30\u00a0000,00\u00a0€; un bono Proof of concept permite "
            "25\u00a0000,00\u00a0€ por pyme.",
        )
    ]


def test_cap_per_third_party(ready):
    application, _admin = ready
    call = application.call
    call.cap_per_third_party = Decimal("25000.00")
    call.save()
    lead = application.lead_organisation
    assert problems(application) == [
        (
            "budget",
            f"{lead} requests €30,000.00, above the cap per third party of €25,000.00.",
        )
    ]


def test_cap_per_project(ready):
    application, _admin = ready
    call = application.call
    call.cap_per_project = Decimal("45000.00")
    call.save()
    assert problems(application) == [
        ("budget", "The project requests €50,000.00, above the cap per project of €45,000.00.")
    ]


def test_lifetime_cap_counts_earlier_grants(ready):
    application, _admin = ready
    call = application.call
    call.lifetime_cap_per_sme = Decimal("60000.00")
    call.save()
    lead = application.lead_organisation
    earlier = MemberFactory(organisation=lead, awarded_amount=Decimal("40000.00"))
    assert earlier.application.call_id != call.pk
    assert problems(application) == [
        (
            "budget",
            f"{lead} already received €40,000.00; with €30,000.00 it would exceed the "
            "lifetime cap of €60,000.00.",
        )
    ]


def test_answer_over_the_limit_is_saved_but_blocks_submission(ready):
    application, admin = ready
    question = application.call.questions.first()
    services.save_answer(application=application, question=question, text="x" * 501, actor=admin)
    assert problems(application) == [
        (
            "questions",
            f"The answer to “{question.label}” is 501 characters long; the limit is 500.",
        )
    ]


def test_missing_declaration_of_honour(ready):
    application, _admin = ready
    partner = application.members.get(is_lead=False)
    partner.declaration_signed_at = None
    partner.save()
    assert problems(application) == [
        ("declarations", f"{partner.organisation} has not signed its declaration of honour.")
    ]


def test_removed_attachment_is_missing(ready):
    application, admin = ready
    services.remove_attachment(attachment=application.attachments.get(), actor=admin)
    assert problems(application) == [("attachments", "Upload “Work plan”.")]


def test_declined_members_do_not_count(ready):
    application, _admin = ready
    application.members.filter(is_lead=False).update(status=MemberStatus.DECLINED)
    assert ("consortium", "The consortium needs 2 to 3 confirmed members; it has 1.") in problems(
        application
    )


def test_real_sme_declarations_are_read(ready):
    application, _admin = ready
    figures = {
        "reference_year": 2025,
        "annual_turnover": Decimal("900000.00"),
        "balance_sheet_total": Decimal("500000.00"),
        "enterprise_category": "autonomous",
        "public_body_holding": 0,
    }
    lead = application.lead_organisation
    partner = application.members.get(is_lead=False).organisation
    for organisation, staff in ((lead, Decimal("8")), (partner, Decimal("300"))):
        account_services.sme_declaration_sign(
            organisation=organisation,
            user=organisation.memberships.get().user,
            data={**figures, "staff_headcount": staff},
        )
    assert problems(application) == [("consortium", f"{partner} is not an SME by its declaration.")]
