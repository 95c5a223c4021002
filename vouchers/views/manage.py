"""Staff pages: calls with vouchers, per-call budget dashboard, payments, exports, services."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from calls.models import ApplicationState, Call
from vouchers import exports, selectors, services
from vouchers.forms import (
    CallSlugForm,
    ConfirmForm,
    PaymentFilterForm,
    SupportServiceForm,
    VoucherFilterForm,
)
from vouchers.models import Voucher, VoucherState
from vouchers.views.common import StaffView, paginate


class HomeView(StaffView):
    def get(self, request: HttpRequest) -> HttpResponse:
        calls = (
            Call.objects.annotate(
                voucher_count=Count("vouchers", distinct=True),
                selected_count=Count(
                    "applications",
                    filter=Q(applications__state=ApplicationState.SELECTED),
                    distinct=True,
                ),
                live_amount=Subquery(
                    Voucher.objects.filter(call=OuterRef("pk"), state__in=VoucherState.committed())
                    .order_by()
                    .values("call")
                    .annotate(total=Sum("amount"))
                    .values("total")
                ),
            )
            .filter(Q(voucher_count__gt=0) | Q(selected_count__gt=0))
            .order_by("-closes_at", "title")
        )
        return render(request, "vouchers/manage/home.html", {"page_obj": paginate(request, calls)})


class CallDashboardView(StaffView):
    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        return self.render(request, get_object_or_404(Call, slug=slug))

    def render(self, request, call, *, draft_form=None, status=200) -> HttpResponse:
        form = VoucherFilterForm(request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        vouchers = selectors.staff_vouchers(
            call,
            search=filters.get("q", ""),
            state=filters.get("state", ""),
            sort=filters.get("sort") or "number",
        )
        context = {
            "call": call,
            "summary": selectors.budget_summary(call),
            "form": form,
            "page_obj": paginate(request, vouchers),
            "draft_form": draft_form or ConfirmForm(),
            "selected_without_voucher": call.applications.filter(
                state=ApplicationState.SELECTED, voucher__isnull=True
            ).count(),
            "export_kinds": list(exports.EXPORTS.items()),
        }
        return render(request, "vouchers/manage/call_dashboard.html", context, status=status)

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        """Draft the vouchers of the call's selected applications (idempotent)."""
        call = get_object_or_404(Call, slug=slug)
        form = ConfirmForm(request.POST)
        if form.is_valid():
            try:
                vouchers = services.draft_vouchers_for_call(call=call, actor=request.user)
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(
                    request,
                    _("%(n)s voucher(s) drafted or already there.") % {"n": len(vouchers)},
                )
                return redirect("vouchers:manage-call", slug=call.slug)
        return self.render(request, call, draft_form=form, status=400)


class PaymentListView(StaffView):
    def get(self, request: HttpRequest) -> HttpResponse:
        form = PaymentFilterForm(request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        chosen = CallSlugForm(request.GET)
        if not chosen.is_valid():
            raise Http404
        call = chosen.cleaned_data["call"]
        payments = selectors.staff_payments(
            call=call,
            search=filters.get("q", ""),
            organisation=filters.get("organisation", ""),
            date_from=filters.get("date_from"),
            date_to=filters.get("date_to"),
        )
        total = payments.aggregate(total=Sum("amount"))["total"]
        return render(
            request,
            "vouchers/manage/payment_list.html",
            {
                "form": form,
                "call": call,
                "page_obj": paginate(request, payments),
                "total": selectors.as_money(total),
            },
        )


class ExportView(StaffView):
    def get(self, request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
        export = exports.EXPORTS.get(kind)
        if export is None or fmt not in ("csv", "xlsx"):
            return render(request, "404.html", status=404)
        chosen = CallSlugForm(request.GET)
        if not chosen.is_valid():
            raise Http404
        call = chosen.cleaned_data["call"]
        name = f"{call.slug if call else 'all'}-{kind}"
        if fmt == "csv":
            response = StreamingHttpResponse(
                exports.csv_lines(export, call), content_type="text/csv; charset=utf-8"
            )
        else:
            response = HttpResponse(
                exports.xlsx_bytes(export, call),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
        return response


class SupportServiceView(StaffView):
    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        call = get_object_or_404(Call, slug=slug)
        return self.render(request, call, SupportServiceForm(call=call))

    def render(self, request, call, form, status=200) -> HttpResponse:
        services_qs = selectors.staff_support_services(call=call)
        per_sme = (
            services_qs.order_by()
            .values("organisation__legal_name")
            .annotate(total=Sum("value"), hours=Sum("hours"), count=Count("pk"))
            .order_by("organisation__legal_name")
        )
        return render(
            request,
            "vouchers/manage/support_services.html",
            {
                "call": call,
                "form": form,
                "page_obj": paginate(request, services_qs),
                "per_sme": per_sme,
                "total": selectors.as_money(services_qs.aggregate(t=Sum("value"))["t"]),
            },
            status=status,
        )

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        call = get_object_or_404(Call, slug=slug)
        form = SupportServiceForm(request.POST, call=call)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.record_support_service(
                    organisation=data["share"].organisation,
                    voucher=data["share"].voucher,
                    call=call,
                    type=data["type"],
                    provider=data["provider"],
                    date=data["date"],
                    hours=data["hours"],
                    value=data["value"],
                    description=data["description"],
                    actor=request.user,
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, _("Service recorded."))
                return redirect("vouchers:manage-services", slug=call.slug)
        return self.render(request, call, form, status=400)
