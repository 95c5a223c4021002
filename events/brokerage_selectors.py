"""Reads of a brokerage event: its participants (searched and recommended with the partner
directory's search and scoring), a participant's requests and meetings, the grid's slots."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from events import brokerage_grid
from events.models import (
    BrokerageProfile,
    BrokerageSettings,
    Event,
    Meeting,
    MeetingRequest,
    MeetingRequestState,
    Registration,
    RegistrationStatus,
)
from matchmaking import blocks, search
from matchmaking.directory import published_profiles
from matchmaking.models import PartnerProfile
from matchmaking.recommendations import eligible_countries, reasons, score_of


def texts_of_partner_profile(profile: PartnerProfile | None) -> tuple[str, str]:
    """Offer and seek worded from a partner profile's offers and requests (title: description)."""
    if profile is None:
        return "", ""

    def lines(items) -> str:
        return "\n".join(
            ": ".join(part for part in (item.get("title", ""), item.get("description", "")) if part)
            for item in items
            if isinstance(item, dict)
        )[:2000]

    return lines(profile.offers), lines(profile.requests)


def _partner_profile(registration: Registration) -> PartnerProfile | None:
    organisation = registration.organisation
    if organisation is None or not hasattr(organisation, "partner_profile"):
        return None
    return organisation.partner_profile


@dataclass(frozen=True)
class ShownTexts:
    offer: str
    seek: str
    published: bool  # False: the partner profile's texts, shown until the participant publishes


def shown_texts(registration: Registration) -> ShownTexts:
    """What the directory shows of a participant (relations preloaded by `participants`)."""
    mine = getattr(registration, "brokerage_profile", None)
    if mine is not None and mine.published_at is not None:
        return ShownTexts(mine.offer, mine.seek, True)
    profile = _partner_profile(registration)
    if profile is not None and profile.is_published:
        return ShownTexts(*texts_of_partner_profile(profile), False)
    return ShownTexts("", "", False)


def has_no_chosen_time_left(profile: BrokerageProfile | None) -> bool:
    """Every time the participant chose has left the grid (staff changed it): they are offered
    for no meeting until they choose again. None, "the whole grid", is not this."""
    return profile is not None and profile.available_slots == []


def participants(event: Event) -> QuerySet[Registration]:
    """Confirmed participants, by organisation name, with what the directory shows of them."""
    return (
        Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED)
        .select_related("user", "organisation__partner_profile", "brokerage_profile")
        .order_by("organisation__legal_name", "pk")
    )


def directory(event: Event, me: Registration | None, q: str = "") -> QuerySet[Registration]:
    """The other participants that `me` may see (not organisations blocked either way, not my
    own organisation), matching `q`: the partner directory's full-text search over their
    partner profiles, or every word in their name or published offer and seek."""
    queryset = participants(event)
    if me is not None:
        queryset = queryset.exclude(pk=me.pk)
        if me.organisation is not None:
            queryset = queryset.exclude(organisation=me.organisation).exclude(
                blocks.hidden_from(me.organisation)
            )
    q = q.strip()
    if not q:
        return queryset
    profiles, _ranked = search.apply_text_search(
        published_profiles().filter(organisation_id__in=queryset.values("organisation_id")), q
    )
    words = Q()
    for word in q.split()[:10]:
        words &= (
            Q(organisation__legal_name__icontains=word)
            | Q(
                brokerage_profile__published_at__isnull=False,
                brokerage_profile__offer__icontains=word,
            )
            | Q(
                brokerage_profile__published_at__isnull=False,
                brokerage_profile__seek__icontains=word,
            )
        )
    matching = set(profiles.values_list("organisation_id", flat=True))
    return queryset.filter(Q(organisation_id__in=matching) | words)


@dataclass(frozen=True)
class Suggestion:
    registration: Registration
    score: int
    reasons: list[str]


def recommended(event: Event, me: Registration, *, limit: int = 5) -> list[Suggestion]:
    """The participants the partner directory's "Partners for you" scores best for my
    organisation's profile (same points, same reasons), among those I may see."""
    mine = (
        PartnerProfile.objects.select_related("call", "organisation")
        .filter(organisation_id=me.organisation_id)
        .first()
    )
    if mine is None:
        return []
    eligible = eligible_countries(mine)
    score = score_of(mine, mine.organisation, eligible)
    others = {r.organisation_id: r for r in directory(event, me)}
    best = (
        published_profiles()
        .filter(organisation_id__in=list(others))
        .select_related("organisation")
        .defer("search_vector", "offers_requests_text")
        .alias(score=score)
        .filter(score__gt=0)
        .annotate(score=score)
        .order_by("-score", "name", "pk")[:limit]
    )
    return [
        Suggestion(others[p.organisation_id], p.score, reasons(mine, p, eligible=eligible))
        for p in best
    ]


def requests_with(me: Registration) -> dict[int, MeetingRequest]:
    """My active requests (either way), by the other participant's registration id."""
    found = MeetingRequest.objects.filter(
        Q(requester=me) | Q(addressee=me), state__in=MeetingRequestState.active()
    )
    return {(r.addressee_id if r.requester_id == me.pk else r.requester_id): r for r in found}


def _requests() -> QuerySet[MeetingRequest]:
    return MeetingRequest.objects.select_related(
        "requester__organisation", "addressee__organisation", "meeting"
    ).order_by("-created_at", "-pk")


def received_requests(me: Registration) -> QuerySet[MeetingRequest]:
    return _requests().filter(addressee=me)


def sent_requests(me: Registration) -> QuerySet[MeetingRequest]:
    return _requests().filter(requester=me)


def meetings_of(me: Registration) -> QuerySet[Meeting]:
    """My placed meetings, in time order, with both sides."""
    return (
        Meeting.objects.filter(seats__participant=me)
        .select_related("request__requester__organisation", "request__addressee__organisation")
        .order_by("slot", "pk")
    )


def grid_settings(event: Event) -> BrokerageSettings | None:
    return BrokerageSettings.objects.filter(event=event).select_related("event").first()


def slots_of(event: Event) -> list[brokerage_grid.Slot]:
    settings = grid_settings(event)
    return brokerage_grid.event_slots(settings) if settings else []


def placed_count(event: Event) -> int:
    return Meeting.objects.filter(event=event).count()
