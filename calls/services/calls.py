"""Services for calls: create, configure, publish, extend the deadline, move the state."""

from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.forms import BaseInlineFormSet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.rules import is_consortium_staff
from calls import selectors
from calls.clock import sync_call_state  # noqa: F401 - part of this module's interface
from calls.models import Call, CallDocument, CallState
from calls.preconditions import deadline_extension_refusal
from calls.results_cache import results_changed
from calls.rule_values import ITEM_FIELDS, call_rules, field_value, item_values
from calls.validation import call_configuration_problems, short_window, tie_break_problems
from minegap.ledger.services import record
from minegap.notifications.services import enqueue

# Fields that may still change once the call is open: wording, not the rules of the game.
WORDING_FIELDS = frozenset({"title", "summary", "body", "thematic_areas"})

CALL_TRANSITIONS: dict[str, frozenset[str]] = {
    CallState.DRAFT: frozenset({CallState.PUBLISHED}),
    CallState.PUBLISHED: frozenset({CallState.OPEN, CallState.CLOSED}),
    CallState.OPEN: frozenset({CallState.CLOSED}),
    CallState.CLOSED: frozenset({CallState.EVALUATING}),
    CallState.EVALUATING: frozenset({CallState.DECIDED}),
    CallState.DECIDED: frozenset({CallState.RESULTS_PUBLISHED}),
    CallState.RESULTS_PUBLISHED: frozenset({CallState.ARCHIVED}),
    CallState.ARCHIVED: frozenset(),
}


def _require_staff(actor: User | None) -> None:
    if actor is None or not is_consortium_staff(actor):
        raise PermissionDenied(_("Only consortium staff can manage calls."))


def lock_call(call: Call) -> Call:
    """Re-read the call locked for update (budgets, counters and states change under it)."""
    return Call.objects.select_for_update().get(pk=call.pk)


def ensure_configurable(call: Call, *, now: datetime | None = None) -> None:
    """The rules of a call (caps, consortium rules, criteria, questions) are fixed once it opens."""
    if call.state_at(now or timezone.now()) not in (CallState.DRAFT, CallState.PUBLISHED):
        raise ValidationError(
            _("The call is open: its caps, rules and questions can no longer change.")
        )


def create_call(*, actor: User, data: dict[str, Any]) -> Call:
    _require_staff(actor)
    call = Call(**data, created_by=actor, state=CallState.DRAFT)
    call.full_clean()
    with transaction.atomic():
        call.save()
        record(
            action="calls.call.created",
            target=call,
            actor=actor,
            data={"slug": call.slug, "rules": call_rules(call)},
        )
    return call


def update_call(*, call: Call, actor: User, data: dict[str, Any]) -> Call:
    """Change a call's fields. Once open, only the wording may change (use `extend_deadline`)."""
    _require_staff(actor)
    with transaction.atomic():
        call = lock_call(call)
        changed = {
            name: (getattr(call, name), value)
            for name, value in data.items()
            if getattr(call, name) != value
        }
        if not changed:
            return call
        before = {name: field_value(call, name) for name in changed}
        moving = set(changed) - WORDING_FIELDS
        if moving:
            try:
                ensure_configurable(call)
            except ValidationError:
                raise ValidationError(
                    _("The call is open: %(fields)s can no longer change.")
                    % {"fields": ", ".join(sorted(moving))}
                ) from None
        for name, (_old, value) in changed.items():
            setattr(call, name, value)
        call.full_clean()
        if call.state == CallState.PUBLISHED:
            problems = call_configuration_problems(call)
            if problems:
                raise ValidationError([p.message for p in problems])
        call.save()
        results_changed(call.pk)  # thresholds, budget, tie-break chain, divergence rules
        record(
            action="calls.call.updated",
            target=call,
            actor=actor,
            data={
                "fields": sorted(changed),
                "before": before,
                "after": {name: field_value(call, name) for name in changed},
            },
        )
    return call


