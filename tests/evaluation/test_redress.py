"""Redress: complaints within the window (to the last instant, refused after with the date),
one open at a time, by consortium admins only; staff review and decide them in writing."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from calls.models import ApplicationState
from evaluation.models import Complaint, ComplaintState, ResultsPublication
from evaluation.services import redress
from evaluation.services.publication import redress_closes_at
from minegap.ledger.models import AuditEntry
from minegap.notifications.models import Notification
from tests.auth import sign_in
from tests.evaluation.results_factories import decided_call
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

GROUNDS = (
    "One evaluator works for a direct competitor of our lead partner and declared no conflict; "
    "the call's rules exclude such an evaluator from our proposal."
)
DECISION = "The employer of the evaluator is not a competitor: the conflict rules were applied."
#: Published at 10:00 in Brussels on 23 November 2026: the window's last day is 23 December.
PUBLISHED_AT = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
def decided(staff):
    decided = decided_call(time_zone="Europe/Brussels")
    ResultsPublication.objects.create(
        call=decided.call,
        published_at=PUBLISHED_AT,
        published_by=staff,
        redress_closes_at=redress_closes_at(decided.call, PUBLISHED_AT),
    )
    return decided


def file(decided, *, now=None, application=None, actor=None) -> Complaint:
    return redress.file_complaint(
        application=application or decided.selected,
        actor=actor or decided.admin,
        grounds=GROUNDS,
        now=now or PUBLISHED_AT + timedelta(days=1),
    )


def test_the_last_instant_is_in_and_the_next_is_out(decided):
    closes = ResultsPublication.objects.get().redress_closes_at
    assert closes == datetime(2026, 12, 23, 22, 59, 59, 999999, tzinfo=UTC)  # 23:59:59 in Brussels

    complaint = file(decided, now=closes)
    assert complaint.filed_at == closes
    for application in (decided.rejected, decided.reserve):
        MembershipFactory(user=decided.admin, organisation=application.lead_organisation)

    with pytest.raises(ValidationError) as refused:
        file(decided, application=decided.rejected, now=closes + timedelta(microseconds=1))
    assert refused.value.messages == ["The complaint window closed on 23 December 2026."]
    with pytest.raises(ValidationError):
        file(decided, application=decided.reserve, now=datetime(2026, 12, 23, 23, tzinfo=UTC))


def test_filing_sets_the_due_date_tells_staff_and_writes_the_ledger(decided, staff):
    complaint = file(decided, now=datetime(2026, 11, 30, 12, tzinfo=UTC))

    assert (complaint.state, complaint.due_by, complaint.filed_by) == (
        ComplaintState.RECEIVED,
        date(2026, 12, 30),
        decided.admin,
    )
    (entry,) = AuditEntry.objects.filter(action="evaluation.complaint.filed")
    assert (entry.actor_id, entry.data) == (
        decided.admin.pk,
        {"complaint": complaint.pk, "due_by": "2026-12-30"},
    )
    (mail,) = Notification.objects.filter(template="evaluation/complaint_filed")
    assert (mail.email, mail.context["due_by"]) == (staff.email, "30 December 2026")


def test_one_open_complaint_at_a_time(decided, staff):
    complaint = file(decided)
    with pytest.raises(ValidationError, match="already open"):
        file(decided)
    redress.start_review(complaint=complaint, actor=staff)
    redress.decide_complaint(complaint=complaint, actor=staff, upheld=False, decision=DECISION)

    assert file(decided).state == ComplaintState.RECEIVED
    assert Complaint.objects.filter(application=decided.selected).count() == 2


def test_grounds_need_a_minimum_length_and_admins_file(decided):
    with pytest.raises(ValidationError, match="at least 100 characters"):
        redress.file_complaint(application=decided.selected, actor=decided.admin, grounds="Unfair.")
    with pytest.raises(ValidationError, match="within 10000 characters"):
        redress.file_complaint(
            application=decided.selected,
            actor=decided.admin,
            grounds="The step was skipped. " * 500,
        )
    assert not Complaint.objects.exists()
    member = UserFactory()
    MembershipFactory(user=member, organisation=decided.selected.lead_organisation, role="member")
    outsider = UserFactory()
    MembershipFactory(user=outsider, organisation=decided.rejected.lead_organisation)
    for person in (member, outsider):
        with pytest.raises(PermissionDenied):
            file(decided, actor=person)
    # An admin of another (confirmed) member organisation of the consortium may file.
    partner = decided.selected.members.exclude(organisation=decided.selected.lead_organisation)
    partner_admin = UserFactory()
    MembershipFactory(user=partner_admin, organisation=partner.get().organisation)
    assert file(decided, actor=partner_admin).filed_by == partner_admin
    assert Complaint.objects.count() == 1


def test_no_complaint_before_the_publication(staff):
    decided = decided_call()
    with pytest.raises(ValidationError, match="not published yet"):
        file(decided)


def test_staff_review_and_decide_and_the_complainant_is_told(decided, staff):
    complaint = file(decided)
    with pytest.raises(ValidationError, match="under review before deciding"):
        redress.decide_complaint(complaint=complaint, actor=staff, upheld=True, decision=DECISION)
    with pytest.raises(PermissionDenied):
        redress.start_review(complaint=complaint, actor=decided.admin)

    redress.start_review(complaint=complaint, actor=staff)
    with pytest.raises(ValidationError, match="at least 30 characters"):
        redress.decide_complaint(complaint=complaint, actor=staff, upheld=True, decision="No.")
    decided_complaint = redress.decide_complaint(
        complaint=complaint, actor=staff, upheld=False, decision=DECISION
    )

    assert (decided_complaint.state, decided_complaint.handler, decided_complaint.decided_by) == (
        ComplaintState.DISMISSED,
        staff,
        staff,
    )
    assert [e.action for e in AuditEntry.objects.filter(action__startswith="evaluation.com")] == [
        "evaluation.complaint.filed",
        "evaluation.complaint.under_review",
        "evaluation.complaint.dismissed",
    ]
    (mail,) = Notification.objects.filter(template="evaluation/complaint_decided")
    assert (mail.email, mail.context["state"], mail.context["decision"]) == (
        decided.admin.email,
        "Dismissed",
        DECISION,
    )


def test_a_decided_complaint_is_not_decided_or_reviewed_again_and_staff_are_told_why(
    decided, staff
):
    complaint = file(decided)
    redress.start_review(complaint=complaint, actor=staff)
    redress.decide_complaint(complaint=complaint, actor=staff, upheld=False, decision=DECISION)

    with pytest.raises(ValidationError, match="already decided"):
        redress.decide_complaint(complaint=complaint, actor=staff, upheld=True, decision=DECISION)
    with pytest.raises(ValidationError, match="already decided"):
        redress.start_review(complaint=complaint, actor=staff)
    complaint.refresh_from_db()
    assert complaint.state == ComplaintState.DISMISSED
    assert Notification.objects.filter(template="evaluation/complaint_decided").count() == 1
    assert AuditEntry.objects.filter(action__startswith="evaluation.complaint.").count() == 3


def test_an_upheld_complaint_can_reinstate_an_ineligible_application(decided, staff):
    admin = UserFactory()
    MembershipFactory(user=admin, organisation=decided.ineligible.lead_organisation)
    complaint = file(decided, application=decided.ineligible, actor=admin)
    redress.start_review(complaint=complaint, actor=staff)
    with pytest.raises(ValidationError, match="Only an upheld complaint"):
        redress.reinstate_eligibility(complaint=complaint, actor=staff)
    redress.decide_complaint(complaint=complaint, actor=staff, upheld=True, decision=DECISION)

    application = redress.reinstate_eligibility(complaint=complaint, actor=staff)

    assert application.state == ApplicationState.ELIGIBLE
    assert (
        AuditEntry.objects.filter(
            action__in=["calls.application.eligible", "evaluation.complaint.eligibility_reinstated"]
        ).count()
        == 2
    )
    with pytest.raises(ValidationError, match="not ineligible"):
        redress.reinstate_eligibility(complaint=complaint, actor=staff)


# ---- pages ---------------------------------------------------------------------------------


def test_the_form_files_a_complaint(client, decided, time_machine):
    time_machine.move_to(PUBLISHED_AT + timedelta(days=3))
    client.force_login(decided.admin)
    url = reverse("evaluation:complaint-file", args=[decided.selected.pk])

    short = client.post(url, {"grounds": "Too short."})
    response = client.post(url, {"grounds": GROUNDS})

    assert short.status_code == 400
    assert response.status_code == 302
    assert Complaint.objects.get().grounds == GROUNDS
    results = client.get(reverse("evaluation:applicant-results", args=[decided.selected.pk]))
    assert "Received" in results.content.decode()


def test_after_the_window_the_form_is_refused_with_the_date(client, decided, time_machine):
    time_machine.move_to(datetime(2026, 12, 24, 8, tzinfo=UTC))
    client.force_login(decided.admin)
    url = reverse("evaluation:complaint-file", args=[decided.selected.pk])

    page = client.get(url).content.decode()
    refused = client.post(url, {"grounds": GROUNDS})

    assert "The complaint window closed on 23 December 2026." in page
    assert 'name="grounds"' not in page
    assert refused.status_code == 400
    assert "The complaint window closed on 23 December 2026." in refused.content.decode()
    assert not Complaint.objects.exists()


def test_a_member_who_is_not_admin_gets_403_on_the_form(client, decided):
    member = UserFactory()
    MembershipFactory(user=member, organisation=decided.selected.lead_organisation, role="member")
    client.force_login(member)
    assert (
        client.get(reverse("evaluation:complaint-file", args=[decided.selected.pk])).status_code
        == 403
    )


def _complaints(decided, staff, n):
    applications = [decided.selected, decided.reserve, decided.rejected][:n]
    made = []
    for application in applications:
        admin = UserFactory()
        MembershipFactory(user=admin, organisation=application.lead_organisation)
        made.append(file(decided, application=application, actor=admin))
    return made


def test_the_staff_list_filters_and_highlights_overdue(staff_client, decided, staff, time_machine):
    _selected, reserve, _rejected = _complaints(decided, staff, 3)
    redress.start_review(complaint=reserve, actor=staff)
    time_machine.move_to(datetime(2027, 1, 10, 12, tzinfo=UTC))  # all three due 24 December
    redress.decide_complaint(complaint=reserve, actor=staff, upheld=True, decision=DECISION)
    sign_in(staff_client, staff)  # the session of before the jump in time has expired
    url = reverse("evaluation:complaints")

    everything = staff_client.get(url).content.decode()
    received = staff_client.get(url, {"state": "received", "call": decided.call.slug})
    other_call = staff_client.get(url, {"call": "no-such-call", "state": "upheld"})

    assert everything.count('badge bad">Overdue') == 2  # the decided one is not overdue
    text = received.content.decode()
    assert decided.selected.reference in text and decided.rejected.reference in text
    assert decided.reserve.reference not in text
    assert decided.reserve.reference in other_call.content.decode()


def test_the_staff_list_queries_do_not_grow(staff_client, decided, staff):
    url = reverse("evaluation:complaints")
    _complaints(decided, staff, 1)
    staff_client.get(url)  # warm the session and caches
    with CaptureQueriesContext(connection) as one:
        staff_client.get(url)
    Complaint.objects.all().delete()
    _complaints(decided, staff, 3)
    with CaptureQueriesContext(connection) as three:
        staff_client.get(url)
    assert len(one) == len(three)


def test_the_staff_list_is_paginated(staff_client, decided, staff):
    """50 complaints a page: 3 filed through the service and 48 more rows of the same kind."""
    filed = _complaints(decided, staff, 3)
    Complaint.objects.bulk_create(
        Complaint(
            application=filed[n % 3].application,
            filed_by=filed[n % 3].filed_by,
            grounds=GROUNDS,
            due_by=filed[n % 3].due_by,
        )
        for n in range(48)
    )
    url = reverse("evaluation:complaints")
    first = staff_client.get(url)
    second = staff_client.get(url, {"page": 2})
    assert "Page 1 of 2" in first.content.decode() and "Page 2 of 2" in second.content.decode()
    assert (len(first.context["page"].object_list), len(second.context["page"].object_list)) == (
        50,
        1,
    )


def test_staff_move_a_complaint_through_the_detail_page(staff_client, decided, staff):
    (complaint,) = _complaints(decided, staff, 1)
    url = reverse("evaluation:complaint-detail", args=[complaint.pk])

    staff_client.post(url, {"action": "review"})
    invalid = staff_client.post(url, {"action": "decide", "outcome": "upheld", "decision": "x"})
    staff_client.post(url, {"action": "decide", "outcome": "upheld", "decision": DECISION})

    complaint.refresh_from_db()
    assert invalid.status_code == 400
    assert (complaint.state, complaint.decision) == (ComplaintState.UPHELD, DECISION)
    assert DECISION in staff_client.get(url).content.decode()


def test_evaluators_and_applicants_cannot_see_complaints(client, decided, staff):
    (complaint,) = _complaints(decided, staff, 1)
    for user in (decided.evaluators[0], decided.admin):
        sign_in(client, user)
        assert client.get(reverse("evaluation:complaints")).status_code == 403
        detail = reverse("evaluation:complaint-detail", args=[complaint.pk])
        assert client.get(detail).status_code == 403
        assert client.post(detail, {"action": "review"}).status_code == 403
    complaint.refresh_from_db()
    assert complaint.state == ComplaintState.RECEIVED


def test_the_results_page_says_who_may_complain_to_the_reader(client, decided, time_machine):
    time_machine.move_to(PUBLISHED_AT + timedelta(days=3))
    url = reverse("evaluation:applicant-results", args=[decided.selected.pk])
    member = UserFactory()
    MembershipFactory(user=member, organisation=decided.selected.lead_organisation, role="member")

    client.force_login(decided.admin)
    admin_page = client.get(url).content.decode()
    client.force_login(member)
    member_page = client.get(url).content.decode()

    assert "you can file a complaint, as an administrator of an organisation" in admin_page
    assert reverse("evaluation:complaint-file", args=[decided.selected.pk]) in admin_page
    assert "you are not one, so ask them" in member_page
    assert reverse("evaluation:complaint-file", args=[decided.selected.pk]) not in member_page
    file(decided)
    client.force_login(decided.admin)
    assert "Your consortium's complaint is open" in client.get(url).content.decode()


def test_the_staff_home_lists_an_open_complaint_and_nothing_claims_otherwise(staff_client, decided):
    file(decided)

    html = staff_client.get("/dashboard/").content.decode()

    panel = html.split('id="staff-evaluation-heading"', 1)[1].split("</section>", 1)[0]
    assert "1 complaint to decide" in panel
    assert "waits for you" not in panel
