"""Staff: publish a decided call's results and follow the Evaluation Summary Reports."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from calls.models import Application
from evaluation import selectors_results as selectors
from evaluation.esr import OUTCOMES, closing_date
from evaluation.forms import PageActionForm
from evaluation.services.publication import publish_results, resend_missing_reports
from evaluation.views.common import StaffView


class ResultsPublicationView(StaffView):
    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        call = self.get_call(slug)
        publication = selectors.publication_of(call)
        counts = Application.objects.filter(call=call, state__in=list(OUTCOMES)).aggregate(
            expected=Count("pk"),
            generated=Count("pk", filter=Q(summary_report__generated_at__isnull=False)),
            emailed=Count("pk", filter=Q(summary_report__emailed_at__isnull=False)),
        )
        return render(
            request,
            "evaluation/redress/publication.html",
            {
                "call": call,
                "publication": publication,
                "closes_on": closing_date(publication) if publication else "",
                "counts": counts,
            },
        )

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        call = self.get_call(slug)
        try:
            pressed = PageActionForm(
                request.POST,
                actions=["resend", "publish"],
                unknown=_("Choose an action: publish, or resend the missing reports."),
            )
            action = pressed.cleaned_data["action"] if pressed.is_valid() else None
            if action == "resend":
                resend_missing_reports(call=call, actor=request.user)
                messages.success(request, _("The missing reports are being generated and sent."))
            elif action == "publish":
                publish_results(call=call, actor=request.user)
                messages.success(
                    request,
                    _("Results published: the reports are being generated and e-mailed."),
                )
            else:
                messages.error(request, " ".join(pressed.errors["action"]))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("evaluation:results-publication", slug=call.slug)
