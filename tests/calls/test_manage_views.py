from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from calls.models import Call, CallState, VoucherType
from minegap.ledger.models import AuditEntry
from tests.calls.factories import PDF_BYTES, CallFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def call_post_data(**overrides):
    data = {
        "title": "MINE.THE.GAP Open Call 3",
        "slug": "mtg-oc3",
        "code": "MTG-OC3",
        "summary": "Vouchers for SME consortia.",
        "body": "The full text.",
        "total_budget": "1500000.00",
        "cap_per_project": "150000.00",
        "cap_per_third_party": "60000.00",
        "lifetime_cap_per_sme": "",
        "min_members": "2",
        "max_members": "3",
        "min_countries": "2",
        "require_adopter_and_provider": "on",
        "eligible_countries": ["FI", "SE", "ES"],
        "time_zone": "Europe/Brussels",
        "opens_at": "2027-01-10T09:00:00",
        "closes_at": "2027-03-31T17:00:00",
        "total_threshold": "10",
        "evaluators_per_proposal": "3",
        "divergence_percent": "30",
        "divergence_points": "2",
        "divergence_settlement": "consensus",
        "extra_evaluator_rule": "",
        "redress_window_days": "30",
        "unsuccessful_retention_months": "24",
        "thematic_areas_text": "Digital mining\nCircular economy",
        "instalment_plan_text": "50 | Pre-financing | signature\n50 | Final | deliverable",
        "tie_break_0": "criterion:Impact",
        "tie_break_1": "criterion:Excellence",
        "tie_break_2": "submitted_at",
    }
    data.update(overrides)
    return data


def test_staff_create_call_interprets_dates_in_the_call_time_zone(staff_client):
    response = staff_client.post(reverse("calls:manage-create"), call_post_data())
    call = Call.objects.get()
    assert response["Location"] == reverse("calls:manage-detail", args=[call.slug])
    assert call.closes_at.isoformat() == "2027-03-31T15:00:00+00:00"  # 17:00 CEST
    assert (call.state, call.thematic_areas, call.eligible_countries) == (
        CallState.DRAFT,
        ["Digital mining", "Circular economy"],
        ["FI", "SE", "ES"],
    )
    assert call.instalment_plan == [
        {"percent": 50, "label": "Pre-financing", "trigger": "signature"},
        {"percent": 50, "label": "Final", "trigger": "deliverable"},
    ]


