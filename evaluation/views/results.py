"""Staff and committee: the scores of a call (divergence, consensus) and its ranking."""

from decimal import Decimal
from typing import NamedTuple

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views import View

from accounts.models import User
from calls.models import Application, Call
from evaluation.forms import PageActionForm
from evaluation.models import Assignment, AssignmentState
from evaluation.preconditions import decision_session_refusal, ranking_facts_refusal
from evaluation.ranking_csv import ranking_csv_lines
from evaluation.ranking_pages import (
    NO_CRITERIA,
    RANKING_PAGE_SIZE,
    StoredRanking,
    ranking_error_text,
)
from evaluation.ranking_rules import describe_decided_by
from evaluation.results import (
    SETTLED_BY_EXTRA_EVALUATOR,
    call_results,
    criteria_specs,
)
from evaluation.services.consensus import open_consensus
from evaluation.services.scoring import mark_evaluated
from evaluation.views.common import StaffView
from minegap.core.addresses import id_url
from minegap.core.release import release


class OpenConsensusForm(forms.Form):
    """Staff open the consensus step of one of the call's applications, with a rapporteur."""

    application = forms.ModelChoiceField(queryset=Application.objects.none())
    rapporteur = forms.ModelChoiceField(
        queryset=User.objects.all(),
        error_messages={
            "required": gettext_lazy("Choose the rapporteur."),
            "invalid_choice": gettext_lazy("Choose the rapporteur."),
        },
    )

    def __init__(self, data, *, call: Call) -> None:
        super().__init__(data)
        self.fields["application"].queryset = Application.objects.filter(call=call)


