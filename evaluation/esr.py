"""The Evaluation Summary Report (ESR): what one applicant is told about its evaluation.

`call_reports` builds every report of a call from the same reads as the ranking (`call_ranking`,
so the scores are the published finals), the comments and the adopted decision, in a fixed
number of queries. `generate_summary_reports` (run by a Celery task after the results are
published) renders each PDF once, stores it privately and e-mails it once to the consortium's
administrators: running it again neither duplicates a report nor sends it twice.

Blind-safety: the comments are the consensus comment of each criterion or, without one, the
evaluators' justifications under "Evaluator 1, 2, 3" (numbered per application in the order of
their assignments). The evaluators themselves (user, name, e-mail, employer) are never read here.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from calls.models import Application, ApplicationState, Call
from calls.receipts import consortium_admins
from calls.results_cache import results_cache
from calls.selectors import submitted_records
from evaluation.models import (
    AssignmentState,
    ConsensusScore,
    ConsensusState,
    DecisionEntry,
    DecisionState,
    EvaluationSummaryReport,
    ResultsPublication,
    Score,
)
from evaluation.ranking_rules import FailedThreshold, RankedProposal
from evaluation.results import call_ranking, criteria_specs
from evaluation.scoring_rules import FinalScoreRule
from minegap.documents.services import render_pdf
from minegap.ledger.services import record
from minegap.notifications.services import enqueue

#: Application state -> the outcome its report states (funded was selected first).
OUTCOMES: dict[str, str] = {
    ApplicationState.SELECTED: ApplicationState.SELECTED,
    ApplicationState.FUNDED: ApplicationState.SELECTED,
    ApplicationState.RESERVE: ApplicationState.RESERVE,
    ApplicationState.REJECTED: ApplicationState.REJECTED,
    ApplicationState.INELIGIBLE: ApplicationState.INELIGIBLE,
}
#: Shares of the ranked proposals named in the rank band (percent, best first).
TOP_SHARES = (10, 25, 50)
#: `Comment.author` of a consensus comment (the template shows it translated).
CONSENSUS_AUTHOR = "consensus"


@dataclass(frozen=True)
class Comment:
    author: str  # CONSENSUS_AUTHOR or "Evaluator 2": never a person
    text: str

    @property
    def by_consensus(self) -> bool:
        return self.author == CONSENSUS_AUTHOR


@dataclass(frozen=True)
class CriterionLine:
    label: str
    score: Decimal | None
    max_score: Decimal
    threshold: Decimal | None
    weight: Decimal
    passed: bool | None  # None: not scored
    comments: tuple[Comment, ...]


@dataclass(frozen=True)
class SummaryReport:
    call: Call
    application: Application
    outcome: str  # an OUTCOMES value
    criteria: tuple[CriterionLine, ...]
    total: Decimal | None
    weighted_total: Decimal | None
    total_threshold: Decimal
    passed: bool | None
    failed_thresholds: tuple[str, ...]
    rank_band: str
    by_consensus: bool
    eligibility_reason: str
    #: How the final scores were made without a consensus: "mean", or the call's rule after an
    #: additional evaluator settled a divergence ("two_closest", "median").
    final_rule: str = FinalScoreRule.MEAN
    title: str = ""  # the submitted version's, as evaluated
    acronym: str = ""

    @property
    def display_name(self) -> str:
        return self.acronym or self.title or self.application.display_name

    @property
    def outcome_label(self) -> str:
        return str(ApplicationState(self.outcome).label)

    @property
    def evaluated(self) -> bool:
        return self.total is not None


def top_share(position: int, ranked: int) -> str:
    """ "top 10%" etc. for a place among `ranked` proposals; "" below the last share."""
    for share in TOP_SHARES:
        if position * 100 <= ranked * share:
            return _("top %(share)d%%") % {"share": share}
    return ""


def rank_band(
    outcome: str, ranked: RankedProposal | None, ranked_count: int, reserve_position: int | None
) -> str:
    """Where the proposal stands, without its exact rank: its share of the ranking and the
    budget line (within it, reserve list position, or above the thresholds but beyond it)."""
    if outcome == ApplicationState.INELIGIBLE:
        return _("not evaluated (ineligible)")
    if ranked is None:
        return _("not ranked")
    if not ranked.passed:
        return _("below threshold")
    if outcome == ApplicationState.SELECTED:
        line = _("within the budget")
    elif outcome == ApplicationState.RESERVE and reserve_position:
        line = _("reserve list position %(n)d") % {"n": reserve_position}
    elif outcome == ApplicationState.RESERVE:
        line = _("reserve list")
    else:
        line = _("above the thresholds, beyond the budget")
    share = top_share(ranked.position, ranked_count)
    return f"{share} · {line}" if share else line


def _failed_text(failed: FailedThreshold, labels: dict[str, str]) -> str:
    what = labels.get(failed.criterion, failed.criterion) if failed.criterion else _("Total")
    return _("%(what)s: %(score)s below the threshold of %(threshold)s") % {
        "what": what,
        "score": failed.score,
        "threshold": failed.threshold,
    }


def _comments(application_ids: list[int]) -> dict[int, dict[int, list[Comment]]]:
    """application id -> criterion id -> comments: the concluded consensus' comment of the
    criterion, else every submitted sheet's justification as "Evaluator N"."""
    comments: dict[int, dict[int, list[Comment]]] = {}
    for application_id, criterion_id, text in ConsensusScore.objects.filter(
        consensus__application_id__in=application_ids,
        consensus__state=ConsensusState.CONCLUDED,
    ).values_list("consensus__application_id", "criterion_id", "comment"):
        comments.setdefault(application_id, {})[criterion_id] = [Comment(CONSENSUS_AUTHOR, text)]
    numbers: dict[int, dict[int, int]] = {}  # application -> assignment -> N of "Evaluator N"
    rows = (
        Score.objects.filter(
            assignment__application_id__in=application_ids,
            assignment__state=AssignmentState.SCORED,
        )
        .order_by("assignment_id", "criterion_id")
        .values_list("assignment__application_id", "assignment_id", "criterion_id", "justification")
    )
    for application_id, assignment_id, criterion_id, text in rows:
        sheets = numbers.setdefault(application_id, {})
        number = sheets.setdefault(assignment_id, len(sheets) + 1)
        by_criterion = comments.setdefault(application_id, {})
        if any(c.by_consensus for c in by_criterion.get(criterion_id, ())):
            continue
        by_criterion.setdefault(criterion_id, []).append(
            Comment(_("Evaluator %(n)d") % {"n": number}, text)
        )
    return comments


