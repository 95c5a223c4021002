"""Erasure on request (GDPR art. 17): every app's registered section erases or pseudonymises
what it holds about the person, then the account is pseudonymised and closed.

`user.delete()` is not the way: the audit ledger and the records of decisions (scores, votes,
signatures) point at the account. The row is kept under a pseudonym ("Evaluator 7f3a"), drawn
at random (never derived from the address, so it cannot be reversed), with no address, no
password and no way to sign in.
"""

import secrets
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts import roles
from accounts.models import ErasureRequest, User
from accounts.preconditions import erasure_refusal
from minegap.core.personal_data import Kept, erasure_sections
from minegap.ledger.services import record
from minegap.notifications.services import enqueue

#: The domain of the addresses erased accounts are given: reserved, it never receives mail.
ERASED_DOMAIN = "erased.invalid"

# The name an erased account shows, by its role before the erasure (first that applies); the
# stored name is not translated, like any name.
_ROLE_NAMES = ((roles.EVALUATOR, "Evaluator"), (roles.COMMITTEE, "Committee member"))
_STAFF_NAME, _OTHER_NAME = "Staff member", "Former user"


def _new_pseudonym() -> str:
    """Four random hex digits, longer once those run short; unique among erased accounts."""
    for length in (2, 2, 2, 2, 3, 3, 4):
        candidate = secrets.token_hex(length)
        if not ErasureRequest.objects.filter(pseudonym=candidate).exists():
            return candidate
    raise RuntimeError("No free pseudonym after seven draws of up to 8 hex digits.")


def _display_name(user: User, pseudonym: str) -> str:
    groups = set(user.groups.values_list("name", flat=True))
    for group, name in _ROLE_NAMES:
        if group in groups:
            return f"{name} {pseudonym}"
    if roles.STAFF in groups or user.is_superuser:
        return f"{_STAFF_NAME} {pseudonym}"
    return f"{_OTHER_NAME} {pseudonym}"


def _pseudonymise(user: User, *, pseudonym: str) -> None:
    user.full_name = _display_name(user, pseudonym)
    user.email = f"erased-{pseudonym}@{ERASED_DOMAIN}"
    user.set_unusable_password()
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.save()
    user.groups.clear()
    user.user_permissions.clear()


def _kept_as_json(kept: list[Kept]) -> list[dict]:
    return [
        {"what": k.what, "until": k.until.isoformat() if k.until else None, "rule": k.rule}
        for k in kept
    ]


def _kept_for_email(kept: list[Kept]) -> list[dict]:
    return [
        {
            "what": k.what,
            "until": formats.date_format(k.until, "DATE_FORMAT") if k.until else "",
            "rule": k.rule,
        }
        for k in kept
    ]


def _run_sections(user: User, now: datetime) -> tuple[list[str], list[Kept]]:
    erased: list[str] = []
    kept: list[Kept] = []
    for section in erasure_sections():
        outcome = section.erase(user, now)
        erased.extend(outcome.erased)
        kept.extend(outcome.kept)
    return erased, kept


class _PreviewDone(Exception):
    """Raised to roll the preview's transaction back."""


def erasure_preview(*, user: User, now: datetime | None = None) -> dict:
    """What erasing `user` now would erase and keep, for the confirmation page: every section
    runs exactly as in the erasure, inside a transaction that is then rolled back, so the page
    cannot promise something the erasure does differently. Sections change only the database
    and delete files after commit (the erasure's own all-or-nothing needs that already), so the
    rollback leaves nothing behind (at most a cache of call results is invalidated). ``{"erased_items": [str], "kept_items": [dict]}``, the
    shape the outcome template reads."""
    now = now or timezone.now()
    preview: dict = {}
    try:
        with transaction.atomic():
            erased, kept = _run_sections(User.objects.get(pk=user.pk), now)
            preview = {
                "erased_items": erased,
                "kept_items": [{"what": k.what, "until": k.until, "rule": k.rule} for k in kept],
            }
            raise _PreviewDone
    except _PreviewDone:
        pass
    return preview


def erasure_request_process(*, user: User, now: datetime | None = None) -> ErasureRequest:
    """Erase `user` at their own request, now, and return the recorded request.

    Refused (ValidationError, the sentence `erasure_refusal` gives the page) when the account is
    already erased or the person is the only administrator of an organisation with other
    members. One transaction: every section's changes, the pseudonymised account, the request
    row, the e-mail (to the address the account had, written before it is erased) and the ledger
    entry (ids and counts only) commit together or not at all. The user row is locked first, so
    a second click waits and is then refused as already erased.
    """
    now = now or timezone.now()
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        refusal = erasure_refusal(user)
        if refusal:
            raise ValidationError(refusal)
        address = user.email
        pseudonym = _new_pseudonym()
        erased, kept = _run_sections(user, now)
        _pseudonymise(user, pseudonym=pseudonym)
        erased.append(
            _("Your name and e-mail address, replaced by the pseudonym “%(name)s”")
            % {"name": user.full_name}
        )
        request = ErasureRequest.objects.create(
            user=user,
            pseudonym=pseudonym,
            requested_at=now,
            processed_at=timezone.now(),
            status=ErasureRequest.Status.PARTLY_KEPT if kept else ErasureRequest.Status.ERASED,
            outcome={"erased": erased, "kept": _kept_as_json(kept)},
        )
        enqueue(
            template="accounts/erasure_done",
            subject=_("Your MineGap account has been erased"),
            recipients=[address],
            context={
                "pseudonym": user.full_name,
                "erased": erased,
                "kept": _kept_for_email(kept),
            },
        )
        record(
            action="accounts.erasure.processed",
            target=request,
            actor=user,
            data={"user": user.pk, "erased": len(erased), "kept": len(kept)},
        )
    return request