class ScoresView(StaffView):
    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        call = self.get_call(slug)
        results = call_results(call)
        criteria = criteria_specs(call)
        scored = {}
        for a in Assignment.objects.filter(
            application__call=call, state=AssignmentState.SCORED
        ).select_related("evaluator"):
            scored.setdefault(a.application_id, []).append(a.evaluator)
        rows = [
            {
                "result": r,
                "scored": len(r.sheets),
                "evaluators": scored.get(r.application.pk, []),
                "reasons": [
                    _("%(what)s: %(low)s to %(high)s (gap %(gap)s, allowed %(limit)s)")
                    % {
                        "what": reason.criterion or _("total"),
                        "low": reason.low,
                        "high": reason.high,
                        "gap": reason.gap,
                        "limit": reason.limit.quantize(Decimal("0.01")),
                    }
                    for reason in (r.divergence.reasons if r.divergence else ())
                ],
                "final": [(c.label, r.final.get(c.code)) for c in criteria],
                # Divergent, every evaluator submitted, nothing settles it yet: the ways out.
                "unsettled": r.divergent and r.all_scored and not r.complete,
            }
            for r in results
        ]
        return render(
            request,
            "evaluation/manage/scores.html",
            {"call": call, "rows": rows, "extra_evaluator": SETTLED_BY_EXTRA_EVALUATOR},
        )

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        call = self.get_call(slug)
        # No action: the "open a consensus step" form of a row.
        pressed = PageActionForm(request.POST, actions=["", "mark_evaluated"])
        if not pressed.is_valid():
            messages.error(request, " ".join(pressed.errors["action"]))
            return redirect("evaluation:scores", slug=slug)
        if pressed.cleaned_data["action"] == "mark_evaluated":
            moved = mark_evaluated(call=call, actor=request.user)
            messages.success(
                request,
                ngettext(
                    "%(n)d application marked as evaluated.",
                    "%(n)d applications marked as evaluated.",
                    moved,
                )
                % {"n": moved},
            )
            return redirect("evaluation:scores", slug=slug)
        form = OpenConsensusForm(request.POST, call=call)
        form.is_valid()
        if form.has_error("application"):  # not an application of this call
            raise Http404
        try:
            if form.errors:
                raise ValidationError(form.errors["rapporteur"])
            open_consensus(
                application=form.cleaned_data["application"],
                rapporteur=form.cleaned_data["rapporteur"],
                actor=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Consensus step opened."))
        return redirect("evaluation:scores", slug=slug)


class RankingView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """Staff and committee (MFA by the middleware: /manage/ is a privileged area). One page of
    the stored ranking (`evaluation.ranking_pages`); the whole list is the CSV."""

    permission_required = "evaluation.view_ranking"

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        call = get_object_or_404(Call, slug=slug)
        ranking = StoredRanking(call)
        asked = request.GET.get("page")
        # The page's body is kept beside the stored ranking, and read without the summary. Its
        # page links keep the address's other parameters: an address with any is drawn afresh.
        keeps = request.GET.keys() <= {"page"}
        number = _page_asked(asked)
        body = ranking.kept(_body_name(call, number)) if keeps else None
        count = ranking.summary.count if body is None else body.count
        page = Paginator(range(count), RANKING_PAGE_SIZE).get_page(asked)
        if keeps and page.number != number:  # not a number, or out of range
            body = ranking.kept(_body_name(call, page.number))
        if body is None:
            body = _page_body(request, call, ranking, page)
            if keeps:
                ranking.keep(_body_name(call, page.number), body)
        if body.error and body.error != NO_CRITERIA:  # that one the body itself says
            _tell_why_there_is_no_ranking(request, body.error)
        open_refusal = None
        if request.user.has_perm("evaluation.manage"):
            open_refusal = decision_session_refusal(call, timezone.now()) or body.facts_refusal
        return render(
            request,
            "evaluation/manage/ranking.html",
            {
                "call": call,
                "body": mark_safe(body.html),  # noqa: S308 - drawn by the template engine, escaped there
                "open_refusal": open_refusal,
            },
        )


def _tell_why_there_is_no_ranking(request: HttpRequest, error: str) -> None:
    # A call without criteria is not broken (its results may have been imported): information.
    tell = messages.info if error == NO_CRITERIA else messages.error
    tell(request, ranking_error_text(error))


class _PageBody(NamedTuple):
    """What a page of the ranking shows every reader alike until the ranking changes: its HTML
    between the tab bar and the committee's form, and what the view needs of the summary."""

    html: str
    count: int  # ranked applications: the paginator's
    error: str | None  # why the ranking cannot be computed
    #: Why the committee cannot decide on this ranking yet (`ranking_facts_refusal`), or None.
    facts_refusal: str | None


def _page_asked(value: str | None) -> int:
    """The page number asked for, as the paginator reads it when it is one (else the first)."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return 1


def _body_name(call: Call, number: int) -> str:
    """What the ranking page's body of page `number` is kept as beside the stored ranking: one
    per page, language and time zone (the adoption's date), per value of what it shows of the
    call (an edit through the services changes the ranking's version anyway), and per release
    of the code that draws it (a deploy draws it afresh)."""
    return ":".join(
        (
            "ranking:page-view",
            release(),
            str(number),
            get_language() or "",
            timezone.get_current_timezone_name(),
            call.slug,
            str(call.total_threshold),
            str(call.total_budget),
        )
    )


def _page_body(request: HttpRequest, call: Call, ranking: StoredRanking, page) -> _PageBody:
    """Page `page` of the ranking, as every reader sees it until the ranking changes."""
    summary = ranking.summary
    criteria = summary.criteria
    rows = [
        {
            "line": line,
            "why": describe_decided_by(line.decided_by, criteria) if line.details else "",
            "failed": [
                (f.criterion or _("total"), f.score, f.threshold) for f in line.failed_thresholds
            ],
        }
        for line in ranking[page.object_list.start : page.object_list.stop]
    ]
    html = render_to_string(
        "evaluation/manage/_ranking_body.html",
        {
            "call": call,
            "rows": rows,
            "page_obj": page,
            "pending": summary.pending,
            "adopted_at": summary.adopted_at,
            "criteria": criteria,
            # A call without criteria: the body says so in place of the ranking.
            "no_ranking": ranking_error_text(NO_CRITERIA) if summary.error == NO_CRITERIA else "",
        },
        request=request,
    )
    return _PageBody(
        html=str(html),
        count=summary.count,
        error=summary.error,
        facts_refusal=ranking_facts_refusal(
            pending=summary.pending, ranked=summary.count, not_evaluated=summary.not_evaluated
        ),
    )


class RankingPendingView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """The applications the stored ranking leaves out because their evaluation is not over
    (scores missing, divergence unsettled), a page at a time: the ranking page counts them and
    links here (a call of 3,000 applications had 1,303 of them)."""

    permission_required = "evaluation.view_ranking"

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        call = get_object_or_404(Call, slug=slug)
        pending = StoredRanking(call).summary.pending
        page = Paginator(pending, RANKING_PAGE_SIZE).get_page(request.GET.get("page"))
        # The summary keeps references (or, for one without a reference, its id).
        ids = dict(
            Application.objects.filter(call=call, reference__in=page.object_list)
            .order_by()
            .values_list("reference", "pk")
        )
        link = id_url("calls:apply-home")
        rows = [
            (reference, link(ids[reference]) if reference in ids else None)
            for reference in page.object_list
        ]
        return render(
            request,
            "evaluation/manage/ranking_pending.html",
            {"call": call, "page_obj": page, "rows": rows},
        )


class RankingCsvView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """The whole stored ranking as CSV (the page shows it a page at a time)."""

    permission_required = "evaluation.view_ranking"

    def get(self, request: HttpRequest, slug: str) -> StreamingHttpResponse:
        call = get_object_or_404(Call, slug=slug)
        ranking = StoredRanking(call)
        if ranking.summary.error:
            _tell_why_there_is_no_ranking(request, ranking.summary.error)
            return redirect("evaluation:ranking", slug=slug)
        response = StreamingHttpResponse(
            ranking_csv_lines(ranking), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="ranking-{call.slug}.csv"'
        response["Cache-Control"] = "private, no-store"
        return response
