"""Writes of the partner directory: profiles, expressions of interest, blocks.

Every function checks the permission, validates, runs in one transaction and, for state
changes (publish, send, accept, decline, block), appends to the audit ledger last. Profile
edits are not ledger events (like a draft's autosave).
"""

from collections.abc import Iterable, Mapping
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Membership, Organisation, User
from accounts.rules import is_organisation_admin, is_organisation_member
from calls import services as calls_services
from calls.models import Application, Call, ConsortiumMember
from matchmaking import directory, search, selectors, tally, vocab
from matchmaking.keyword_bits import keyword_mask
from matchmaking.models import ExpressionOfInterest, OrganisationBlock, PartnerProfile
from minegap.ledger.services import record
from minegap.notifications.services import enqueue

MAX_ITEMS = 10  # offers, and requests, per profile
MAX_ITEM_TITLE = 120
MAX_ITEM_DESCRIPTION = 1000
MAX_KEYWORDS = 20
MAX_KEYWORD_LENGTH = 40
MAX_MESSAGE_LENGTH = 1000
DEFAULT_DAILY_INTEREST_LIMIT = 10
# A pending expression of interest left unanswered this long expires (beat task
# `matchmaking.tasks.expire_interests`; until it runs, answering or withdrawing it is refused).
INTEREST_LIFETIME = timedelta(days=30)


def daily_interest_limit() -> int:
    """Expressions of interest one organisation may send in 24 hours (setting to override)."""
    return int(getattr(settings, "MATCHMAKING_DAILY_INTEREST_LIMIT", DEFAULT_DAILY_INTEREST_LIMIT))


# Profiles ---------------------------------------------------------------------------------------


def _clean_items(items: Iterable[Mapping[str, Any]], field: str) -> list[dict[str, str]]:
    cleaned = []
    for item in items or []:
        title = str(item.get("title", "") or "").strip()
        description = str(item.get("description", "") or "").strip()
        if not title and not description:
            continue
        if not title:
            raise ValidationError({field: _("Each item needs a short title.")})
        if len(title) > MAX_ITEM_TITLE or len(description) > MAX_ITEM_DESCRIPTION:
            raise ValidationError(
                {
                    field: _(
                        "Keep titles under %(title)s and descriptions under %(text)s characters."
                    )
                    % {"title": MAX_ITEM_TITLE, "text": MAX_ITEM_DESCRIPTION}
                }
            )
        cleaned.append({"title": title, "description": description})
    if len(cleaned) > MAX_ITEMS:
        raise ValidationError({field: _("At most %(n)s items.") % {"n": MAX_ITEMS}})
    return cleaned


def clean_keywords(keywords: Iterable[str] | str) -> list[str]:
    """Lower-cased, trimmed, unique keywords in their given order (a string is split on commas)."""
    if isinstance(keywords, str):
        keywords = keywords.split(",")
    cleaned: list[str] = []
    for keyword in keywords or []:
        word = " ".join(str(keyword).split()).lower()
        if not word or word in cleaned:
            continue
        if len(word) > MAX_KEYWORD_LENGTH:
            raise ValidationError(
                {
                    "keywords": _("Keywords are at most %(n)s characters.")
                    % {"n": MAX_KEYWORD_LENGTH}
                }
            )
        cleaned.append(word)
    if len(cleaned) > MAX_KEYWORDS:
        raise ValidationError({"keywords": _("At most %(n)s keywords.") % {"n": MAX_KEYWORDS}})
    return cleaned


def _check_codes(values: Iterable[str], allowed: Iterable[str], field: str) -> list[str]:
    values = list(dict.fromkeys(values or []))
    allowed = list(allowed)
    unknown = [v for v in values if v not in allowed]
    if unknown:
        raise ValidationError({field: _("Unknown value: %(v)s.") % {"v": ", ".join(unknown)}})
    return [code for code in allowed if code in values]


def derived_texts(
    *, keywords: list[str], offers: list[dict[str, str]], requests: list[dict[str, str]]
) -> tuple[str, str]:
    """(keywords_text, offers_requests_text) of a profile, from its cleaned values.

    Keywords become "|a|b|": whole-keyword matching with a portable LIKE (recommendations),
    still tokenised by full-text search.
    """
    keywords_text = "|{}|".format("|".join(keywords)) if keywords else ""
    offers_requests_text = "\n".join(
        f"{item['title']}. {item['description']}" for item in [*offers, *requests]
    )
    return keywords_text, offers_requests_text