def test_create_call_form_errors_answer_400(staff_client):
    response = staff_client.post(
        reverse("calls:manage-create"),
        call_post_data(closes_at="2027-01-01T00:00:00", instalment_plan_text="60 | A | x"),
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["closes_at"] == ["The call must close after it opens."]
    assert form.errors["instalment_plan_text"] == ["The instalments must add up to 100 %."]
    assert Call.objects.count() == 0


def test_non_staff_cannot_reach_manage_pages(client):
    client.force_login(UserFactory())
    call = CallFactory()
    urls = [
        reverse("calls:manage-list"),
        reverse("calls:manage-create"),
        reverse("calls:manage-detail", args=[call.slug]),
        reverse("calls:manage-applications", args=[call.slug]),
    ]
    assert [client.get(url).status_code for url in urls] == [403, 403, 403, 403]


def test_staff_without_mfa_is_sent_to_mfa_setup(client):
    client.force_login(UserFactory(roles=["consortium-staff"]))
    response = client.get(reverse("calls:manage-list"))
    assert response["Location"] == reverse("mfa_activate_totp")


def test_publish_page_lists_every_problem(staff_client):
    call = CallFactory(configured=False, state=CallState.DRAFT, body="")
    response = staff_client.post(reverse("calls:manage-publish", args=[call.slug]))
    assert response.status_code == 400
    assert response.context["publish_errors"] == [
        "The call needs its full text.",
        "Add at least one voucher type.",
        "Add at least one evaluation criterion.",
        "Add at least one question to the application form.",
    ]


def test_publish_short_call_after_acknowledging(staff_client):
    now = timezone.now()
    call = CallFactory(
        state=CallState.DRAFT, opens_at=now + timedelta(days=1), closes_at=now + timedelta(weeks=2)
    )
    url = reverse("calls:manage-publish", args=[call.slug])
    response = staff_client.post(url)
    assert response.status_code == 400
    assert response.context["publish_errors"] == [
        "The call is open for less than 8 weeks. Confirm that this is intended to publish it."
    ]
    response = staff_client.post(url, {"acknowledge_short_window": "on"})
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.state == CallState.PUBLISHED


def test_voucher_types_formset_saves_and_logs(staff_client):
    call = CallFactory(configured=False, state=CallState.DRAFT)
    url = reverse("calls:manage-items", args=[call.slug, "voucher-types"])
    assert staff_client.get(url).context["formset"].total_form_count() == 2
    data = {
        "voucher-types-TOTAL_FORMS": "2",
        "voucher-types-INITIAL_FORMS": "0",
        "voucher-types-0-name": "Proof of concept",
        "voucher-types-0-cap_per_sme": "25000",
        "voucher-types-0-order": "1",
        "voucher-types-1-name": "",
        "voucher-types-1-cap_per_sme": "",
        "voucher-types-1-order": "0",
    }
    response = staff_client.post(url, data)
    assert response.status_code == 302
    assert list(VoucherType.objects.values_list("name", "cap_per_sme")) == [
        ("Proof of concept", Decimal("25000.00"))
    ]
    assert AuditEntry.objects.get(action="calls.call.configured").data == {
        "what": "voucher-types",
        "before": [],
        "after": [{"name": "Proof of concept", "cap_per_sme": "25000.00", "order": 1}],
    }


def test_questions_cannot_change_once_open(staff_client):
    call = CallFactory()
    question = call.questions.first()
    url = reverse("calls:manage-items", args=[call.slug, "questions"])
    data = {
        "questions-TOTAL_FORMS": "1",
        "questions-INITIAL_FORMS": "1",
        "questions-0-id": str(question.pk),
        "questions-0-call": str(call.pk),
        "questions-0-label": "Moved goalpost",
        "questions-0-char_limit": "500",
        "questions-0-order": "1",
    }
    response = staff_client.post(url, data)
    assert response.status_code == 400
    assert list(response.context["formset"].non_form_errors()) == [
        "The call is open: its caps, rules and questions can no longer change."
    ]
    question.refresh_from_db()
    assert question.label == "What problem does the project solve?"


def test_edit_open_call_caps_refused_wording_allowed(staff_client):
    call = CallFactory(slug="mtg-oc3", code="MTG-OC3")
    url = reverse("calls:manage-edit", args=[call.slug])
    local = lambda dt: dt.astimezone(call.tz).strftime("%Y-%m-%dT%H:%M:%S")  # noqa: E731
    dates = {"opens_at": local(call.opens_at), "closes_at": local(call.closes_at)}
    response = staff_client.post(
        url, call_post_data(cap_per_third_party="70000.00", **dates, title=call.title)
    )
    assert response.status_code == 400
    (message,) = response.context["form"].non_field_errors()
    fields = message.removeprefix("The call is open: ").removesuffix(" can no longer change.")
    assert "cap_per_third_party" in fields.split(", ")
    assert "summary" not in fields.split(", ")  # wording may change
    call.refresh_from_db()
    assert call.cap_per_third_party == Decimal("60000.00")


def test_extend_deadline_page(staff_client):
    call = CallFactory()
    new_local = (call.closes_at + timedelta(days=3)).astimezone(call.tz).replace(microsecond=0)
    response = staff_client.post(
        reverse("calls:manage-extend", args=[call.slug]),
        {"closes_at": new_local.strftime("%Y-%m-%dT%H:%M:%S")},
    )
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.closes_at == new_local


def test_documents_checked_by_content(staff_client):
    call = CallFactory()
    url = reverse("calls:manage-document-add", args=[call.slug])
    bad = staff_client.post(
        url, {"title": "Guide", "file": SimpleUploadedFile("guide.pdf", b"MZ\x90\x00")}
    )
    assert bad.status_code == 400
    good = staff_client.post(
        url, {"title": "Guide for applicants", "file": SimpleUploadedFile("g.pdf", PDF_BYTES)}
    )
    assert good.status_code == 302
    document = call.documents.get()
    assert (document.title, document.kind) == ("Guide for applicants", "pdf")


def test_manage_list_shows_calls(staff_client):
    CallFactory(title="Call A")
    response = staff_client.get(reverse("calls:manage-list"))
    assert [c.title for c in response.context["page"].object_list] == ["Call A"]


def test_a_document_title_is_kept_beside_the_ledger_entry_not_in_its_hashed_data(staff_client):
    """A typed title may hold an address; the ledger's hashed data never does."""
    call = CallFactory()
    response = staff_client.post(
        reverse("calls:manage-document-add", args=[call.slug]),
        {"title": "Ask jane.doe@mine.example", "file": SimpleUploadedFile("g.pdf", PDF_BYTES)},
    )
    assert response.status_code == 302
    document = call.documents.get()
    entry = AuditEntry.objects.get(action="calls.call.document_added")
    assert sorted(entry.data) == ["document", "notes_sha256"]
    assert entry.data["document"] == document.pk
    assert entry.notes == {"title": "Ask jane.doe@mine.example"}


def test_an_address_typed_into_a_call_rule_is_refused_and_nothing_is_saved(staff_client):
    """A call's rules are hashed into the ledger, which never holds an e-mail address: the page
    refuses it with the reason (400, not a server error) and saves nothing."""
    call = CallFactory(configured=False, state=CallState.DRAFT)
    data = {
        "voucher-types-TOTAL_FORMS": "1",
        "voucher-types-INITIAL_FORMS": "0",
        "voucher-types-0-name": "Ask ana@mine.example",
        "voucher-types-0-cap_per_sme": "25000",
        "voucher-types-0-order": "1",
    }
    response = staff_client.post(
        reverse("calls:manage-items", args=[call.slug, "voucher-types"]), data
    )
    assert response.status_code == 400
    assert "data.after[0].name holds an e-mail address" in response.text
    assert (VoucherType.objects.count(), AuditEntry.objects.count()) == (0, 0)
