"""Signing in test clients the way allauth leaves a session after each login step."""

import time

from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY

from minegap.core.mfa import mark_second_factor

# allauth keeps the owner of the records beside them (a private constant of its login flow).
_RECORDS_USER_KEY = "account_authentication_methods_user"


def sign_in(client, user, *, mfa: bool = True):
    """Log ``user`` in; with ``mfa`` the session also carries a passed TOTP step.

    This is the session state allauth's own login writes after a password and a TOTP code
    (``record_authentication``); tests that exercise that flow itself go through the real views.
    """
    client.force_login(user, backend="accounts.backends.ModelBackend")
    now = time.time()
    records = [{"method": "password", "at": now, "email": user.email}]
    if mfa:
        records.append({"method": "mfa", "at": now, "type": "totp"})
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = records
    session[_RECORDS_USER_KEY] = str(user.pk)
    session.save()
    return client


def in_verified_session(user):
    """``user`` as the request of a session that passed the second factor carries it, for
    permission checks asked outside a request (``user.has_perm``)."""
    mark_second_factor(user, True)
    return user
