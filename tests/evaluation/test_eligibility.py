"""Eligibility: automatic checks with evidence, staff confirmation or override, pages."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import SMEDeclaration
from accounts.sme import SMECategory
from calls.models import Application, ApplicationState
from evaluation.models import EligibilityCheck, EligibilityDecision
from evaluation.selectors_eligibility import eligibility_application
from evaluation.services.eligibility import decide_eligibility, run_eligibility_checks
from minegap.ledger.models import AuditEntry
from tests.auth import sign_in
from tests.evaluation.factories import (
    closed_call,
    evaluator,
    freeze,
    really_submitted,
    submitted_application,
)
from tests.evaluation.test_call_tabs import TAB_BAR_QUERIES
from tests.factories import SMEDeclarationFactory

pytestmark = pytest.mark.django_db


def _results(application) -> dict[str, bool]:
    check = EligibilityCheck.objects.get(application=application)
    return {item.code: item.passed for item in check.items.all()}


ALL_CODES = [
    "on_time",
    "complete",
    "countries",
    "sme_status",
    "consortium",
    "caps",
    "declarations",
    "double_funding",
]


def test_a_complete_application_passes_every_check_with_evidence(staff):
    application = really_submitted()
    assert run_eligibility_checks(call=application.call, actor=staff) == 1
    check = EligibilityCheck.objects.get(application=application)
    assert [i.code for i in check.items.all()] == ALL_CODES
    assert _results(application) == dict.fromkeys(ALL_CODES, True)
    assert check.automatic_passed is True
    countries = check.items.get(code="countries").evidence
    assert countries.endswith("Eligible: BG, DE, ES, FI, FR, GR, PL, PT, SE.")
    assert ": FI;" in countries


def test_failing_checks_name_what_failed(staff):
    call = closed_call()
    late = submitted_application(call, submitted_at=call.closes_at + timedelta(seconds=1))
    foreign = submitted_application(call, countries=("FI", "US"))
    one_country = submitted_application(call, countries=("FI", "FI"))
    run_eligibility_checks(call=call, actor=staff)
    assert _results(late)["on_time"] is False
    assert _results(foreign)["countries"] is False
    assert (_results(one_country)["countries"], _results(one_country)["consortium"]) == (
        True,
        False,
    )
    evidence = EligibilityCheck.objects.get(application=foreign).items.get(code="countries")
    assert ": US ✗" in evidence.evidence


def test_sme_status_and_double_funding(staff):
    call = closed_call()
    application = submitted_application(call)
    other_call = closed_call()
    funded = submitted_application(other_call, state=ApplicationState.SELECTED)
    member = funded.members.first()
    member.organisation = application.lead_organisation
    member.save()
    lead = application.lead_organisation
    lead.sme_declarations.update(superseded_at=timezone.now())
    SMEDeclarationFactory(organisation=lead, version=2, category=SMECategory.NOT_SME)
    run_eligibility_checks(call=call, actor=staff)
    results = _results(application)
    assert (results["sme_status"], results["double_funding"]) == (False, False)
    items = EligibilityCheck.objects.get(application=application).items
    partner = application.members.get(is_lead=False).organisation
    assert items.get(code="sme_status").evidence == (
        f"{lead}: Not an SME (declaration v2); {partner}: Micro enterprise (declaration v1)"
    )
    assert items.get(code="double_funding").evidence == (
        f"The same project was funded in: {funded.reference} ({other_call.title})."
    )


def test_a_member_without_an_sme_declaration_fails_the_sme_check(staff):
    call = closed_call()
    application = submitted_application(call)
    lead = application.lead_organisation
    partner = application.members.get(is_lead=False).organisation
    SMEDeclaration.objects.filter(organisation=partner).delete()
    run_eligibility_checks(call=call, actor=staff)
    check = EligibilityCheck.objects.get(application=application).items.get(code="sme_status")
    assert (check.passed, check.evidence) == (
        False,
        f"{lead}: Micro enterprise (declaration v1); {partner}: no SME declaration",
    )


def test_checks_run_only_after_the_deadline_and_only_for_staff(staff):
    call = closed_call(closes_at=timezone.now() + timedelta(days=1))
    with pytest.raises(ValidationError):
        run_eligibility_checks(call=call, actor=staff)
    with pytest.raises(PermissionDenied):
        run_eligibility_checks(call=closed_call(), actor=evaluator())


def test_confirming_moves_the_application_and_writes_the_ledger(staff):
    application = really_submitted()
    run_eligibility_checks(call=application.call, actor=staff)
    check = decide_eligibility(
        application=application, actor=staff, decision=EligibilityDecision.ELIGIBLE
    )
    application.refresh_from_db()
    assert (application.state, check.overridden, check.decided_by) == (
        ApplicationState.ELIGIBLE,
        False,
        staff,
    )
    entry = AuditEntry.objects.filter(action="evaluation.eligibility.decided").get()
    assert entry.data == {
        "decision": "eligible",
        "overridden": False,
        "failed_checks": [],
    }
    assert entry.notes == {}
    with pytest.raises(ValidationError):
        decide_eligibility(
            application=application, actor=staff, decision=EligibilityDecision.INELIGIBLE
        )


def test_override_and_ineligibility_need_a_reason(staff):
    call = closed_call()
    application = submitted_application(call, countries=("FI", "US"))
    run_eligibility_checks(call=call, actor=staff)
    with pytest.raises(ValidationError) as error:
        decide_eligibility(application=application, actor=staff, decision="eligible")
    assert error.value.code == "reason"
    with pytest.raises(ValidationError):
        decide_eligibility(application=application, actor=staff, decision="ineligible")
    check = decide_eligibility(
        application=application,
        actor=staff,
        decision="ineligible",
        reason="A member is based outside the eligible countries.",
    )
    application.refresh_from_db()
    assert (application.state, application.state_reason, check.overridden) == (
        ApplicationState.INELIGIBLE,
        "A member is based outside the eligible countries.",
        False,
    )


def test_pages_are_for_staff_only(client):
    call = closed_call()
    url = reverse("evaluation:eligibility", args=[call.slug])
    assert client.get(url).status_code == 302
    sign_in(client, evaluator())
    assert client.get(url).status_code == 403


def test_staff_run_and_decide_through_the_pages(staff_client):
    call = closed_call()
    application = submitted_application(call, countries=("FI", "US"))
    url = reverse("evaluation:eligibility", args=[call.slug])
    response = staff_client.post(url)
    assert response.status_code == 302
    page = staff_client.get(url).content.decode()
    assert '<span class="badge bad">2 failed</span>' in page
    detail = reverse("evaluation:eligibility-detail", args=[call.slug, application.pk])
    response = staff_client.post(detail, {"decision": "eligible", "reason": ""})
    assert response.status_code == 200
    assert "Write the reason (at least 10 characters)" in response.content.decode()
    response = staff_client.post(
        detail, {"decision": "ineligible", "reason": "Outside the eligible countries."}
    )
    assert (response.status_code, response.url) == (302, url)
    application.refresh_from_db()
    assert application.state == ApplicationState.INELIGIBLE


@pytest.mark.parametrize("count", [1, 3])
def test_eligibility_list_query_count(staff, staff_client, django_assert_num_queries, count):
    call = closed_call()
    for _ in range(count):
        submitted_application(call)
    run_eligibility_checks(call=call, actor=staff)
    url = reverse("evaluation:eligibility", args=[call.slug])
    staff_client.get(url)
    with django_assert_num_queries(QUERIES):
        response = staff_client.get(url)
    assert response.content.decode().count('<span class="badge ok">All passed</span>') == 0
    assert len(re.findall(rf'href="{url}\d+/"', response.content.decode())) == count


# +1: whether an application still waits for the automatic checks (the run button).
# 9 + TAB_BAR_QUERIES until issue #15: the session read from the cache and the person with roles and memberships in one query, three fewer.
QUERIES = 6 + TAB_BAR_QUERIES


def test_double_funding_compares_the_submitted_titles_of_both_projects(staff):
    """The project funded elsewhere was submitted as "Sensor-driven ore sorting" and renamed
    afterwards without submitting again; an unrelated project funded elsewhere was renamed to
    this one's title. The check finds the first and not the second."""
    call = closed_call()
    application = submitted_application(call, title="Sensor-driven ore sorting")
    lead = application.lead_organisation
    other_call = closed_call()
    same_project = submitted_application(
        other_call, state=ApplicationState.SELECTED, title="Sensor-driven ore sorting"
    )
    unrelated = submitted_application(
        other_call, state=ApplicationState.SELECTED, title="Tailings reuse"
    )
    Application.objects.filter(pk=unrelated.pk).update(acronym="TAILS")
    for other in (same_project, unrelated):
        member = other.members.first()
        member.organisation = lead
        member.save()
        other.refresh_from_db()
        freeze(other)
    Application.objects.filter(pk=same_project.pk).update(title="Renamed later", acronym="LATER")
    Application.objects.filter(pk=unrelated.pk).update(
        title="Sensor-driven ore sorting", acronym="SENSORT"
    )

    run_eligibility_checks(call=call, actor=staff)

    assert _results(application)["double_funding"] is False
    assert EligibilityCheck.objects.get(application=application).items.get(
        code="double_funding"
    ).evidence == (
        f"The same project was funded in: {same_project.reference} ({other_call.title})."
    )


