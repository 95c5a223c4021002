"""Impact pages: staff define a call's indicators, follow its reporting and export it; the
beneficiaries report. Thin: the services write, the selectors read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_http_methods

from calls.models import Call
from impact import exports, preconditions, selectors, services
from impact.forms import ConfirmRemoveForm, IndicatorForm, PresetForm, ReopenForm, ReportForm
from impact.models import ImpactReport, Indicator, ReportingStage

PAGE_SIZE = 50


def _errors_to_form(form, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


def _today(call: Call):
    return timezone.now().astimezone(call.tz).date()


class StaffView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = "impact.manage_impact"


class CallView(StaffView):
    """The call's indicators, the presets not yet added, and its reporting at a glance."""

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        return self.show(request, get_object_or_404(Call, slug=slug))

    def show(self, request, call, *, preset_form=None, status=200) -> HttpResponse:
        indicators = list(selectors.indicators_of(call))
        have = {i.preset for i in indicators}
        stages = selectors.asked_stages(call)
        rows = selectors.rows_for(list(selectors.call_shares(call)), stages, _today(call))
        preset_form = preset_form or PresetForm()
        preset_form.fields["keys"].choices = [
            (key, label) for key, label in preset_form.fields["keys"].choices if key not in have
        ]
        context = {
            "call": call,
            "indicators": indicators,
            "preset_form": preset_form,
            "summary": selectors.completion(rows, stages),
            "beneficiaries": len(rows),
        }
        return render(request, "impact/manage/call.html", context, status=status)


class PresetsView(CallView):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        call = get_object_or_404(Call, slug=slug)
        form = PresetForm(request.POST)
        if form.is_valid():
            try:
                added = services.add_presets(
                    call=call, actor=request.user, keys=form.cleaned_data["keys"]
                )
            except ValidationError as error:
                _errors_to_form(form, error)
            else:
                messages.success(request, _("Indicators added: %(n)s.") % {"n": len(added)})
                return redirect("impact:manage-call", slug=call.slug)
        return self.show(request, call, preset_form=form, status=400)


class IndicatorCreateView(StaffView):
    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        call = get_object_or_404(Call, slug=slug)
        form = IndicatorForm(initial={"order": (len(selectors.indicators_of(call)) + 1) * 10})
        return render(request, "impact/manage/indicator_form.html", {"call": call, "form": form})

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        call = get_object_or_404(Call, slug=slug)
        form = IndicatorForm(request.POST)
        if form.is_valid():
            try:
                services.create_indicator(call=call, actor=request.user, **form.service_data())
            except ValidationError as error:
                _errors_to_form(form, error)
            else:
                messages.success(request, _("Indicator added."))
                return redirect("impact:manage-call", slug=call.slug)
        return render(
            request,
            "impact/manage/indicator_form.html",
            {"call": call, "form": form},
            status=400,
        )


