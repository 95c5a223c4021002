"""Publishing a decided call's results: transitions and refusals, the redress window, the
reports queued on commit, and who may read an application's results and report."""

import io
from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts import demo as accounts_demo
from accounts import roles
from calls import demo as calls_demo
from calls.models import Call, CallState
from evaluation import demo as evaluation_demo
from evaluation import demo_results
from evaluation.models import Complaint, EvaluationSummaryReport, ResultsPublication
from evaluation.results import call_results
from evaluation.services.publication import publish_results, redress_closes_at
from minegap.ledger.models import AuditEntry
from minegap.notifications.models import Notification
from tests.auth import sign_in
from tests.evaluation.factories import accepted_assignment, evaluator
from tests.evaluation.results_factories import EVALUATOR_NAMES, decided_call
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_publishing_opens_the_window_moves_the_call_and_queues_the_reports(
    staff, django_capture_on_commit_callbacks
):
    decided = decided_call()

    with django_capture_on_commit_callbacks(execute=True):
        publication = publish_results(call=decided.call, actor=staff)

    decided.call.refresh_from_db()
    assert decided.call.state == CallState.RESULTS_PUBLISHED
    assert (publication.published_by, publication.redress_closes_at) == (
        staff,
        redress_closes_at(decided.call, publication.published_at),
    )
    assert [e.action for e in AuditEntry.objects.order_by("seq")][-6:] == [
        "calls.call.results_published",
        "evaluation.results.published",
        "evaluation.esr.sent",
        "evaluation.esr.sent",
        "evaluation.esr.sent",
        "evaluation.esr.sent",
    ]
    published_entry = AuditEntry.objects.get(action="evaluation.results.published")
    assert (published_entry.actor_id, published_entry.data["reports"]) == (staff.pk, 4)
    assert EvaluationSummaryReport.objects.filter(emailed_at__isnull=False).count() == 4
    assert Notification.objects.filter(template="evaluation/esr_sent").count() == 1  # Ada only


def test_only_a_decided_call_is_published_and_only_once(staff):
    decided = decided_call()
    Call.objects.filter(pk=decided.call.pk).update(state=CallState.EVALUATING)
    decided.call.refresh_from_db()
    with pytest.raises(ValidationError, match="once the committee's decision is adopted"):
        publish_results(call=decided.call, actor=staff)

    Call.objects.filter(pk=decided.call.pk).update(state=CallState.DECIDED)
    publish_results(call=decided.call, actor=staff)
    with pytest.raises(ValidationError, match="already published on"):
        publish_results(call=decided.call, actor=staff)
    assert ResultsPublication.objects.count() == 1


def test_only_staff_publish(committee):
    decided = decided_call()
    with pytest.raises(PermissionDenied):
        publish_results(call=decided.call, actor=committee)
    decided.call.refresh_from_db()
    assert (decided.call.state, ResultsPublication.objects.count()) == (CallState.DECIDED, 0)