def _reserve_positions(call: Call) -> dict[int, int]:
    return dict(
        DecisionEntry.objects.filter(
            session__call=call,
            session__state=DecisionState.ADOPTED,
            reserve_position__isnull=False,
        ).values_list("application_id", "reserve_position")
    )


def call_reports(call: Call, *, application: Application | None = None) -> list[SummaryReport]:
    """The report of every application of the call that has an outcome (selected, reserve,
    rejected, ineligible), in reference order; only `application`'s when one is given."""
    only = {} if application is None else {"pk": application.pk}
    applications = list(
        Application.objects.filter(call=call, state__in=list(OUTCOMES), **only)
        .select_related("call", "eligibility_check")
        .order_by("reference", "pk")
    )
    if not applications:
        return []
    rows, _pending = call_ranking(call)
    ranked = {row.ranked.id: row.ranked for row in rows}
    final_rules = {row.ranked.id: row.result.final_rule for row in rows}
    specs = criteria_specs(call)
    criteria = list(call.criteria.all())
    labels = {spec.code: spec.label for spec in specs}
    comments = _comments([a.pk for a in applications])
    records = submitted_records(applications)
    reserve = _reserve_positions(call)
    reports = []
    for a in applications:
        outcome = OUTCOMES[a.state]
        position = ranked.get(a.pk) if outcome != ApplicationState.INELIGIBLE else None
        lines = []
        for spec, criterion in zip(specs, criteria, strict=True):
            score = position.scores.get(spec.code) if position else None
            lines.append(
                CriterionLine(
                    label=spec.label,
                    score=score,
                    max_score=spec.max_score,
                    threshold=spec.threshold,
                    weight=spec.weight,
                    passed=None
                    if score is None
                    else spec.threshold is None or score >= spec.threshold,
                    comments=tuple(comments.get(a.pk, {}).get(criterion.pk, []))
                    if position
                    else (),
                )
            )
        check = getattr(a, "eligibility_check", None)
        reports.append(
            SummaryReport(
                call=call,
                application=a,
                outcome=outcome,
                criteria=tuple(lines),
                total=position.total if position else None,
                weighted_total=position.weighted_total if position else None,
                total_threshold=call.total_threshold,
                passed=position.passed if position else None,
                failed_thresholds=tuple(
                    _failed_text(f, labels)
                    for f in (position.failed_thresholds if position else ())
                ),
                rank_band=rank_band(outcome, position, len(rows), reserve.get(a.pk)),
                by_consensus=any(c.by_consensus for line in lines for c in line.comments),
                eligibility_reason=(check.reason if check and check.reason else a.state_reason)
                if outcome == ApplicationState.INELIGIBLE
                else "",
                final_rule=final_rules.get(a.pk, FinalScoreRule.MEAN) if position else "",
                title=records[a.pk].title,
                acronym=records[a.pk].acronym,
            )
        )
    return reports