def organisation_columns(organisation: Organisation) -> dict[str, str]:
    """The organisation's values a profile keeps a copy of (for sorting, filters and counts)."""
    return {
        "name": organisation.legal_name,
        "country": organisation.country,
        "nuts_region": organisation.nuts_region or "",
    }


def sync_organisation(*, organisation: Organisation) -> int:
    """Copy a changed organisation's name, country and region into its profile (and vector)."""
    with transaction.atomic():
        profiles = PartnerProfile.objects.filter(organisation=organisation)
        changed = list(profiles.exclude(**organisation_columns(organisation)).select_for_update())
        updated = profiles.filter(pk__in=[p.pk for p in changed]).update(
            **organisation_columns(organisation)
        )
        if updated:
            for profile in changed:
                before = tally.contributions(profile)
                for name, value in organisation_columns(organisation).items():
                    setattr(profile, name, value)
                tally.record_change(before, tally.contributions(profile))
            search.refresh_search_vectors(profiles)
            directory.directory_changed()
    return updated


def save_profile(
    *,
    organisation: Organisation,
    actor: User,
    summary: str,
    role_sought: str,
    expertise: str = "",
    offers: Iterable[Mapping[str, Any]] = (),
    requests: Iterable[Mapping[str, Any]] = (),
    stages: Iterable[str] = (),
    sectors: Iterable[str] = (),
    raw_materials: Iterable[str] = (),
    keywords: Iterable[str] | str = (),
    trl: int | None = None,
    languages: Iterable[str] = (),
    contact_person: User | None = None,
    call: Call | None = None,
) -> PartnerProfile:
    """Create or update `organisation`'s profile (its status is left as it is)."""
    if not is_organisation_admin(actor, organisation):
        raise PermissionDenied(_("Only an administrator of the organisation can edit its profile."))
    summary = (summary or "").strip()
    errors: dict[str, str] = {}
    if not summary:
        errors["summary"] = _("Say in a few sentences what your organisation does.")
    elif len(summary) > 1000:
        errors["summary"] = _("Keep the summary under 1,000 characters.")
    if len(expertise or "") > 2000:
        errors["expertise"] = _("Keep the expertise under 2,000 characters.")
    if role_sought not in vocab.Role.values:
        errors["role_sought"] = _("Choose adopter, provider, or both.")
    if trl not in (None, "") and (not str(trl).isdecimal() or not 1 <= int(trl) <= 9):
        errors["trl"] = _("The technology readiness level is between 1 and 9.")
    if errors:
        raise ValidationError(errors)
    values = {
        "summary": summary,
        "expertise": (expertise or "").strip(),
        "role_sought": role_sought,
        "trl": int(trl) if trl not in (None, "") else None,
        "offers": _clean_items(offers, "offers"),
        "requests": _clean_items(requests, "requests"),
        "stages": _check_codes(stages, vocab.Stage.values, "stages"),
        "sectors": _check_codes(sectors, vocab.Sector.values, "sectors"),
        "raw_materials": _check_codes(raw_materials, vocab.RawMaterial.values, "raw_materials"),
        "keywords": clean_keywords(keywords),
        "languages": _check_codes(languages, vocab.LANGUAGES, "languages"),
    }
    if (
        contact_person is not None
        and not Membership.objects.filter(organisation=organisation, user=contact_person).exists()
    ):
        raise ValidationError({"contact_person": _("The contact person must be a member.")})
    values["contact_person"] = contact_person
    current = selectors.profile_of(organisation)
    unchanged_call = call is not None and current is not None and current.call_id == call.pk
    if (
        call is not None
        and not unchanged_call
        and not selectors.calls_seeking_partners().filter(pk=call.pk).exists()
    ):
        raise ValidationError({"call": _("Choose a call that is published or open.")})
    values["call"] = call
    values.update(organisation_columns(organisation))
    values["keywords_text"], values["offers_requests_text"] = derived_texts(
        keywords=values["keywords"], offers=values["offers"], requests=values["requests"]
    )
    values["keyword_bits"] = keyword_mask(values["keywords"])
    with transaction.atomic():
        before = (
            PartnerProfile.objects.select_for_update().filter(organisation=organisation).first()
        )
        listed_before = tally.contributions(before)
        profile, _created = PartnerProfile.objects.select_for_update().update_or_create(
            organisation=organisation, defaults=values
        )
        tally.record_change(listed_before, tally.contributions(profile))
        search.refresh_search_vectors(PartnerProfile.objects.filter(pk=profile.pk))
    directory.directory_changed()
    return profile