def test_the_detail_reads_the_application_its_call_its_check_and_who_decided(
    staff, django_assert_num_queries
):
    """One row read into four models (`eligibility_application`), as select_related gave them:
    nothing more is read to show them, and a check not run yet is known to be missing."""
    call = closed_call(title="Critical raw materials")
    decided = submitted_application(call, title="Decided")
    waiting = submitted_application(call, title="Waiting")
    run_eligibility_checks(call=call, actor=staff)
    decide_eligibility(
        application=decided,
        actor=staff,
        decision=EligibilityDecision.INELIGIBLE,
        reason="Outside the eligible countries.",
    )
    EligibilityCheck.objects.filter(application=waiting).delete()
    stored = EligibilityCheck.objects.get(application=decided)

    with django_assert_num_queries(1):
        read = eligibility_application(call.slug, decided.pk)
        check = read.eligibility_check
        seen = (
            (read.pk, read.reference, read.state, read.title),
            (read.call.pk, read.call.slug, read.call.title),
            (check.application.pk, check.decision, check.automatic_passed, check.overridden),
            (check.decided_by.pk, check.decided_by.full_name),
        )
    assert seen == (
        (decided.pk, f"{call.code}-0001", ApplicationState.INELIGIBLE, "Decided"),
        (call.pk, call.slug, "Critical raw materials"),
        (decided.pk, "ineligible", stored.automatic_passed, stored.overridden),
        (staff.pk, staff.full_name),
    )
    with django_assert_num_queries(1):
        assert (
            getattr(eligibility_application(call.slug, waiting.pk), "eligibility_check", None)
            is None
        )


def test_the_detail_is_only_for_a_submitted_application_of_that_call(staff):
    call = closed_call()
    application = submitted_application(call)

    assert eligibility_application(closed_call().slug, application.pk) is None
    assert eligibility_application(call.slug, 2**63) is None
    Application.objects.filter(pk=application.pk).update(state=ApplicationState.DRAFT)
    assert eligibility_application(call.slug, application.pk) is None
