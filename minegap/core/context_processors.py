"""Context every page needs: the roles of the person signed in (for the navigation and the
dashboard) and the site-wide links of the footer."""

from django.conf import settings
from django.http import HttpRequest

from accounts import rules as account_rules


def roles_of(request: HttpRequest) -> dict[str, bool]:
    """The person's roles, read once per request (the navigation and the dashboard both ask)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    if not hasattr(request, "_minegap_roles"):
        request._minegap_roles = {
            "applicant": account_rules.is_applicant(user),
            "staff": account_rules.is_consortium_staff(user),
            "evaluator": account_rules.is_evaluator(user),
            "committee": account_rules.is_committee_member(user),
        }
    return request._minegap_roles


def navigation(request: HttpRequest) -> dict:
    return {
        "source_code_url": getattr(settings, "SOURCE_CODE_URL", ""),
        "roles": roles_of(request),
    }
