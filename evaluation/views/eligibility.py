"""Staff: the eligibility checklist of a call's submitted applications."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from calls.models import Application
from calls.selectors import submitted_text_fields, submitted_texts_of, with_submitted_texts
from evaluation.eligibility_checks import CHECK_LABELS
from evaluation.models import EligibilityDecision
from evaluation.preconditions import eligibility_checks_refusal
from evaluation.selectors_eligibility import ELIGIBILITY_STATES, eligibility_application
from evaluation.services.eligibility import decide_eligibility, run_eligibility_checks
from evaluation.views.common import PAGE_SIZE, StaffView


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[
            (EligibilityDecision.ELIGIBLE, gettext_lazy("Eligible")),
            (EligibilityDecision.INELIGIBLE, gettext_lazy("Ineligible")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Required for an ineligible decision and for any override."),
    )


class EligibilityFilterForm(forms.Form):
    """The list's query string: what to search, which decision (an unknown one is ignored)."""

    q = forms.CharField(label=gettext_lazy("Search"), required=False, max_length=100)
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        required=False,
        choices=[("", gettext_lazy("All")), *EligibilityDecision.choices],
    )

    def filters(self) -> dict[str, str]:
        """The valid values ("" for a missing or invalid one)."""
        self.is_valid()
        return {name: self.cleaned_data.get(name) or "" for name in ("q", "decision")}


def eligibility_rows(call, *, search: str = "", decision: str = ""):
    """The call's submitted applications; `search` looks in the reference and in the title and
    acronym as submitted (an edit made after the last submission does not count)."""
    texts = submitted_text_fields()
    queryset = Application.objects.filter(call=call, state__in=ELIGIBILITY_STATES).annotate(
        submitted_title=texts["submitted_title"], submitted_acronym=texts["submitted_acronym"]
    )
    if search:
        queryset = queryset.filter(
            Q(reference__icontains=search)
            | Q(submitted_title__icontains=search)
            | Q(submitted_acronym__icontains=search)
        )
    if decision:
        queryset = queryset.filter(eligibility_check__decision=decision)
    return (
        queryset.select_related("eligibility_check")
        .annotate(
            failed_checks=Count(
                "eligibility_check__items", filter=Q(eligibility_check__items__passed=False)
            )
        )
        .order_by("reference", "pk")
    )


class EligibilityListView(StaffView):
    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        call = self.get_call(slug)
        filters = EligibilityFilterForm(request.GET).filters()
        search, decision = filters["q"], filters["decision"]
        rows = eligibility_rows(call, search=search, decision=decision)
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        page.object_list = with_submitted_texts(page.object_list)
        return render(
            request,
            "evaluation/manage/eligibility_list.html",
            {
                "call": call,
                "page": page,
                "search": search,
                "decision": decision,
                "decisions": EligibilityDecision.choices,
                "run_refusal": eligibility_checks_refusal(call, timezone.now()),
            },
        )

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        call = self.get_call(slug)
        try:
            count = run_eligibility_checks(call=call, actor=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                ngettext(
                    "Automatic checks computed for %(n)d application.",
                    "Automatic checks computed for %(n)d applications.",
                    count,
                )
                % {"n": count},
            )
        return redirect("evaluation:eligibility", slug=call.slug)


class EligibilityDetailView(StaffView):
    def get_application(self, slug: str, pk: int) -> Application:
        application = eligibility_application(slug, pk)
        if application is None:
            raise Http404
        return application

    def render_page(self, request, application, form) -> HttpResponse:
        check = getattr(application, "eligibility_check", None)
        items = list(check.items.all()) if check else []
        for item in items:
            item.label = CHECK_LABELS.get(item.code, item.code)
        application.texts = submitted_texts_of(application)
        return render(
            request,
            "evaluation/manage/eligibility_detail.html",
            {
                "call": application.call,
                "application": application,
                "check": check,
                "items": items,
                "form": form,
            },
        )

    def get(self, request: HttpRequest, slug: str, pk: int) -> HttpResponse:
        application = self.get_application(slug, pk)
        return self.render_page(request, application, DecisionForm())

    def post(self, request: HttpRequest, slug: str, pk: int) -> HttpResponse:
        application = self.get_application(slug, pk)
        form = DecisionForm(request.POST)
        if form.is_valid():
            try:
                decide_eligibility(
                    application=application,
                    actor=request.user,
                    decision=form.cleaned_data["decision"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(
                    request,
                    _("Eligibility of %(ref)s recorded.") % {"ref": application.reference},
                )
                return redirect("evaluation:eligibility", slug=slug)
        return self.render_page(request, application, form)
