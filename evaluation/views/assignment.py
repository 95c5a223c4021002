"""Staff: assign evaluators to a call's eligible applications (automatic, then by hand)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from calls.models import Application
from calls.selectors import with_submitted_texts
from evaluation.models import Assignment, AssignmentRun, CallEvaluationSettings
from evaluation.preconditions import (
    ASSIGNABLE_STATES,
    EVALUATED_STATES,
    auto_assignment_refusal,
    scores_frozen_refusal,
)
from evaluation.selectors_assignment import (
    RUN_STEPS,
    active_evaluators,
    latest_assignment_run,
    run_stage,
)
from evaluation.services import assignment as services
from evaluation.services.assignment_runs import request_auto_assignment
from evaluation.services.scoring import reopen_scores
from evaluation.views.common import PAGE_SIZE, StaffView


class AddAssignmentForm(forms.Form):
    application = forms.IntegerField(widget=forms.HiddenInput)
    evaluator = forms.ModelChoiceField(
        label=gettext_lazy("Evaluator"),
        queryset=User.objects.none(),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evaluator"].queryset = active_evaluators().order_by("full_name", "pk")


class ReopenForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), min_length=10, max_length=1000)


# Applications that take evaluators, and those that had them: once the evaluation is over the
# page stays the record of who evaluated what.
LISTED_STATES = (*ASSIGNABLE_STATES, *EVALUATED_STATES)


def assignment_rows(call):
    return (
        Application.objects.filter(call=call, state__in=LISTED_STATES)
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.select_related("evaluator").order_by("pk"),
            )
        )
        .order_by("reference", "pk")
    )


class AssignmentListView(StaffView):
    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        call = self.get_call(slug)
        settings = CallEvaluationSettings.for_call(call)
        page = Paginator(assignment_rows(call), PAGE_SIZE).get_page(request.GET.get("page"))
        page.object_list = with_submitted_texts(page.object_list)
        return render(
            request,
            "evaluation/manage/assignments.html",
            {
                "call": call,
                "page": page,
                "evaluators": list(AddAssignmentForm().fields["evaluator"].queryset),
                "settings_form": SettingsForm(
                    initial={
                        "exclude_same_country": settings.exclude_same_country,
                        "share_scores_after_submission": settings.share_scores_after_submission,
                    }
                ),
                "problems": request.session.pop("evaluation_assignment_problems", []),
                **_run_context(latest_assignment_run(call.pk)),
                "run_refusal": auto_assignment_refusal(call),
                "frozen": scores_frozen_refusal(call.pk),
                "assignable_states": ASSIGNABLE_STATES,
            },
        )

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        """Ask for the automatic assignment: a task does it; the page shows its progress."""
        call = self.get_call(slug)
        try:
            request_auto_assignment(call=call, actor=request.user)
        except ValidationError as error:
            request.session["evaluation_assignment_problems"] = list(error.messages)
        return redirect("evaluation:assignments", slug=call.slug)


def _run_context(run: AssignmentRun | None) -> dict:
    if run is None:
        return {"run": None}
    stage = run_stage(run)
    return {"run": run, "run_stage": stage, "run_step": RUN_STEPS.index(stage)}


class AssignmentRunView(StaffView):
    """One run of the automatic assignment, for the page's polling (htmx swaps it in place)."""

    def get(self, request: HttpRequest, slug: str, pk: int) -> HttpResponse:
        call = self.get_call(slug)
        run = get_object_or_404(AssignmentRun, pk=pk, call=call)
        response = render(
            request,
            "evaluation/manage/_assignment_run.html",
            {"call": call, "polled": True, **_run_context(run)},
        )
        add_never_cache_headers(response)
        return response


class SettingsForm(forms.Form):
    exclude_same_country = forms.BooleanField(
        label=gettext_lazy("Never assign an evaluator to applicants from their own country"),
        required=False,
    )
    share_scores_after_submission = forms.BooleanField(
        label=gettext_lazy(
            "Evaluators see the others' submitted scores once they submitted their own"
        ),
        required=False,
    )


class AssignmentSettingsView(StaffView):
    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        call = self.get_call(slug)
        form = SettingsForm(request.POST)
        form.is_valid()  # two optional booleans: always valid
        services.update_evaluation_settings(call=call, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Evaluation settings saved."))
        return redirect("evaluation:assignments", slug=call.slug)


class AssignmentAddView(StaffView):
    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        call = self.get_call(slug)
        form = AddAssignmentForm(request.POST)
        if form.is_valid():
            application = get_object_or_404(
                Application, pk=form.cleaned_data["application"], call=call
            )
            try:
                services.add_assignment(
                    application=application,
                    evaluator=form.cleaned_data["evaluator"],
                    actor=request.user,
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("Evaluator added."))
        else:
            messages.error(request, _("Choose an evaluator."))
        return redirect("evaluation:assignments", slug=call.slug)


class AssignmentRemoveView(StaffView):
    def post(self, request: HttpRequest, slug: str, pk: int) -> HttpResponse:
        assignment = get_object_or_404(Assignment, pk=pk, application__call__slug=slug)
        try:
            services.remove_assignment(assignment=assignment, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Evaluator removed."))
        return redirect("evaluation:assignments", slug=slug)


class ScoresReopenView(StaffView):
    def post(self, request: HttpRequest, slug: str, pk: int) -> HttpResponse:
        assignment = get_object_or_404(Assignment, pk=pk, application__call__slug=slug)
        form = ReopenForm(request.POST)
        if not form.is_valid():
            messages.error(
                request, _("Write why the scores are reopened (at least 10 characters).")
            )
            return redirect("evaluation:assignments", slug=slug)
        try:
            reopen_scores(
                assignment=assignment, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Scores reopened."))
        return redirect("evaluation:assignments", slug=slug)
