"""Public pages of published calls (/calls/...)."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from accounts.countries import country_name
from calls import selectors
from minegap.core.page_cache import cache_anonymous_page


@require_GET
@cache_anonymous_page
def call_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.published_calls(), 20).get_page(request.GET.get("page"))
    return render(request, "calls/public/call_list.html", {"page": page})


@require_GET
@cache_anonymous_page
def call_detail(request: HttpRequest, slug: str) -> HttpResponse:
    call = get_object_or_404(selectors.published_calls(), slug=slug)
    return render(
        request,
        "calls/public/call_detail.html",
        {
            "call": call,
            "opens_local": call.opens_at.astimezone(call.tz) if call.opens_at else None,
            "closes_local": call.closes_at.astimezone(call.tz) if call.closes_at else None,
            "countries": [country_name(code) for code in call.eligible_countries],
            "voucher_types": call.voucher_types.all(),
            "criteria": call.criteria.all(),
            "documents": call.documents.all(),
        },
    )
