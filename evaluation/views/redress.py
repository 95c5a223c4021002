"""Redress: the consortium files a complaint; staff list, review and decide complaints."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from calls.models import ApplicationState
from evaluation import selectors_results as selectors
from evaluation.esr import closing_date
from evaluation.forms import PageActionForm
from evaluation.models import Complaint, ComplaintState
from evaluation.services import redress
from evaluation.views.applicant import results_or_404
from evaluation.views.common import PAGE_SIZE, StaffView


class ComplaintForm(forms.Form):
    grounds = forms.CharField(
        label=gettext_lazy("Procedural grounds"),
        min_length=redress.MIN_GROUNDS_LENGTH,
        max_length=redress.MAX_GROUNDS_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy(
            "Which step of the evaluation procedure was not followed, and how it affected the "
            "result. The evaluators' scientific or technical judgement is not reviewed."
        ),
    )


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[
            (ComplaintState.UPHELD, gettext_lazy("Uphold")),
            (ComplaintState.DISMISSED, gettext_lazy("Dismiss")),
        ],
        widget=forms.RadioSelect,
    )
    decision = forms.CharField(
        label=gettext_lazy("Decision and its reasons (sent to the complainant)"),
        min_length=redress.MIN_DECISION_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


@login_required
def file_complaint(request: HttpRequest, pk: int) -> HttpResponse:
    application, publication = results_or_404(request, pk)
    if not selectors.is_consortium_admin(request.user, application):
        raise PermissionDenied(
            _("Only an administrator of an organisation in the consortium can file a complaint.")
        )
    window_open = selectors.window_open(publication, timezone.now())
    form = ComplaintForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            redress.file_complaint(
                application=application, actor=request.user, grounds=form.cleaned_data["grounds"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your complaint was filed. Staff will answer in writing."))
            return redirect("evaluation:applicant-results", pk=application.pk)
    return render(
        request,
        "evaluation/applicant/complaint_form.html",
        {
            "application": application,
            "call": application.call,
            "form": form,
            "window_open": window_open,
            "closes_on": closing_date(publication),
        },
        status=400 if request.method == "POST" else 200,
    )


class ComplaintFilterForm(forms.Form):
    """The complaints list's query string: a call with results, a state (unknown ones ignored)."""

    call = forms.ChoiceField(label=gettext_lazy("Call"), required=False)
    state = forms.ChoiceField(
        label=gettext_lazy("State"),
        required=False,
        choices=[("", gettext_lazy("All")), *ComplaintState.choices],
    )

    def __init__(self, data, *, calls) -> None:
        super().__init__(data)
        self.fields["call"].choices = [("", gettext_lazy("All"))] + [
            (c.slug, c.title) for c in calls
        ]

    def filters(self) -> dict[str, str]:
        """The valid values ("" for a missing or invalid one)."""
        self.is_valid()
        return {name: self.cleaned_data.get(name) or "" for name in ("call", "state")}


class ComplaintListView(StaffView):
    def get(self, request: HttpRequest) -> HttpResponse:
        calls = list(selectors.calls_with_results())
        filters = ComplaintFilterForm(request.GET, calls=calls).filters()
        call = next((c for c in calls if c.slug == filters["call"]), None)
        state = filters["state"]
        page = Paginator(selectors.staff_complaints(call=call, state=state), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        return render(
            request,
            "evaluation/redress/complaint_list.html",
            {
                "page": page,
                "calls": calls,
                "call": call,
                "state": state,
                "states": ComplaintState.choices,
                "today": timezone.localdate(),
            },
        )


class ComplaintDetailView(StaffView):
    def get_complaint(self, pk: int) -> Complaint:
        return get_object_or_404(
            Complaint.objects.select_related(
                "application__call", "filed_by", "handler", "decided_by"
            ),
            pk=pk,
        )

    def get(self, request: HttpRequest, pk: int, form: DecisionForm | None = None) -> HttpResponse:
        complaint = self.get_complaint(pk)
        return render(
            request,
            "evaluation/redress/complaint_detail.html",
            {
                "complaint": complaint,
                "application": complaint.application,
                "call": complaint.application.call,
                "form": form or DecisionForm(),
                "today": timezone.localdate(),
                "may_reinstate": complaint.state == ComplaintState.UPHELD
                and complaint.application.state == ApplicationState.INELIGIBLE,
            },
            status=400 if form is not None else 200,
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        complaint = self.get_complaint(pk)
        pressed = PageActionForm(request.POST, actions=["review", "decide", "reinstate"])
        action = pressed.cleaned_data["action"] if pressed.is_valid() else None
        try:
            if action == "review":
                redress.start_review(complaint=complaint, actor=request.user)
                messages.success(request, _("The complaint is under review."))
            elif action == "decide":
                form = DecisionForm(request.POST)
                if not form.is_valid():
                    return self.get(request, pk, form=form)
                redress.decide_complaint(
                    complaint=complaint,
                    actor=request.user,
                    upheld=form.cleaned_data["outcome"] == ComplaintState.UPHELD,
                    decision=form.cleaned_data["decision"],
                )
                messages.success(request, _("The decision was recorded and sent."))
            elif action == "reinstate":
                redress.reinstate_eligibility(complaint=complaint, actor=request.user)
                messages.success(request, _("The application is eligible again."))
            else:
                messages.error(request, " ".join(pressed.errors["action"]))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("evaluation:complaint-detail", pk=complaint.pk)
