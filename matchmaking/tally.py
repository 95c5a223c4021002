"""The facet tally: per facet value, how many published profiles have it.

The directory's landing page shows the counts of every facet with no filter applied. Counting
them on demand means a scan of every profile per facet (hundreds of milliseconds at 100,000
profiles), so the services keep this small table exact instead: each change to a profile
that is or was listed adds the difference between its values before and after, in the same
transaction (`record_change`). `rebuild` recomputes the table from the profiles (after a bulk
load, or to repair it).
"""

from collections import Counter
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Case, Count, F, IntegerField, Q, Value, When

from matchmaking.models import FacetTally, PartnerProfile

# facet -> (profile attribute, several values per profile?)
SOURCES = {
    "country": ("country", False),
    "nuts": ("nuts_region", False),
    "call": ("call_id", False),
    "role": ("role_sought", False),
    "trl": ("trl", False),
    "stage": ("stages", True),
    "sector": ("sectors", True),
    "material": ("raw_materials", True),
}

Key = tuple[str, str]


def contributions(profile: PartnerProfile | None) -> set[Key]:
    """The (facet, value) pairs `profile` adds to the tally: none unless published."""
    if profile is None or profile.status != PartnerProfile.Status.PUBLISHED:
        return set()
    keys: set[Key] = set()
    for facet, (attribute, many) in SOURCES.items():
        value = getattr(profile, attribute)
        for item in value if many else [value]:
            if item not in (None, ""):
                keys.add((facet, str(item)))
    return keys


def record_change(before: set[Key], after: set[Key]) -> None:
    """Apply the difference between a profile's contributions before and after a change."""
    deltas = dict.fromkeys(after - before, 1) | dict.fromkeys(before - after, -1)
    if not deltas:
        return
    FacetTally.objects.bulk_create(
        [FacetTally(facet=f, value=v, count=0) for f, v in sorted(deltas)],
        ignore_conflicts=True,
    )
    condition = Q()
    whens = []
    for (facet, value), delta in sorted(deltas.items()):
        condition |= Q(facet=facet, value=value)
        whens.append(When(facet=facet, value=value, then=Value(delta)))
    FacetTally.objects.filter(condition).update(
        count=F("count") + Case(*whens, default=Value(0), output_field=IntegerField())
    )


def counts() -> dict[str, dict[str, int]]:
    """facet -> {value (as text): count} of the published profiles (zero counts left out)."""
    out: dict[str, dict[str, int]] = {facet: {} for facet in SOURCES}
    for facet, value, count in FacetTally.objects.filter(count__gt=0).values_list(
        "facet", "value", "count"
    ):
        if facet in out:
            out[facet][value] = count
    return out


def published_and_countries() -> tuple[int, int]:
    """(published profiles, countries they come from), in one small read: every published
    profile has exactly one role (a database constraint) and one country, so it counts once
    in the role rows and its country has a row."""
    rows = FacetTally.objects.filter(facet__in=["role", "country"], count__gt=0)
    published = countries = 0
    for facet, count in rows.values_list("facet", "count"):
        if facet == "role":
            published += count
        else:
            countries += 1
    return published, countries


def _count(profiles: Iterable, facet: str) -> Counter:
    attribute, many = SOURCES[facet]
    tally: Counter = Counter()
    rows = profiles.order_by().values(attribute).annotate(n=Count("pk")).values_list(attribute, "n")
    for value, n in rows:
        for item in value if many else [value]:
            if item not in (None, ""):
                tally[str(item)] += n
    return tally


def rebuild() -> int:
    """Recompute the whole tally from the published profiles; returns the number of rows."""
    published = PartnerProfile.objects.filter(status=PartnerProfile.Status.PUBLISHED)
    rows = [
        FacetTally(facet=facet, value=value, count=n)
        for facet in SOURCES
        for value, n in sorted(_count(published, facet).items())
    ]
    with transaction.atomic():
        FacetTally.objects.all().delete()
        FacetTally.objects.bulk_create(rows)
    return len(rows)
