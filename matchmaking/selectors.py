"""Reads of the partner directory: organisations a person acts for, contacts, blocks, inboxes."""

from django.db.models import Case, F, Q, QuerySet, Value, When
from django.utils import timezone

from accounts.models import Membership, Organisation, User
from accounts.rules import is_organisation_admin
from calls.models import Application, ApplicationState, Call, CallState
from matchmaking.models import ExpressionOfInterest, OrganisationBlock, PartnerProfile

# The multi-valued facets the public site shows funding by (bit sets, see matchmaking.fields).
PUBLIC_FACETS = ("stages", "sectors", "raw_materials")


def calls_seeking_partners() -> QuerySet[Call]:
    """Calls a profile may say it looks for partners for: published or open, deadline ahead."""
    return (
        Call.objects.filter(state__in=[CallState.PUBLISHED, CallState.OPEN])
        .filter(Q(closes_at__isnull=True) | Q(closes_at__gt=timezone.now()))
        .order_by("closes_at", "title")
    )


def organisations_of(user: User) -> list[Organisation]:
    """The organisations `user` belongs to, administrators' ones first."""
    if not getattr(user, "is_authenticated", False):
        return []
    memberships = (
        Membership.objects.filter(user=user)
        .select_related("organisation")
        .order_by("created_at", "pk")
    )
    ordered = sorted(memberships, key=lambda m: m.role != Membership.Role.ADMIN)  # stable sort
    return [m.organisation for m in ordered]


def acting_organisation(
    user: User, organisation_id: int | str | None = None
) -> Organisation | None:
    """The organisation `user` acts for: the one asked for if they belong to it, else their first."""
    organisations = organisations_of(user)
    if organisation_id not in (None, ""):
        return next((o for o in organisations if str(o.pk) == str(organisation_id)), None)
    return organisations[0] if organisations else None


def profile_of(organisation: Organisation | None) -> PartnerProfile | None:
    if organisation is None:
        return None
    return PartnerProfile.objects.filter(organisation=organisation).first()


def contact_person(
    organisation: Organisation, profile: PartnerProfile | None = None
) -> User | None:
    """The profile's chosen contact if still a member, else the organisation's first admin."""
    profile = profile if profile is not None else profile_of(organisation)
    members = Membership.objects.filter(organisation=organisation).select_related("user")
    if profile is not None and profile.contact_person_id:
        chosen = members.filter(user_id=profile.contact_person_id).first()
        if chosen is not None:
            return chosen.user
    first_admin = (
        members.filter(role=Membership.Role.ADMIN, user__is_active=True)
        .order_by("created_at", "pk")
        .first()
    )
    return first_admin.user if first_admin is not None else None


def is_blocked(*, blocker: Organisation, blocked: Organisation) -> bool:
    return OrganisationBlock.objects.filter(blocker=blocker, blocked=blocked).exists()


def blocked_ids(organisation: Organisation) -> set[int]:
    """Organisations that `organisation` blocked, or that blocked it: hidden from each other."""
    made = OrganisationBlock.objects.filter(blocker=organisation).values_list(
        "blocked_id", flat=True
    )
    received = OrganisationBlock.objects.filter(blocked=organisation).values_list(
        "blocker_id", flat=True
    )
    return set(made) | set(received)


def blocks_made(organisation: Organisation) -> QuerySet[OrganisationBlock]:
    return (
        OrganisationBlock.objects.filter(blocker=organisation)
        .select_related("blocked__partner_profile")
        .order_by("blocked__legal_name")
    )


def have_accepted_contact(a: Organisation, b: Organisation) -> bool:
    return ExpressionOfInterest.objects.filter(
        Q(sender=a, receiver=b) | Q(sender=b, receiver=a),
        status=ExpressionOfInterest.Status.ACCEPTED,
    ).exists()


def revealed_contact(*, viewer: Organisation | None, other: Organisation) -> dict[str, str] | None:
    """The other side's contact person and e-mail, only once an interest between them was accepted."""
    if viewer is None or viewer.pk == other.pk or not have_accepted_contact(viewer, other):
        return None
    person = contact_person(other)
    if person is None:
        return None
    return {"name": person.full_name, "email": person.email}


def interests_for(organisation: Organisation) -> QuerySet[ExpressionOfInterest]:
    """Interests sent or received by `organisation`, newest first, parties loaded in one query."""
    return (
        ExpressionOfInterest.objects.filter(Q(sender=organisation) | Q(receiver=organisation))
        .select_related("sender", "receiver", "sent_by")
        .order_by("-created_at", "-pk")
    )


def pending_between(a: Organisation, b: Organisation) -> ExpressionOfInterest | None:
    return (
        ExpressionOfInterest.objects.filter(
            Q(sender=a, receiver=b) | Q(sender=b, receiver=a),
            status=ExpressionOfInterest.Status.PENDING,
        )
        .order_by("created_at")
        .first()
    )


def contact_people(organisation_ids: list[int]) -> dict[int, User]:
    """`contact_person` for many organisations in two queries (for lists)."""
    chosen = dict(
        PartnerProfile.objects.filter(
            organisation_id__in=organisation_ids, contact_person__isnull=False
        ).values_list("organisation_id", "contact_person_id")
    )
    memberships = (
        Membership.objects.filter(organisation_id__in=organisation_ids, user__is_active=True)
        .select_related("user")
        .order_by("created_at", "pk")
    )
    found: dict[int, User] = {}
    first_admin: dict[int, User] = {}
    for membership in memberships:
        org_id = membership.organisation_id
        if chosen.get(org_id) == membership.user_id:
            found[org_id] = membership.user
        if membership.role == Membership.Role.ADMIN:
            first_admin.setdefault(org_id, membership.user)
    return {org_id: found.get(org_id) or first_admin[org_id] for org_id in first_admin | found}


def draft_applications_led_by(organisation: Organisation, user: User) -> list[Application]:
    """Draft applications `organisation` leads, if `user` administers it (else none)."""
    if not is_organisation_admin(user, organisation):
        return []
    return list(
        Application.objects.filter(lead_organisation=organisation, state=ApplicationState.DRAFT)
        .select_related("call")
        .order_by("-created_at", "-pk")
    )


def published_facet(facet: str, organisation: str = "organisation") -> Case:
    """An expression for rows of another model: the `facet` (one of `PUBLIC_FACETS`) of the
    published profile of the organisation at path `organisation` ("" for organisations
    themselves), as a list of codes ([] without a published profile). A LEFT JOIN, not a
    query per row: lists can annotate it or group by it.
    """
    if facet not in PUBLIC_FACETS:
        raise ValueError(f"Not a public facet: {facet}")
    profile = f"{organisation}__partner_profile__" if organisation else "partner_profile__"
    return Case(
        When(
            **{f"{profile}status": PartnerProfile.Status.PUBLISHED},
            then=F(f"{profile}{facet}"),
        ),
        default=Value(0),
        output_field=PartnerProfile._meta.get_field(facet),
    )


def organisations_with(
    *, stage: str = "", sector: str = "", raw_material: str = ""
) -> QuerySet[PartnerProfile]:
    """Ids of the organisations whose published profile has every given code, as a subquery for
    ``organisation_id__in=`` (no query of its own)."""
    profiles = PartnerProfile.objects.filter(status=PartnerProfile.Status.PUBLISHED)
    for facet, code in (("stages", stage), ("sectors", sector), ("raw_materials", raw_material)):
        if code:
            profiles = profiles.filter(**{f"{facet}__has_any": [code]})
    return profiles.values("organisation_id")