def application_report(application: Application) -> SummaryReport:
    """The report of `application` (it has an outcome), as its results page and API show it:
    computed once per version of the call's results (`calls.results_cache`: scores, consensus
    steps, states and the call's rules replace it) and language, not on every visit (issue
    #15: a report reads the whole call's ranking)."""
    name = f"esr:{application.pk}:{get_language()}"
    (report,) = results_cache(application.call_id).cached(
        name, lambda: call_reports(application.call, application=application)
    )
    return report


def results_url(application: Application) -> str:
    return settings.SITE_URL + reverse("evaluation:applicant-results", args=[application.pk])


def closing_date(publication: ResultsPublication) -> str:
    """The window's last day in the call's time zone, e.g. "23 December 2026"."""
    return date_format(
        publication.redress_closes_at.astimezone(publication.call.tz).date(), "j F Y"
    )


def pdf_context(report: SummaryReport, publication: ResultsPublication) -> dict:
    """Everything the PDF template reads (tests check it for names that must not be there)."""
    return {
        "report": report,
        "call": report.call,
        "application": report.application,
        "publication": publication,
        "closes_on": closing_date(publication),
        "complaint_url": results_url(report.application),
        "generated_at": timezone.now(),
    }


def render_report(report: SummaryReport, publication: ResultsPublication) -> bytes:
    return render_pdf("evaluation/pdf/esr.html", pdf_context(report, publication))


def report_filename(application: Application) -> str:
    return f"{application.reference}-evaluation-summary-report.pdf"


def generate_summary_reports(*, call_id: int) -> int:
    """Render, store and e-mail the report of every application with an outcome that has not
    been e-mailed yet; returns how many were sent now. Safe to run again (retries, a second
    publication click): each report is rendered once and e-mailed once, under its row lock."""
    publication = ResultsPublication.objects.select_related("call").filter(call_id=call_id).first()
    if publication is None:
        return 0
    done = set(
        EvaluationSummaryReport.objects.filter(
            application__call_id=call_id, emailed_at__isnull=False
        ).values_list("application_id", flat=True)
    )
    sent = 0
    for report in call_reports(publication.call):
        if report.application.pk not in done:
            sent += _issue(report, publication)
    return sent


def _issue(report: SummaryReport, publication: ResultsPublication) -> int:
    application = report.application
    existing = EvaluationSummaryReport.objects.filter(application=application).first()
    pdf = None if existing and existing.pdf else render_report(report, publication)
    with transaction.atomic():
        EvaluationSummaryReport.objects.get_or_create(
            application=application, defaults={"outcome": report.outcome}
        )
        esr = EvaluationSummaryReport.objects.select_for_update().get(application=application)
        if esr.emailed_at is not None:
            return 0  # another run sent it meanwhile
        now = timezone.now()
        if not esr.pdf:
            pdf = pdf or render_report(report, publication)
            esr.pdf.save("esr.pdf", ContentFile(pdf), save=False)
            esr.outcome = report.outcome
            esr.generated_at = now
        esr.pdf.open("rb")
        try:
            digest = hashlib.sha256(esr.pdf.read()).hexdigest()
        finally:
            esr.pdf.close()
        recipients = consortium_admins(application)
        enqueue(
            template="evaluation/esr_sent",
            subject=_("Evaluation results: %(reference)s") % {"reference": application.reference},
            recipients=recipients,
            context=_email_context(report, publication),
            attachments=[
                {
                    "path": esr.pdf.name,
                    "filename": report_filename(application),
                    "mimetype": "application/pdf",
                }
            ],
        )
        esr.emailed_at = now
        esr.save(update_fields=["pdf", "outcome", "generated_at", "emailed_at"])
        record(
            action="evaluation.esr.sent",
            target=application,
            data={
                "outcome": report.outcome,
                "pdf_sha256": digest,
                "recipients": len(recipients),
            },
        )
    return 1


def _email_context(report: SummaryReport, publication: ResultsPublication) -> dict:
    return {
        "reference": report.application.reference,
        "project": report.display_name,
        "call_title": report.call.title,
        "outcome": report.outcome_label,
        "results_url": results_url(report.application),
        "closes_on": closing_date(publication),
    }