def publish_call(*, call: Call, actor: User, acknowledge_short_window: bool = False) -> Call:
    """Publish after checking the whole configuration; every problem is listed at once."""
    _require_staff(actor)
    with transaction.atomic():
        call = lock_call(call)
        if call.state != CallState.DRAFT:
            raise ValidationError(_("Only a draft call can be published."))
        problems = call_configuration_problems(call)
        if problems:
            raise ValidationError([ValidationError(p.message, code=p.step) for p in problems])
        if short_window(call) and not acknowledge_short_window:
            raise ValidationError(
                _(
                    "The call is open for less than 8 weeks. Confirm that this is intended to "
                    "publish it."
                ),
                code="short_window",
            )
        call.state = CallState.PUBLISHED
        call.published_at = timezone.now()
        call.short_window_acknowledged = short_window(call)
        call.save(update_fields=["state", "published_at", "short_window_acknowledged"])
        record(
            action="calls.call.published",
            target=call,
            actor=actor,
            data={
                "opens_at": call.opens_at,
                "closes_at": call.closes_at,
                "short_window_acknowledged": call.short_window_acknowledged,
                "rules": call_rules(call),
            },
        )
    return call


def extend_deadline(*, call: Call, closes_at: datetime, actor: User) -> Call:
    """Move the deadline later while the call is published or open; every applicant is told."""
    _require_staff(actor)
    with transaction.atomic():
        call = lock_call(call)
        refusal = deadline_extension_refusal(call, timezone.now())
        if refusal:
            raise ValidationError(refusal)
        if closes_at <= call.closes_at:
            raise ValidationError(_("The new deadline must be later than the current one."))
        old = call.closes_at
        call.closes_at = closes_at
        call.save(update_fields=["closes_at"])
        local = closes_at.astimezone(call.tz)
        enqueue(
            template="calls/deadline_extended",
            subject=_("New deadline for %(call)s") % {"call": call.title},
            recipients=selectors.applicants_to_notify(call),
            context={
                "site_url": settings.SITE_URL,
                "call_title": call.title,
                "call_slug": call.slug,
                "closes_at": date_format(local, "DATETIME_FORMAT"),
                "time_zone": call.time_zone,
            },
        )
        record(
            action="calls.call.deadline_extended",
            target=call,
            actor=actor,
            data={"old": old, "new": closes_at},
        )
    return call


def call_transition(*, call: Call, to_state: str, actor: User | None) -> Call:
    """Move a call along its life cycle (evaluating, decided, results published, archived)."""
    if actor is not None:
        _require_staff(actor)
    with transaction.atomic():
        call = lock_call(call)
        current = call.state_at(timezone.now())
        if to_state not in CALL_TRANSITIONS.get(current, frozenset()):
            raise ValidationError(
                _("A call cannot go from “%(from)s” to “%(to)s”.")
                % {"from": CallState(current).label, "to": CallState(to_state).label}
            )
        old = call.state
        call.state = to_state
        call.save(update_fields=["state"])
        record(
            action=f"calls.call.{to_state}",
            target=call,
            actor=actor,
            data={"from": old, "to": to_state},
        )
    return call


def save_call_items(*, call: Call, actor: User, formset: BaseInlineFormSet, what: str) -> None:
    """Save a validated formset of the call's configurable lists (voucher types, criteria,
    questions, attachments asked for); refused once the call is open. The ledger entry holds
    the list before and after."""
    _require_staff(actor)
    if what not in ITEM_FIELDS:
        raise ValueError(f"unknown list of a call: {what!r}")
    with transaction.atomic():
        call = lock_call(call)
        ensure_configurable(call)
        before = item_values(call, what)
        formset.save()
        results_changed(call.pk)  # criteria: names, weights, maxima, thresholds
        if what == "criteria":
            # Renaming or removing a criterion must not leave the ranking a step it cannot read.
            problems = tie_break_problems(
                call.tie_break_chain or [], [c.name for c in call.criteria.all()]
            )
            if problems:
                raise ValidationError(problems)
        record(
            action="calls.call.configured",
            target=call,
            actor=actor,
            data={"what": what, "before": before, "after": item_values(call, what)},
        )


def add_call_document(
    *, call: Call, actor: User, title: str, upload: UploadedFile, kind: str
) -> CallDocument:
    """Attach a public document (guide, template) to the call; possible at any time."""
    _require_staff(actor)
    with transaction.atomic():
        document = CallDocument(call=call, title=title, kind=kind)
        document.file.save("document", upload, save=False)
        document.save()
        record(
            action="calls.call.document_added",
            target=call,
            actor=actor,
            data={"document": document.pk},
            notes={"title": title},  # typed text (it may hold an address): kept erasable
        )
    return document


def remove_call_document(*, document: CallDocument, actor: User) -> None:
    _require_staff(actor)
    with transaction.atomic():
        call = lock_call(document.call)
        record(
            action="calls.call.document_removed",
            target=call,
            actor=actor,
            data={"document": document.pk},
            notes={"title": document.title},
        )
        document.delete()