def publish_profile(*, profile: PartnerProfile, actor: User) -> PartnerProfile:
    if not is_organisation_admin(actor, profile.organisation):
        raise PermissionDenied(_("Only an administrator of the organisation can publish it."))
    with transaction.atomic():
        profile = PartnerProfile.objects.select_for_update().get(pk=profile.pk)
        if profile.is_published:
            raise ValidationError(_("The profile is already published."))
        if not profile.summary or not profile.role_sought:
            raise ValidationError(_("Fill in at least the summary and the role before publishing."))
        profile.status = PartnerProfile.Status.PUBLISHED
        profile.published_at = timezone.now()
        profile.save(update_fields=["status", "published_at", "updated_at"])
        tally.record_change(set(), tally.contributions(profile))
        record(action="matchmaking.profile.published", target=profile, actor=actor)
    directory.directory_changed()
    return profile


def unpublish_profile(*, profile: PartnerProfile, actor: User) -> PartnerProfile:
    if not is_organisation_admin(actor, profile.organisation):
        raise PermissionDenied(_("Only an administrator of the organisation can unpublish it."))
    with transaction.atomic():
        profile = PartnerProfile.objects.select_for_update().get(pk=profile.pk)
        if not profile.is_published:
            raise ValidationError(_("The profile is not published."))
        listed = tally.contributions(profile)
        profile.status = PartnerProfile.Status.DRAFT
        profile.published_at = None
        profile.save(update_fields=["status", "published_at", "updated_at"])
        tally.record_change(listed, set())
        record(action="matchmaking.profile.unpublished", target=profile, actor=actor)
    directory.directory_changed()
    return profile


# Expressions of interest ------------------------------------------------------------------------


def _people(*users: User | None) -> list[User]:
    seen, people = set(), []
    for user in users:
        if user is not None and user.email not in seen:
            seen.add(user.email)
            people.append(user)
    return people


def _inbox_url() -> str:
    return settings.SITE_URL.rstrip("/") + reverse("matchmaking:interests")


def send_interest(
    *, sender: Organisation, receiver: Organisation, actor: User, message: str
) -> ExpressionOfInterest:
    """`actor`, on behalf of `sender`, writes to `receiver` (whose profile must be published)."""
    if not is_organisation_member(actor, sender):
        raise PermissionDenied(_("You can only write on behalf of your own organisation."))
    message = (message or "").strip()
    if not message:
        raise ValidationError({"message": _("Write a short message.")})
    if len(message) > MAX_MESSAGE_LENGTH:
        raise ValidationError(
            {"message": _("Keep the message under %(n)s characters.") % {"n": MAX_MESSAGE_LENGTH}}
        )
    if sender.pk == receiver.pk:
        raise ValidationError(_("You cannot send an expression of interest to yourself."))
    with transaction.atomic():
        # One sender at a time: the daily count and the pending check cannot race.
        Organisation.objects.select_for_update().filter(pk=sender.pk).first()
        sender_profile = selectors.profile_of(sender)
        if sender_profile is None or not sender_profile.is_published:
            raise ValidationError(
                _("Publish your organisation's profile first, so that they can see who you are.")
            )
        receiver_profile = selectors.profile_of(receiver)
        if receiver_profile is None or not receiver_profile.is_published:
            raise ValidationError(_("This organisation is not in the directory."))
        if selectors.is_blocked(blocker=receiver, blocked=sender):
            raise ValidationError(_("This organisation does not accept messages from yours."))
        if selectors.is_blocked(blocker=sender, blocked=receiver):
            raise ValidationError(_("Your organisation blocked this one: unblock it first."))
        stale_between = (
            _stale_pending()
            .filter(Q(sender=sender, receiver=receiver) | Q(sender=receiver, receiver=sender))
            .select_for_update(of=("self",))
            .select_related("sender", "receiver", "sent_by")
        )
        for stale in stale_between:
            _expire(stale)
        if selectors.pending_between(sender, receiver) is not None:
            raise ValidationError(
                _("An expression of interest between your organisations is waiting for an answer.")
            )
        since = timezone.now() - timedelta(days=1)
        sent_today = ExpressionOfInterest.objects.filter(
            sender=sender, created_at__gte=since
        ).count()
        limit = daily_interest_limit()
        if sent_today >= limit:
            raise ValidationError(
                _(
                    "Your organisation has sent %(n)s expressions of interest in the last 24 hours, "
                    "the most allowed. Try again tomorrow."
                )
                % {"n": limit}
            )
        interest = ExpressionOfInterest.objects.create(
            sender=sender, receiver=receiver, sent_by=actor, message=message
        )
        recipients = _people(selectors.contact_person(receiver, receiver_profile))
        enqueue(
            template="matchmaking/interest_received",
            subject=_("%(org)s would like to work with you") % {"org": sender.legal_name},
            recipients=recipients,
            context={
                "sender": sender.legal_name,
                "receiver": receiver.legal_name,
                "message": message,
                "url": _inbox_url(),
            },
        )
        record(
            action="matchmaking.interest.sent",
            target=interest,
            actor=actor,
            data={"sender": sender.pk, "receiver": receiver.pk},
        )
    return interest


