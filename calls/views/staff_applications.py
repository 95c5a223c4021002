"""Staff list of a call's applications: search, filters, sorting, pagination, CSV export."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

from calls import selectors
from calls.csv_export import csv_rows
from calls.forms.staff import ApplicationFilterForm, ListFormatForm
from calls.staff_call import call_by_slug, voucher_types_of
from calls.staff_list import staff_rows


class ApplicationListView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = "calls.manage_calls"
    page_size = 50

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        call = call_by_slug(slug)
        if call is None:
            raise Http404("No Call matches the given query.")  # as get_object_or_404 says
        # Read once for the filter's choices and the rows' submitted voucher types.
        voucher_types = voucher_types_of(call)
        form = ApplicationFilterForm(request.GET or None, voucher_types=voucher_types)
        filters = form.filters() if form.is_valid() else {}
        applications = selectors.staff_applications(call, **filters)
        output = ListFormatForm(request.GET)
        wants_csv = output.is_valid() and output.cleaned_data["format"] == "csv"
        for errors in output.errors.values():
            messages.error(request, " ".join(errors))
        if wants_csv:
            response = StreamingHttpResponse(
                csv_rows(applications.values_list("pk", flat=True)),
                content_type="text/csv; charset=utf-8",
            )
            response["Content-Disposition"] = f'attachment; filename="{call.slug}-applications.csv"'
            return response
        # The page's ids first (the narrow query, no model instance), then what its rows show:
        # each row's last submitted version (a draft: its live rows).
        ids = applications.values_list("pk", flat=True)
        page = Paginator(ids, self.page_size).get_page(request.GET.get("page"))
        rows = staff_rows(page.object_list, voucher_types=voucher_types)
        query = request.GET.copy()
        query.pop("page", None)
        return render(
            request,
            "calls/manage/application_list.html",
            {
                "call": call,
                "form": form,
                "page": page,
                "rows": rows,
                "querystring": query.urlencode(),
                "csv_query": (query.urlencode() + "&" if query else "") + "format=csv",
                "title": _("Applications"),
            },
            status=400 if output.errors else 200,
        )
