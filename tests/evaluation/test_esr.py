"""The Evaluation Summary Report: its contents match the ranking's finals, it names no evaluator,
and generating the reports again neither duplicates them nor e-mails them twice."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import timezone

from calls.models import ApplicationState
from evaluation import esr
from evaluation.models import (
    DecisionEntry,
    DecisionOutcome,
    DecisionSession,
    DecisionState,
    EvaluationSummaryReport,
    ResultsPublication,
)
from evaluation.results import call_results
from minegap.documents.services import render_document
from minegap.ledger.models import AuditEntry
from minegap.notifications.models import Notification
from tests.evaluation.results_factories import (
    EVALUATOR_NAMES,
    INELIGIBLE_REASON,
    JUSTIFICATION,
    decided_call,
)
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def published(decided) -> ResultsPublication:
    now = timezone.now()
    return ResultsPublication.objects.create(
        call=decided.call, published_at=now, redress_closes_at=now + timedelta(days=30)
    )


def pdf_text(report, publication) -> str:
    """The text WeasyPrint laid out on the pages (what a reader of the PDF sees)."""
    document = render_document("evaluation/pdf/esr.html", esr.pdf_context(report, publication))
    texts = []
    for page in document.pages:
        for box in page._page_box.descendants():
            if hasattr(box, "text"):
                texts.append(box.text)
    return " ".join(" ".join(texts).split())


def reports_by_state(call):
    return {r.application.state: r for r in esr.call_reports(call)}


def test_the_scores_are_the_finals_of_call_results_with_max_threshold_and_pass():
    decided = decided_call()
    finals = {r.application.pk: r.final for r in call_results(decided.call)}

    reports = reports_by_state(decided.call)

    for state in (ApplicationState.SELECTED, ApplicationState.RESERVE, ApplicationState.REJECTED):
        report = reports[state]
        assert {line.label.lower(): line.score for line in report.criteria} == finals[
            report.application.pk
        ]
        assert report.total == sum(finals[report.application.pk].values())
    rejected = reports[ApplicationState.REJECTED]
    excellence = rejected.criteria[0]
    assert (excellence.label, excellence.score, excellence.max_score, excellence.threshold) == (
        "Excellence",
        Decimal("2.33"),
        Decimal("5.0"),
        Decimal("3.0"),
    )
    assert (excellence.passed, rejected.passed) == (False, False)
    assert rejected.failed_thresholds == (
        "Excellence: 2.33 below the threshold of 3.0",
        "Total: 8.50 below the threshold of 10.00",
    )
    selected = reports[ApplicationState.SELECTED]
    assert [line.passed for line in selected.criteria] == [True, True, True]
    # Impact weighs 1.5: 4.33 + 1.5 * 4.67 + 4.17 = 15.505
    assert selected.weighted_total == Decimal("4.33") + Decimal("1.5") * Decimal("4.67") + Decimal(
        "4.17"
    )


def test_comments_are_the_consensus_or_anonymous_evaluators_in_a_stable_order():
    decided = decided_call()
    reports = reports_by_state(decided.call)

    selected = reports[ApplicationState.SELECTED]
    assert [(c.author, c.text) for c in selected.criteria[1].comments] == [
        (f"Evaluator {n}", JUSTIFICATION.format(n=n, criterion="Impact")) for n in (1, 2, 3)
    ]
    assert not selected.by_consensus
    reserve = reports[ApplicationState.RESERVE]
    assert [(c.by_consensus, c.text) for c in reserve.criteria[0].comments] == [
        (True, "Agreed comment on Excellence: solid, with gaps in the plan.")
    ]
    assert reserve.by_consensus
    assert [line.score for line in reserve.criteria] == [
        Decimal("3.50"),
        Decimal("4.00"),
        Decimal("4.00"),
    ]


def test_rank_bands_and_outcomes():
    decided = decided_call()
    session = DecisionSession.objects.create(
        call=decided.call,
        state=DecisionState.ADOPTED,
        quorum=1,
        content={"entries": []},
        content_hash="0" * 64,
    )
    DecisionEntry.objects.create(
        session=session,
        application=decided.reserve,
        rank=2,
        total=Decimal("11.5"),
        weighted_total=Decimal("13.5"),
        passed=True,
        amount=Decimal("40000"),
        ranking_outcome=DecisionOutcome.RESERVE,
        outcome=DecisionOutcome.RESERVE,
        reserve_position=1,
    )

    reports = reports_by_state(decided.call)

    assert {state: (r.outcome, r.rank_band) for state, r in reports.items()} == {
        "selected": ("selected", "top 50% · within the budget"),
        "reserve": ("reserve", "reserve list position 1"),
        "rejected": ("rejected", "below threshold"),
        "ineligible": ("ineligible", "not evaluated (ineligible)"),
    }
    ineligible = reports[ApplicationState.INELIGIBLE]
    assert (ineligible.eligibility_reason, ineligible.total, ineligible.criteria[0].comments) == (
        INELIGIBLE_REASON,
        None,
        (),
    )


@pytest.mark.parametrize(
    ("position", "ranked", "band"),
    [(1, 10, "top 10%"), (2, 10, "top 25%"), (3, 10, "top 50%"), (5, 10, "top 50%"), (6, 10, "")],
)
def test_top_share_boundaries(position, ranked, band):
    assert esr.top_share(position, ranked) == band


def test_the_pdf_names_no_evaluator_and_shows_scores_comments_and_how_to_complain():
    decided = decided_call()
    publication = published(decided)
    reports = reports_by_state(decided.call)

    for report in reports.values():
        html = render_to_string("evaluation/pdf/esr.html", esr.pdf_context(report, publication))
        text = pdf_text(report, publication)
        for name in EVALUATOR_NAMES:
            assert name not in html
            assert name not in text
    text = pdf_text(reports[ApplicationState.SELECTED], publication)
    assert decided.selected.reference in text
    assert "Evaluator 1: Remark 1 on Excellence" in text
    assert "4.33" in text and "4.67" in text and "Selected for funding" in text
    assert esr.closing_date(publication) in text
    assert "procedure only" in text
    ineligible = pdf_text(reports[ApplicationState.INELIGIBLE], publication)
    assert INELIGIBLE_REASON in ineligible


def test_generation_stores_a_pdf_and_emails_it_to_the_consortium_admins_once():
    decided = decided_call()
    extra = UserFactory()
    MembershipFactory(user=extra, organisation=decided.selected.lead_organisation)
    MembershipFactory(organisation=decided.selected.lead_organisation, role="member")
    published(decided)

    sent = esr.generate_summary_reports(call_id=decided.call.pk)

    assert sent == 4
    reports = EvaluationSummaryReport.objects.filter(application__call=decided.call)
    assert sorted(r.outcome for r in reports) == ["ineligible", "rejected", "reserve", "selected"]
    selected = reports.get(application=decided.selected)
    assert selected.pdf.read(5) == b"%PDF-"
    assert selected.generated_at is not None and selected.emailed_at is not None
    rows = Notification.objects.filter(template="evaluation/esr_sent")
    to_selected = rows.filter(subject__contains=decided.selected.reference)
    assert sorted(r.email for r in to_selected) == sorted([decided.admin.email, extra.email])
    assert to_selected.first().attachments == [
        {
            "path": selected.pdf.name,
            "filename": f"{decided.selected.reference}-evaluation-summary-report.pdf",
            "mimetype": "application/pdf",
        }
    ]
    for row in rows:
        assert not any(name in str(row.context) + row.subject for name in EVALUATOR_NAMES)
    entries = AuditEntry.objects.filter(action="evaluation.esr.sent")
    assert entries.count() == 4

    # Run again (a retry, a second click): nothing new is rendered, stored, sent or logged.
    pdf_names = dict(reports.values_list("application_id", "pdf"))
    assert esr.generate_summary_reports(call_id=decided.call.pk) == 0
    assert dict(reports.values_list("application_id", "pdf")) == pdf_names
    assert Notification.objects.filter(template="evaluation/esr_sent").count() == rows.count()
    assert AuditEntry.objects.filter(action="evaluation.esr.sent").count() == 4


def test_a_report_rendered_but_not_sent_is_sent_without_rendering_again():
    decided = decided_call()
    publication = published(decided)
    (report,) = esr.call_reports(decided.call, application=decided.rejected)
    stored = EvaluationSummaryReport.objects.create(
        application=decided.rejected, outcome="rejected"
    )
    stored.pdf.save("esr.pdf", ContentFile(esr.render_report(report, publication)))

    assert esr.generate_summary_reports(call_id=decided.call.pk) == 4
    stored.refresh_from_db()
    assert stored.emailed_at is not None
    assert EvaluationSummaryReport.objects.get(pk=stored.pk).pdf.name == stored.pdf.name


def test_nothing_is_generated_before_the_publication():
    decided = decided_call()
    assert esr.generate_summary_reports(call_id=decided.call.pk) == 0
    assert not EvaluationSummaryReport.objects.exists()