def _answer(*, interest: ExpressionOfInterest, actor: User, status: str) -> ExpressionOfInterest:
    if not is_organisation_member(actor, interest.receiver):
        raise PermissionDenied(_("Only the receiving organisation can answer."))
    with transaction.atomic():
        interest = (
            ExpressionOfInterest.objects.select_for_update(of=("self",))
            .select_related("sender", "receiver", "sent_by")
            .get(pk=interest.pk)
        )
        if interest.status != ExpressionOfInterest.Status.PENDING:
            raise ValidationError(_("This expression of interest was already answered."))
        if is_stale(interest):
            raise ValidationError(_("This expression of interest expired without an answer."))
        interest.status = status
        interest.answered_by = actor
        interest.answered_at = timezone.now()
        interest.save(update_fields=["status", "answered_by", "answered_at"])
        sender_side = _people(interest.sent_by, selectors.contact_person(interest.sender))
        context = {"sender": interest.sender.legal_name, "receiver": interest.receiver.legal_name}
        context["url"] = _inbox_url()
        if status == ExpressionOfInterest.Status.ACCEPTED:
            enqueue(
                template="matchmaking/interest_accepted",
                subject=_("You are now in contact with %(org)s")
                % {"org": interest.receiver.legal_name},
                recipients=sender_side,
                context={**context, "other": interest.receiver.legal_name},
            )
            enqueue(
                template="matchmaking/interest_accepted",
                subject=_("You are now in contact with %(org)s")
                % {"org": interest.sender.legal_name},
                recipients=_people(selectors.contact_person(interest.receiver), actor),
                context={**context, "other": interest.sender.legal_name},
            )
        else:
            enqueue(
                template="matchmaking/interest_declined",
                subject=_("%(org)s declined your expression of interest")
                % {"org": interest.receiver.legal_name},
                recipients=sender_side,
                context=context,
            )
        record(action=f"matchmaking.interest.{status}", target=interest, actor=actor)
    return interest


def accept_interest(*, interest: ExpressionOfInterest, actor: User) -> ExpressionOfInterest:
    """Both sides now see each other's contact person; both are notified."""
    return _answer(interest=interest, actor=actor, status=ExpressionOfInterest.Status.ACCEPTED)


def decline_interest(*, interest: ExpressionOfInterest, actor: User) -> ExpressionOfInterest:
    return _answer(interest=interest, actor=actor, status=ExpressionOfInterest.Status.DECLINED)


def is_stale(interest: ExpressionOfInterest, *, now=None) -> bool:
    """Pending for longer than INTEREST_LIFETIME (expired, whether or not the task ran yet)."""
    now = now or timezone.now()
    return (
        interest.status == ExpressionOfInterest.Status.PENDING
        and interest.created_at <= now - INTEREST_LIFETIME
    )


def _stale_pending(now=None):
    now = now or timezone.now()
    return ExpressionOfInterest.objects.filter(
        status=ExpressionOfInterest.Status.PENDING, created_at__lte=now - INTEREST_LIFETIME
    )


def withdraw_interest(*, interest: ExpressionOfInterest, actor: User) -> ExpressionOfInterest:
    """The sender takes back an expression of interest that is still waiting for an answer."""
    if not is_organisation_member(actor, interest.sender):
        raise PermissionDenied(_("Only the sending organisation can withdraw it."))
    with transaction.atomic():
        interest = (
            ExpressionOfInterest.objects.select_for_update(of=("self",))
            .select_related("sender", "receiver")
            .get(pk=interest.pk)
        )
        if interest.status != ExpressionOfInterest.Status.PENDING or is_stale(interest):
            raise ValidationError(
                _("Only an expression of interest waiting for an answer can be withdrawn.")
            )
        interest.status = ExpressionOfInterest.Status.WITHDRAWN
        interest.answered_at = timezone.now()
        interest.save(update_fields=["status", "answered_at"])
        enqueue(
            template="matchmaking/interest_withdrawn",
            subject=_("%(org)s withdrew its expression of interest")
            % {"org": interest.sender.legal_name},
            recipients=_people(selectors.contact_person(interest.receiver)),
            context={"sender": interest.sender.legal_name, "url": _inbox_url()},
        )
        record(action="matchmaking.interest.withdrawn", target=interest, actor=actor)
    return interest


