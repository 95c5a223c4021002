"""Full-text search: the stored PostgreSQL search vector, and the SQLite fallback.

Weights: organisation name and keywords A, summary and expertise B, offers and requests C.
The vector is recomputed by `services.save_profile` on every save (and by the benchmark in
bulk), from the profile's own columns plus the organisation's names: a rename of the
organisation shows in search after the profile's next save (`refresh_search_vectors`).
"""

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Concat

from accounts.models import Organisation

SEARCH_CONFIG = "english"


def uses_postgres_search() -> bool:
    return connection.vendor == "postgresql"


def search_vector_expression() -> SearchVector:
    """The weighted vector of a profile, as an SQL expression usable in `QuerySet.update()`."""
    name = Subquery(
        Organisation.objects.filter(pk=OuterRef("organisation_id"))
        .annotate(names=Concat("legal_name", Value(" "), "short_name"))
        .values("names")[:1]
    )
    return (
        SearchVector(name, weight="A", config=SEARCH_CONFIG)
        + SearchVector("keywords_text", weight="A", config=SEARCH_CONFIG)
        + SearchVector("summary", "expertise", weight="B", config=SEARCH_CONFIG)
        + SearchVector("offers_requests_text", weight="C", config=SEARCH_CONFIG)
    )


def refresh_search_vectors(queryset: QuerySet) -> int:
    """Recompute the stored vectors of `queryset`'s profiles (a no-op on SQLite)."""
    if not uses_postgres_search():
        return 0
    return queryset.update(search_vector=search_vector_expression())


def apply_text_search(queryset: QuerySet, q: str) -> tuple[QuerySet, bool]:
    """Filter `queryset` to profiles matching `q`; returns (queryset, ranked).

    PostgreSQL: web-search syntax against the GIN-indexed vector, annotated with `rank`.
    SQLite: every word must appear (case-insensitively) in one of the searchable texts.
    """
    q = (q or "").strip()
    if not q:
        return queryset, False
    if uses_postgres_search():
        query = SearchQuery(q, search_type="websearch", config=SEARCH_CONFIG)
        return (
            queryset.filter(search_vector=query).annotate(
                rank=SearchRank(F("search_vector"), query)
            ),
            True,
        )
    for word in q.split()[:10]:
        queryset = queryset.filter(
            Q(organisation__legal_name__icontains=word)
            | Q(organisation__short_name__icontains=word)
            | Q(summary__icontains=word)
            | Q(expertise__icontains=word)
            | Q(keywords_text__icontains=word)
            | Q(offers_requests_text__icontains=word)
        )
    return queryset, False