def test_the_window_ends_with_the_last_day_in_the_calls_time_zone():
    call = Call(time_zone="Europe/Brussels", redress_window_days=30)
    # 23 November 2026, 23:30 in Brussels is still the 23rd there (22:30 UTC).
    closes = redress_closes_at(call, datetime(2026, 11, 23, 22, 30, tzinfo=UTC))
    assert closes.astimezone(ZoneInfo("Europe/Brussels")).replace(tzinfo=None) == datetime(
        2026, 12, 23, 23, 59, 59, 999999
    )
    # 00:30 on the 24th in Brussels (23:30 UTC on the 23rd) counts from the 24th.
    later = redress_closes_at(call, datetime(2026, 11, 23, 23, 30, tzinfo=UTC))
    assert later.astimezone(ZoneInfo("Europe/Brussels")).date().isoformat() == "2026-12-24"
    call.redress_window_days = 7
    short = redress_closes_at(call, datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    assert short.astimezone(ZoneInfo("Europe/Brussels")).date().isoformat() == "2026-11-30"


def test_the_staff_page_publishes_and_counts_the_reports(
    staff_client, django_capture_on_commit_callbacks
):
    decided = decided_call()
    url = reverse("evaluation:results-publication", args=[decided.call.slug])

    page = staff_client.get(url)
    assert "Publish the results: 4 applicants receive" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(url, {"action": "publish"})

    assert response.status_code == 302
    decided.call.refresh_from_db()
    assert decided.call.state == CallState.RESULTS_PUBLISHED
    assert "4 of 4 generated, 4 e-mailed" in staff_client.get(url).content.decode()
    scores = staff_client.get(reverse("evaluation:scores", args=[decided.call.slug]))
    assert url in scores.content.decode()  # the call's evaluation steps link to this page


def test_a_post_without_the_publish_action_publishes_nothing(staff_client):
    decided = decided_call()
    url = reverse("evaluation:results-publication", args=[decided.call.slug])
    response = staff_client.post(url, {}, follow=True)
    assert "Choose an action" in response.content.decode()
    decided.call.refresh_from_db()
    assert decided.call.state == CallState.DECIDED
    assert not ResultsPublication.objects.exists()


def test_an_evaluator_cannot_open_the_publication_page(client):
    decided = decided_call()
    sign_in(client, decided.evaluators[0])
    url = reverse("evaluation:results-publication", args=[decided.call.slug])
    assert client.get(url).status_code == 403
    assert client.post(url, {"action": "publish"}).status_code == 403
    assert not ResultsPublication.objects.exists()


@pytest.fixture
def published(staff, django_capture_on_commit_callbacks):
    decided = decided_call()
    with django_capture_on_commit_callbacks(execute=True):
        publish_results(call=decided.call, actor=staff)
    return decided


def test_consortium_members_read_the_results_and_download_the_report(client, published):
    member = UserFactory()
    partner = published.selected.members.exclude(organisation=published.selected.lead_organisation)
    MembershipFactory(user=member, organisation=partner.get().organisation, role="member")
    client.force_login(member)

    page = client.get(reverse("evaluation:applicant-results", args=[published.selected.pk]))
    report = client.get(reverse("evaluation:esr-download", args=[published.selected.pk]))

    text = page.content.decode()
    assert "Selected for funding" in text and "top 50% · within the budget" in text
    assert reverse("evaluation:esr-download", args=[published.selected.pk]) in text
    assert not any(name in text for name in EVALUATOR_NAMES)
    assert b"".join(report.streaming_content)[:5] == b"%PDF-"
    assert report["Content-Disposition"].endswith(
        f'filename="{published.selected.reference}-evaluation-summary-report.pdf"'
    )


def test_other_applicants_and_evaluators_get_404(client, published):
    outsider = UserFactory()
    MembershipFactory(user=outsider, organisation=published.rejected.lead_organisation)
    assigned = evaluator()
    accepted_assignment(published.selected, assigned)
    urls = [
        reverse("evaluation:applicant-results", args=[published.selected.pk]),
        reverse("evaluation:esr-download", args=[published.selected.pk]),
        reverse("evaluation:complaint-file", args=[published.selected.pk]),
    ]
    for user in (outsider, assigned, published.evaluators[0]):
        sign_in(client, user)
        assert [client.get(url).status_code for url in urls] == [404, 404, 404]


def test_staff_read_any_results(staff_client, published):
    url = reverse("evaluation:applicant-results", args=[published.ineligible.pk])
    text = staff_client.get(url).content.decode()
    assert "not evaluated (ineligible)" in text and "not an SME" in text


def test_no_results_before_the_publication(client):
    decided = decided_call()
    client.force_login(decided.admin)
    url = reverse("evaluation:applicant-results", args=[decided.selected.pk])
    assert client.get(url).status_code == 404


def test_the_applicants_dashboard_links_to_the_results(client, published):
    client.force_login(published.admin)
    text = client.get(reverse("calls:apply-dashboard")).content.decode()
    assert reverse("evaluation:applicant-results", args=[published.selected.pk]) in text


def test_the_dashboard_has_no_results_link_before_publication(client):
    decided = decided_call()
    client.force_login(decided.admin)
    text = client.get(reverse("calls:apply-dashboard")).content.decode()
    assert reverse("evaluation:applicant-results", args=[decided.selected.pk]) not in text


def test_no_results_link_for_a_call_whose_results_were_imported(client):
    # Results imported from a call run elsewhere: the call is "results published" but MineGap
    # holds no evaluation of it, so there is nothing to show (the page would be a 404).
    decided = decided_call()
    Call.objects.filter(pk=decided.call.pk).update(state=CallState.RESULTS_PUBLISHED)
    client.force_login(decided.admin)
    text = client.get(reverse("calls:apply-dashboard")).content.decode()
    assert reverse("evaluation:applicant-results", args=[decided.selected.pk]) not in text
    url = reverse("evaluation:applicant-results", args=[decided.selected.pk])
    assert client.get(url).status_code == 404


# ---- demo ----------------------------------------------------------------------------------


def test_the_demo_publishes_the_decided_call_once_with_its_reports_and_a_complaint(
    django_capture_on_commit_callbacks,
):
    out = io.StringIO()
    accounts_demo.seed(out)
    with django_capture_on_commit_callbacks(execute=True):
        calls_demo.seed(out)
    with django_capture_on_commit_callbacks(execute=True):
        evaluation_demo.seed(out)  # evaluates and decides call 1, then seeds the results

    call = Call.objects.get(slug=evaluation_demo.CALL_SLUG)
    assert call.state == CallState.RESULTS_PUBLISHED
    assert EvaluationSummaryReport.objects.filter(emailed_at__isnull=False).count() == 6
    assert "6 summary reports sent now, complaint #" in out.getvalue()
    (complaint,) = Complaint.objects.all()
    assert complaint.application.state == "rejected"
    counts = (
        EvaluationSummaryReport.objects.count(),
        Notification.objects.count(),
        AuditEntry.objects.count(),
    )
    with django_capture_on_commit_callbacks(execute=True):
        demo_results.seed(io.StringIO())
    assert (
        EvaluationSummaryReport.objects.count(),
        Notification.objects.count(),
        AuditEntry.objects.count(),
    ) == counts


def test_the_demo_leaves_a_call_not_yet_decided_alone():
    decided = decided_call()
    UserFactory(email=demo_results.STAFF_EMAIL)
    Call.objects.filter(pk=decided.call.pk).update(state=CallState.EVALUATING)
    out = io.StringIO()

    demo_results.seed(out, call_slug=decided.call.slug)

    assert "not decided yet, skipped" in out.getvalue()
    assert (ResultsPublication.objects.count(), Complaint.objects.count()) == (0, 0)


# ---- API -----------------------------------------------------------------------------------


def test_the_api_gives_the_consortium_its_results(client, published):
    client.force_login(published.admin)

    response = client.get(f"/api/v1/applications/{published.selected.pk}/results/")

    data = response.json()
    finals = next(
        r.final for r in call_results(published.call) if r.application == published.selected
    )
    assert (data["reference"], data["outcome"], data["rank_band"]) == (
        published.selected.reference,
        "selected",
        "top 50% · within the budget",
    )
    assert {c["criterion"].lower(): Decimal(c["score"]) for c in data["criteria"]} == finals
    assert [c["author"] for c in data["criteria"][0]["comments"]] == [
        "Evaluator 1",
        "Evaluator 2",
        "Evaluator 3",
    ]
    assert data["summary_report_url"].endswith(
        reverse("evaluation:esr-download", args=[published.selected.pk])
    )
    assert not any(name in response.content.decode() for name in EVALUATOR_NAMES)


def test_the_api_answers_404_to_an_evaluator(client, published):
    sign_in(client, published.evaluators[0])
    assert client.get(f"/api/v1/applications/{published.selected.pk}/results/").status_code == 404


def test_the_api_answers_404_before_publication(client):
    decided = decided_call()
    client.force_login(decided.admin)
    assert client.get(f"/api/v1/applications/{decided.selected.pk}/results/").status_code == 404
    client.logout()
    assert client.get(f"/api/v1/applications/{decided.selected.pk}/results/").status_code in (
        401,
        403,
    )


def test_staff_without_two_factor_authentication_are_refused(client, published):
    client.force_login(UserFactory(roles=[roles.STAFF]))
    url = reverse("evaluation:applicant-results", args=[published.selected.pk])
    response = client.get(url)
    assert (response.status_code, response.url) == (302, "/accounts/2fa/totp/activate/")
    api = client.get(f"/api/v1/applications/{published.selected.pk}/results/")
    assert api.status_code == 403