class IndicatorEditView(StaffView):
    def context(self, indicator: Indicator, form) -> dict:
        return {
            "call": indicator.call,
            "indicator": indicator,
            "form": form,
            "remove_form": ConfirmRemoveForm(),
            "remove_refusal": preconditions.remove_refusal(indicator),
        }

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        indicator = get_object_or_404(Indicator.objects.select_related("call"), pk=pk)
        return render(
            request,
            "impact/manage/indicator_form.html",
            self.context(indicator, IndicatorForm(instance=indicator)),
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        indicator = get_object_or_404(Indicator.objects.select_related("call"), pk=pk)
        form = IndicatorForm(request.POST, instance=Indicator.objects.get(pk=pk))
        if form.is_valid():
            try:
                services.update_indicator(
                    indicator=indicator, actor=request.user, **form.service_data()
                )
            except ValidationError as error:
                _errors_to_form(form, error)
            else:
                messages.success(request, _("Indicator saved."))
                return redirect("impact:manage-call", slug=indicator.call.slug)
        return render(
            request,
            "impact/manage/indicator_form.html",
            self.context(indicator, form),
            status=400,
        )


class IndicatorRemoveView(StaffView):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        indicator = get_object_or_404(Indicator.objects.select_related("call"), pk=pk)
        form = ConfirmRemoveForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Tick the box to confirm the removal."))
            return redirect("impact:indicator-edit", pk=indicator.pk)
        try:
            services.remove_indicator(indicator=indicator, actor=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("impact:indicator-edit", pk=indicator.pk)
        messages.success(request, _("Indicator removed."))
        return redirect("impact:manage-call", slug=indicator.call.slug)


class CompletionView(StaffView):
    """Who reported what, who is late: one row per beneficiary, one column per stage."""

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        call = get_object_or_404(Call, slug=slug)
        stages = selectors.asked_stages(call)
        page = Paginator(selectors.call_shares(call), PAGE_SIZE).get_page(request.GET.get("page"))
        rows = selectors.rows_for(list(page.object_list), stages, _today(call))
        context = {
            "call": call,
            "stages": [ReportingStage(s) for s in stages],
            "rows": rows,
            "page_obj": page,
            "export_formats": exports.FORMATS,
        }
        return render(request, "impact/manage/completion.html", context)


class ReportDetailView(StaffView):
    def get(self, request: HttpRequest, pk: int, form=None, status=200) -> HttpResponse:
        report = get_object_or_404(
            ImpactReport.objects.select_related("share__organisation", "share__voucher__call"),
            pk=pk,
        )
        context = {
            "report": report,
            "call": report.share.voucher.call,
            "history": selectors.report_history(report.share, report.stage),
            "reopen_form": form or ReopenForm(),
            "reopen_refusal": preconditions.reopen_refusal(report),
        }
        return render(request, "impact/manage/report_detail.html", context, status=status)


class ReportReopenView(ReportDetailView):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        report = get_object_or_404(ImpactReport, pk=pk)
        form = ReopenForm(request.POST)
        if form.is_valid():
            try:
                services.reopen_report(
                    report=report, actor=request.user, reason=form.cleaned_data["reason"]
                )
            except ValidationError as error:
                _errors_to_form(form, error)
            else:
                messages.success(request, _("Report reopened: the beneficiary was told."))
                return redirect("impact:report-detail", pk=report.pk)
        return self.get(request, pk, form=form, status=400)


class ExportView(StaffView):
    def get(self, request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
        call = get_object_or_404(Call, slug=slug)
        if fmt not in exports.FORMATS:
            raise Http404
        return exports.response(call, fmt)


@login_required
def my_reports(request: HttpRequest) -> HttpResponse:
    items = selectors.member_rows(request.user)
    return render(request, "impact/report/list.html", {"rows": items})


@login_required
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, share_pk: int, stage: str) -> HttpResponse:
    if stage not in ReportingStage.values:
        raise Http404
    share = selectors.share_of_member(request.user, share_pk)
    if share is None:
        raise Http404  # outsiders do not learn the share exists
    if not request.user.has_perm("impact.report_impact", share):
        raise PermissionDenied
    call = share.voucher.call
    indicators = list(selectors.indicators_of(call, stage))
    if not indicators:
        raise Http404
    history = list(selectors.report_history(share, stage))
    current = next((r for r in history if r.is_current), None)
    refusal = preconditions.submit_refusal(selectors.window_of(share, stage), current, _today(call))
    form = ReportForm(request.POST if request.method == "POST" else None, indicators=indicators)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.submit_report(
                    share=share, stage=stage, actor=request.user, values=form.values()
                )
            except ValidationError as error:
                _errors_to_form(form, error)
            else:
                messages.success(request, _("Report submitted. Thank you."))
                return redirect("impact:report", share_pk=share.pk, stage=stage)
        status = 400
    context = {
        "share": share,
        "call": call,
        "stage": ReportingStage(stage),
        "window": selectors.window_of(share, stage),
        "form": form,
        "refusal": refusal,
        "current": current,
        "history": history,
    }
    return render(request, "impact/report/form.html", context, status=status)