def _expire(interest: ExpressionOfInterest) -> None:
    """Inside a transaction, on a locked pending interest: it expired; the sender is told."""
    interest.status = ExpressionOfInterest.Status.EXPIRED
    interest.answered_at = timezone.now()
    interest.save(update_fields=["status", "answered_at"])
    enqueue(
        template="matchmaking/interest_expired",
        subject=_("%(org)s did not answer your expression of interest")
        % {"org": interest.receiver.legal_name},
        recipients=_people(interest.sent_by, selectors.contact_person(interest.sender)),
        context={
            "receiver": interest.receiver.legal_name,
            "days": INTEREST_LIFETIME.days,
            "url": _inbox_url(),
        },
    )
    record(
        action="matchmaking.interest.expired",
        target=interest,
        data={"days": INTEREST_LIFETIME.days},
    )


def expire_interests(*, now=None, batch: int = 200) -> int:
    """Expire the pending interests older than INTEREST_LIFETIME; returns how many."""
    expired = 0
    while True:
        with transaction.atomic():
            stale = list(
                _stale_pending(now)
                .select_for_update(of=("self",), skip_locked=True)
                .select_related("sender", "receiver", "sent_by")
                .order_by("created_at", "pk")[:batch]
            )
            for interest in stale:
                _expire(interest)
        expired += len(stale)
        if len(stale) < batch:
            return expired


# Blocks -----------------------------------------------------------------------------------------


def block_organisation(
    *, blocker: Organisation, blocked: Organisation, actor: User
) -> OrganisationBlock:
    """`actor` blocks `blocked` for `blocker`: its pending interests to `blocker` are declined."""
    if not is_organisation_member(actor, blocker):
        raise PermissionDenied(_("You can only block on behalf of your own organisation."))
    if blocker.pk == blocked.pk:
        raise ValidationError(_("An organisation cannot block itself."))
    with transaction.atomic():
        block, created = OrganisationBlock.objects.get_or_create(
            blocker=blocker, blocked=blocked, defaults={"blocked_by": actor}
        )
        if not created:
            raise ValidationError(_("This organisation is already blocked."))
        ExpressionOfInterest.objects.filter(
            sender=blocked, receiver=blocker, status=ExpressionOfInterest.Status.PENDING
        ).update(
            status=ExpressionOfInterest.Status.DECLINED,
            answered_by=actor,
            answered_at=timezone.now(),
        )
        record(
            action="matchmaking.organisation.blocked",
            target=block,
            actor=actor,
            data={"blocker": blocker.pk, "blocked": blocked.pk},
        )
    return block


def unblock_organisation(*, blocker: Organisation, blocked: Organisation, actor: User) -> None:
    if not is_organisation_member(actor, blocker):
        raise PermissionDenied(_("You can only unblock on behalf of your own organisation."))
    with transaction.atomic():
        deleted, _rows = OrganisationBlock.objects.filter(blocker=blocker, blocked=blocked).delete()
        if not deleted:
            raise ValidationError(_("This organisation is not blocked."))
        record(
            action="matchmaking.organisation.unblocked",
            target=blocked,
            actor=actor,
            data={"blocker": blocker.pk, "blocked": blocked.pk},
        )


# From contact to consortium ---------------------------------------------------------------------


def invite_contact(
    *, interest: ExpressionOfInterest, application: Application, actor: User
) -> ConsortiumMember:
    """Invite the other side of an accepted contact into `actor`'s draft application.

    One step for the lead: the calls app's `invite_partner` checks that `actor` administers the
    lead organisation, that the application is still editable and that there is room; it
    notifies the invited organisation and writes the ledger.
    """
    if interest.status != ExpressionOfInterest.Status.ACCEPTED:
        raise ValidationError(_("Only an accepted contact can be invited."))
    lead_id = application.lead_organisation_id
    if lead_id not in (interest.sender_id, interest.receiver_id):
        raise PermissionDenied(_("This contact is not one of the lead organisation's."))
    other = interest.receiver if interest.sender_id == lead_id else interest.sender
    with transaction.atomic():
        return calls_services.invite_partner(
            application=application, organisation=other, invited_by=actor
        )
