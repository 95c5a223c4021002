"""Navigation that depends on the roles of the person signed in."""

from django.http import HttpRequest

from accounts import rules as account_rules


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"roles": {}}
    return {
        "roles": {
            "applicant": account_rules.is_applicant(user),
            "staff": account_rules.is_consortium_staff(user),
            "evaluator": account_rules.is_evaluator(user),
            "committee": account_rules.is_committee_member(user),
        }
    }
