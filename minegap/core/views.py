"""Site-wide pages: health check and the role-aware dashboard."""

import redis
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.rules import is_privileged
from minegap.core.context_processors import roles_of
from minegap.core.mfa import user_passed_second_factor


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database (and Redis, when configured) answer; 503 otherwise."""
    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:
        checks["database"] = f"error: {type(exc).__name__}"
    if settings.REDIS_URL:
        try:
            redis.Redis.from_url(
                settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2
            ).ping()
            checks["redis"] = "ok"
        except Exception as exc:
            checks["redis"] = f"error: {type(exc).__name__}"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )


# The dashboard's sections, one per role, each drawn from the slot the apps fill.
# Privileged roles' sections show other people's data: only once this session passed the second
# factor (the applicant's own section needs no more than signing in).
MEMBERSHIP_SECTIONS = ("applicant",)
DASHBOARD_SECTIONS = (
    ("applicant", _("Applying for funding")),
    ("staff", _("Consortium staff")),
    ("evaluator", _("Evaluation")),
    ("committee", _("Transparency Committee")),
)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    privileged = is_privileged(request.user)
    passed = user_passed_second_factor(request.user)
    needs_mfa = privileged and not is_mfa_enabled(request.user)
    # Enrolled, but this session (e.g. signed in before enrolling) has not passed the code yet.
    needs_code = privileged and not needs_mfa and not passed
    roles = roles_of(request)
    sections = [
        {"role": role, "title": title, "slot": f"dashboard:{role}"}
        for role, title in DASHBOARD_SECTIONS
        if roles.get(role) and (role in MEMBERSHIP_SECTIONS or passed)
    ]
    return render(
        request,
        "core/dashboard.html",
        {"needs_mfa": needs_mfa, "needs_code": needs_code, "sections": sections},
    )
