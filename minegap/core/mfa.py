"""Whether this session passed the second factor: the one question every privileged check asks.

Enrolling a TOTP device proves nothing about the person at the keyboard; allauth records each
authentication step of the session, and only an ``mfa`` step means the second factor was passed.
"""

from allauth.account.authentication import get_authentication_records
from django.http import HttpRequest


def session_passed_mfa(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    return any(
        record.get("method") == "mfa" for record in get_authentication_records(request, user)
    )
