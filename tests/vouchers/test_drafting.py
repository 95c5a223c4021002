"""Drafting vouchers from the decision: shares, plan, caps, budget, idempotency, ledger."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from calls.models import ApplicationState, ConsortiumMember
from minegap.ledger.models import AuditEntry
from tests.calls.factories import CallFactory
from tests.factories import UserFactory
from tests.vouchers.factories import selected_application
from vouchers import services
from vouchers.models import Instalment, InstalmentShare, InstalmentTrigger, Voucher
from vouchers.selectors import committed_total

pytestmark = pytest.mark.django_db
D = Decimal


def test_draft_creates_voucher_shares_plan_and_ledger_entry(staff):
    consortium = selected_application()
    voucher = services.draft_voucher(application=consortium.application, actor=staff)

    assert voucher.agreement_number == f"VA-{consortium.application.reference}"
    assert voucher.amount == D("50000.00")
    assert voucher.state == "drafted"
    assert list(voucher.shares.order_by("pk").values_list("organisation", "amount")) == [
        (consortium.organisations[0].pk, D("30000.00")),
        (consortium.organisations[1].pk, D("20000.00")),
    ]
    assert list(
        voucher.instalments.order_by("sequence").values_list("percent", "amount", "trigger")
    ) == [
        (D("50.00"), D("25000.00"), InstalmentTrigger.SIGNATURE),
        (D("50.00"), D("25000.00"), InstalmentTrigger.FINAL_DELIVERABLE),
    ]
    final = voucher.deliverables.get(is_final=True)
    assert voucher.instalments.get(sequence=2).deliverable == final
    # The awarded amounts (funding history) follow the shares.
    assert sorted(
        ConsortiumMember.objects.filter(application=consortium.application).values_list(
            "awarded_amount", flat=True
        )
    ) == [D("20000.00"), D("30000.00")]
    entry = AuditEntry.objects.filter(action="vouchers.voucher.drafted").get()
    assert entry.target_id == str(voucher.pk)
    assert entry.data["amount"] == "50000.00"
    assert entry.data["instalments"] == ["25000.00", "25000.00"]


def test_awkward_amount_three_step_plan_rows_and_columns_add_up(staff):
    call = CallFactory(
        state="decided",
        instalment_plan=[
            {"label": "Pre-financing", "percent": 40, "trigger": "signature"},
            {"label": "Mid-term report", "percent": 30, "trigger": "deliverable"},
            {"label": "Final", "percent": 30, "trigger": "final_deliverable"},
        ],
    )
    consortium = selected_application(
        call, (D("11111.11"), D("11111.11"), D("11111.11")), awarded=True
    )
    voucher = services.draft_voucher(application=consortium.application, actor=staff)

    assert voucher.amount == D("33333.33")
    instalments = list(voucher.instalments.order_by("sequence"))
    assert [i.amount for i in instalments] == [D("13333.33"), D("10000.00"), D("10000.00")]
    assert [i.trigger for i in instalments] == ["signature", "deliverable", "final_deliverable"]
    assert instalments[1].deliverable.title == "Mid-term report"
    assert voucher.milestones.count() == 2
    for instalment in instalments:
        parts = InstalmentShare.objects.filter(instalment=instalment)
        assert sum(p.amount for p in parts) == instalment.amount
    for share in voucher.shares.all():
        assert sum(s.amount for s in share.instalment_splits.all()) == share.amount == D("11111.11")


def test_draft_is_idempotent(staff):
    consortium = selected_application()
    first = services.draft_vouchers_for_call(call=consortium.application.call, actor=staff)
    second = services.draft_vouchers_for_call(call=consortium.application.call, actor=staff)
    assert [v.pk for v in first] == [v.pk for v in second]
    assert Voucher.objects.count() == 1
    assert Instalment.objects.count() == 2
    assert AuditEntry.objects.filter(action="vouchers.voucher.drafted").count() == 1


def test_draft_for_call_only_selected_applications(staff):
    call = CallFactory(state="decided")
    selected = selected_application(call)
    reserve = selected_application(call)
    reserve.application.state = ApplicationState.RESERVE
    reserve.application.save()
    vouchers = services.draft_vouchers_for_call(call=call, actor=staff)
    assert [v.application_id for v in vouchers] == [selected.application.pk]


def test_only_staff_draft():
    consortium = selected_application()
    with pytest.raises(PermissionDenied):
        services.draft_voucher(application=consortium.application, actor=UserFactory())
    assert Voucher.objects.count() == 0


def test_not_selected_refused(staff):
    consortium = selected_application()
    consortium.application.state = ApplicationState.RESERVE
    consortium.application.save()
    with pytest.raises(ValidationError, match="Only a selected application"):
        services.draft_voucher(application=consortium.application, actor=staff)


def test_cap_per_third_party(staff):
    call = CallFactory(state="decided", cap_per_third_party=D("25000.00"))
    consortium = selected_application(call, (D("25000.01"), D("20000.00")))
    with pytest.raises(ValidationError, match=r"cap per third party of €25,000.00"):
        services.draft_voucher(application=consortium.application, actor=staff)
    assert Voucher.objects.count() == 0


def test_voucher_type_cap_per_sme(staff):
    call = CallFactory(state="decided")
    consortium = selected_application(call, (D("50000.01"), D("1000.00")))
    call.cap_per_third_party = D("60000.00")
    with pytest.raises(ValidationError, match=r"voucher type's cap of €50,000.00"):
        services.draft_voucher(application=consortium.application, actor=staff)


def test_cap_per_project(staff):
    call = CallFactory(state="decided", cap_per_project=D("49999.99"))
    consortium = selected_application(call)
    with pytest.raises(ValidationError, match=r"cap per project of €49,999.99"):
        services.draft_voucher(application=consortium.application, actor=staff)


def test_lifetime_cap_counts_other_calls(staff):
    earlier = selected_application(CallFactory(state="decided"), (D("40000.00"), D("5000.00")))
    services.draft_voucher(application=earlier.application, actor=staff)
    call = CallFactory(state="decided", lifetime_cap_per_sme=D("60000.00"))
    consortium = selected_application(call, (D("20000.01"), D("10000.00")))
    # The same SME as in the earlier call leads the new consortium.
    lead = consortium.members[0]
    lead.organisation = earlier.organisations[0]
    lead.save()
    with pytest.raises(ValidationError, match=r"€40,000.00 already awarded"):
        services.draft_voucher(application=consortium.application, actor=staff)
    lead.requested_amount = D("20000.00")
    lead.save()
    voucher = services.draft_voucher(application=consortium.application, actor=staff)
    assert voucher.amount == D("30000.00")


def test_committed_vouchers_never_exceed_budget_all_or_nothing(staff):
    call = CallFactory(state="decided", total_budget=D("99999.99"))
    selected_application(call)  # 50,000
    selected_application(call)  # 50,000: one cent too many
    with pytest.raises(ValidationError, match="exceed the call's budget"):
        services.draft_vouchers_for_call(call=call, actor=staff)
    assert Voucher.objects.count() == 0
    call.total_budget = D("100000.00")
    call.save()
    assert len(services.draft_vouchers_for_call(call=call, actor=staff)) == 2
    assert committed_total(call) == D("100000.00")


def test_adjust_shares_within_caps(staff):
    consortium = selected_application()
    voucher = services.draft_voucher(application=consortium.application, actor=staff)
    first, second = voucher.shares.order_by("pk")
    voucher = services.adjust_shares(
        voucher=voucher,
        amounts={first.pk: D("25000.00"), second.pk: D("8333.33")},
        actor=staff,
        reason="Budget review",
    )
    assert voucher.amount == D("33333.33")
    assert list(voucher.instalments.order_by("sequence").values_list("amount", flat=True)) == [
        D("16666.67"),
        D("16666.66"),
    ]
    assert sorted(
        ConsortiumMember.objects.filter(application=voucher.application).values_list(
            "awarded_amount", flat=True
        )
    ) == [D("8333.33"), D("25000.00")]
    assert InstalmentShare.objects.filter(instalment__voucher=voucher).count() == 4
    with pytest.raises(ValidationError, match="cap per third party"):
        services.adjust_shares(
            voucher=voucher, amounts={first.pk: D("60000.01")}, actor=staff, reason="Typo"
        )
    voucher.refresh_from_db()
    assert voucher.amount == D("33333.33")
    assert AuditEntry.objects.filter(action="vouchers.voucher.shares_adjusted").count() == 1


def test_adjust_shares_cannot_exceed_budget(staff):
    call = CallFactory(state="decided", total_budget=D("60000.00"))
    consortium = selected_application(call)
    voucher = services.draft_voucher(application=consortium.application, actor=staff)
    first = voucher.shares.order_by("pk").first()
    with pytest.raises(ValidationError, match="exceed the call's budget"):
        services.adjust_shares(
            voucher=voucher, amounts={first.pk: D("40000.01")}, actor=staff, reason="More"
        )
    voucher = services.adjust_shares(
        voucher=voucher, amounts={first.pk: D("40000.00")}, actor=staff, reason="More"
    )
    assert voucher.amount == D("60000.00")
