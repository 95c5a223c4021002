"""What the accounts app erases when a person asks (registered in ``AccountsConfig.ready``).

The user row itself is pseudonymised last, by ``accounts.services.erasure_request_process``,
after every app's section has read what it needs (e.g. the address invitations were sent to).
"""

from datetime import datetime
from importlib import import_module

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import ApiToken, ApiTokenUse, Invitation, Membership, User
from minegap.core.personal_data import ErasureOutcome, ErasureSection


def _count(singular: str, plural: str, count: int) -> str:
    return ngettext(singular, plural, count) % {"count": count}


def _end_sessions(user: User, now: datetime) -> int:
    """Delete the person's stored sessions. Changing the password already invalidates every
    session (Django checks its hash on each request); this removes the sessions themselves,
    through the session engine, so that their cached copies go with their rows."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    ended = 0
    for session in Session.objects.filter(expire_date__gt=now).iterator():
        if session.get_decoded().get(SESSION_KEY) == str(user.pk):
            store.delete(session.session_key)
            ended += 1
    return ended


def erase(user: User, now: datetime) -> ErasureOutcome:
    erased: list[str] = []
    memberships = list(
        Membership.objects.filter(user=user).select_related("organisation").order_by("pk")
    )
    for membership in memberships:
        erased.append(
            _("Your membership of %(organisation)s") % {"organisation": membership.organisation}
        )
    Membership.objects.filter(pk__in=[m.pk for m in memberships]).delete()

    # Invitations to the person's address: open ones go; answered ones keep no address.
    invitations = Invitation.objects.filter(email__iexact=user.email)
    open_count, _per_model = invitations.filter(accepted_at__isnull=True).delete()
    answered = invitations.exclude(email="").update(email="")
    if open_count or answered:
        erased.append(
            _count(
                "%(count)d invitation to an organisation sent to your address",
                "%(count)d invitations to organisations sent to your address",
                open_count + answered,
            )
        )

    revoked = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)
    uses, _per_model = ApiTokenUse.objects.filter(token__user=user).delete()
    if revoked or uses:
        erased.append(
            _("Your API tokens (revoked) and the log of their use (%(count)d requests)")
            % {"count": uses}
        )

    authenticators, _per_model = Authenticator.objects.filter(user=user).delete()
    if authenticators:
        erased.append(_("Your two-factor authentication devices and recovery codes"))
    EmailAddress.objects.filter(user=user).delete()
    _end_sessions(user, now)
    erased.append(_("Your e-mail addresses, sign-in sessions and password"))
    return ErasureOutcome(erased=erased, kept=[])


def section() -> ErasureSection:
    return ErasureSection(name="accounts", erase=erase)
