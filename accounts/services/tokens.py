"""API tokens for scripts: created, revoked, checked on each request and their uses logged.

A token of a privileged person (staff, evaluator, committee member) is created only from a
session that passed the second factor, and records that fact (``mfa_verified``), which the
API's privileged permission reads. Every token expires within ``API_TOKEN_MAX_DAYS``.
"""

import hashlib
import secrets
from datetime import datetime, timedelta

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.models import ApiToken, ApiTokenUse, User
from accounts.rules import is_privileged
from minegap.ledger.services import record

# Lets secret scanners (and people) recognise a leaked MineGap token.
SECRET_PREFIX = "mgt_"  # noqa: S105 (a public marker, not a secret)
NAME_MAX_LENGTH = ApiToken._meta.get_field("name").max_length
PATH_MAX_LENGTH = ApiTokenUse._meta.get_field("path").max_length


def secret_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def api_token_create_refusal(user: User, *, session_mfa: bool) -> str | None:
    """Why ``user`` may not create a token now, or None: the page asks this before showing the
    form, the service before creating."""
    if not user.is_authenticated or not user.is_active:
        return _("Sign in to create an API token.")
    if is_privileged(user) and not session_mfa:
        return _(
            "Your role gives access to other people's data: sign out and sign in again with "
            "your two-factor code to create an API token."
        )
    return None


def api_token_create(
    *, user: User, name: str, lifetime_days: int | None = None, session_mfa: bool
) -> tuple[ApiToken, str]:
    """Create a token for ``user``; return it with its secret, which is never stored or shown again.

    ``session_mfa`` says whether the creating session passed the second factor
    (``minegap.core.mfa.session_passed_mfa``): privileged people cannot create a token without
    it, and only such a token is ``mfa_verified``.
    """
    refusal = api_token_create_refusal(user, session_mfa=session_mfa)
    if refusal:
        raise PermissionDenied(refusal)
    name = (name or "").strip()
    if lifetime_days is None:
        lifetime_days = settings.API_TOKEN_DEFAULT_DAYS
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("Name the token after the script that will use it.")]
    elif len(name) > NAME_MAX_LENGTH:
        errors["name"] = [
            _("Use at most %(count)d characters.") % {"count": NAME_MAX_LENGTH},
        ]
    if not 1 <= lifetime_days <= settings.API_TOKEN_MAX_DAYS:
        errors["lifetime_days"] = [
            _("A token lives between 1 and %(max)d days.") % {"max": settings.API_TOKEN_MAX_DAYS}
        ]
    if errors:
        raise ValidationError(errors)
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            name=name,
            digest=secret_digest(secret),
            mfa_verified=session_mfa,
            created_at=now,
            expires_at=now + timedelta(days=lifetime_days),
        )
        record(
            action="accounts.api_token.created",
            target=token,
            actor=user,
            data={
                "expires_at": token.expires_at,
                "mfa_verified": token.mfa_verified,
            },
        )
    return token, secret


def api_token_revoke(*, token: ApiToken, actor: User) -> ApiToken:
    """Revoke a token at once; only its owner may."""
    if not actor.is_authenticated or actor.pk != token.user_id:
        raise PermissionDenied(_("Only the owner of an API token can revoke it."))
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is not None:
            raise ValidationError(_("This token is already revoked."))
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(
            action="accounts.api_token.revoked",
            target=token,
            actor=actor,
        )
    return token


def api_tokens_revoke_after_mfa_removed(*, user: User) -> list[ApiToken]:
    """When ``user`` no longer has any second factor, revoke their live tokens that were created
    after one: their ``mfa_verified`` would vouch for a factor the person no longer has.

    Called when allauth removes an authenticator (``accounts.signals``); does nothing while
    another factor remains. Returns the revoked tokens.
    """
    if is_mfa_enabled(user):
        return []
    now = timezone.now()
    with transaction.atomic():
        tokens = list(
            ApiToken.objects.select_for_update()
            .filter(user=user, mfa_verified=True, revoked_at__isnull=True, expires_at__gt=now)
            .order_by("pk")
        )
        for token in tokens:
            token.revoked_at = now
            token.save(update_fields=["revoked_at"])
            record(
                action="accounts.api_token.revoked",
                target=token,
                actor=user,
                data={"cause": "two_factor_turned_off"},
            )
    return tokens


class TokenRefused(Exception):
    """A presented secret that does not authenticate; the message is shown to the caller."""


def _when(moment: datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def api_token_check(secret: str) -> ApiToken:
    """The live token for ``secret`` (its owner loaded), or ``TokenRefused`` saying why not."""
    token = ApiToken.objects.select_related("user").filter(digest=secret_digest(secret)).first()
    if token is None:
        raise TokenRefused(_("Invalid API token."))
    if token.revoked_at is not None:
        raise TokenRefused(
            _("This API token was revoked on %(when)s and no longer works.")
            % {"when": _when(token.revoked_at)}
        )
    if token.expires_at <= timezone.now():
        raise TokenRefused(
            _("This API token expired on %(when)s: create a new one on your account page.")
            % {"when": _when(token.expires_at)}
        )
    if not token.user.is_active:
        raise TokenRefused(_("The owner of this API token is deactivated."))
    return token


def api_token_record_use(
    *, token: ApiToken, method: str, path: str, client_address: str | None
) -> ApiTokenUse:
    """Log one request made with ``token`` and move its "last used" time.

    Not a ledger event (the ledger holds decisions and state changes, not every read); the use
    log is its own small table, pruned by ``api_token_prune_uses``.
    """
    now = timezone.now()
    with transaction.atomic():
        use = ApiTokenUse.objects.create(
            token=token,
            at=now,
            method=method[:10],
            path=path[:PATH_MAX_LENGTH],
            client_address=client_address,
        )
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
    return use


def api_token_prune_uses(*, now: datetime | None = None) -> int:
    """Delete the use log rows older than ``API_TOKEN_USE_RETENTION_DAYS``; return how many."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.API_TOKEN_USE_RETENTION_DAYS)
    deleted, _by_model = ApiTokenUse.objects.filter(at__lt=cutoff).delete()
    return deleted
