"""Erasure on request: the person's confirmation page (with re-authentication), and the staff
list of erasure requests with their outcome (thin views: the service does the work)."""

from allauth.account.decorators import reauthentication_required
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from accounts import selectors, services
from accounts.forms import ErasureConfirmForm
from accounts.preconditions import erasure_refusal

STAFF_PAGE_SIZE = 25


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
# The erasure itself needs a sign-in of the last few minutes: someone at an unattended
# browser cannot erase the owner's account (allauth asks for the password again).
@reauthentication_required(allow_get=True)
def erasure_request(request: HttpRequest) -> HttpResponse:
    refusal = erasure_refusal(request.user)
    form = ErasureConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and refusal is None and form.is_valid():
        try:
            erasure = services.erasure_request_process(user=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            # The account can no longer sign in; this browser's session ends now too.
            logout(request)
            return render(request, "accounts/erasure_done.html", {"erasure": erasure})
    status = 200
    if request.method == "POST":
        status = 403 if refusal else 400
    preview = None if refusal else services.erasure_preview(user=request.user)
    return render(
        request,
        "accounts/erasure_confirm.html",
        {"form": form, "refusal": refusal, "erasure": preview},
        status=status,
    )


@login_required
@permission_required("accounts.view_erasure_requests", raise_exception=True)
@require_safe
def erasure_request_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.erasure_requests(), STAFF_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "accounts/erasure_request_list.html", {"page_obj": page})
