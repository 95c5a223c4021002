"""Full-text search: the stored PostgreSQL search vector, and the SQLite fallback.

Weights: organisation name and keywords A, summary and expertise B, offers and requests C.
The vector is recomputed from the profile's own columns (its `name` is the organisation's legal
name) by `services.save_profile` on every save, by `services.sync_organisation` when the
organisation changes, and by the benchmark in bulk.
"""

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection, connections
from django.db.models import F, Q, QuerySet, Value
from django.db.models.expressions import RawSQL

SEARCH_CONFIG = "english"


def max_ranked_matches() -> int:
    """A search lists (and counts) at most this many matches, ranked; past it, one narrows it
    down (settings.MATCHMAKING_MAX_RANKED_MATCHES: ranking cost grows with the directory)."""
    return settings.MATCHMAKING_MAX_RANKED_MATCHES


def uses_postgres_search() -> bool:
    return connection.vendor == "postgresql"


# (weight, columns): the weighted parts of a profile's search vector.
VECTOR_PARTS = (
    ("A", ("name", "keywords_text")),
    ("B", ("summary", "expertise")),
    ("C", ("offers_requests_text",)),
)
# The same texts, searched word by word on SQLite.
SEARCHED_COLUMNS = tuple(column for _weight, columns in VECTOR_PARTS for column in columns)


def pk_among(ids: list[int]) -> Q:
    """`pk IN ids`; on PostgreSQL as one array parameter (building a 500-placeholder IN list
    costs Django ~10 ms per query)."""
    if uses_postgres_search():
        return Q(pk__in=RawSQL("SELECT unnest(%s::bigint[])", (list(ids),)))
    return Q(pk__in=ids)


def search_vector_expression(values: dict[str, str] | None = None) -> SearchVector:
    """The weighted vector of a profile as an SQL expression.

    Without `values` it reads the row's columns (for `QuerySet.update()`); with `values` (column
    name -> text) it is built from constants, so it can be inserted (`bulk_create`).
    """
    vector = None
    for weight, columns in VECTOR_PARTS:
        parts = [Value(values.get(c, "") or "") if values else c for c in columns]
        part = SearchVector(*parts, weight=weight, config=SEARCH_CONFIG)
        vector = part if vector is None else vector + part
    return vector


def refresh_search_vectors(queryset: QuerySet) -> int:
    """Recompute the stored vectors of `queryset`'s profiles (a no-op on SQLite)."""
    if not uses_postgres_search():
        return 0
    return queryset.update(search_vector=search_vector_expression())


def apply_text_search(queryset: QuerySet, q: str) -> tuple[QuerySet, bool]:
    """Filter `queryset` to profiles matching `q`; returns (queryset, ranked).

    PostgreSQL: web-search syntax against the GIN-indexed vector, annotated with `rank`; the
    newest `max_ranked_matches()` matches at most (deterministic: by id).
    SQLite: every word must appear (case-insensitively) in one of the searchable texts.
    """
    q = (q or "").strip()
    if not q:
        return queryset, False
    if uses_postgres_search():
        query = SearchQuery(q, search_type="websearch", config=SEARCH_CONFIG)
        # Rank a bounded set: the newest max_ranked_matches() matches. Ranking reads every
        # candidate's vector from its (wide) row: a common word matching a third of 100,000
        # profiles would cost hundreds of milliseconds, twice (count, page). The ids are read
        # once here, so the count and the page then touch only those rows.
        candidates = (
            queryset.filter(search_vector=query)
            .order_by("-pk")
            .values_list("pk", flat=True)[: max_ranked_matches()]
        )
        return (
            queryset.model.objects.filter(pk_among(list(candidates))).annotate(
                rank=SearchRank(F("search_vector"), query)
            ),
            True,
        )
    for word in q.split()[:10]:
        matches = Q()
        for column in SEARCHED_COLUMNS:
            matches |= Q(**{f"{column}__icontains": word})
        queryset = queryset.filter(matches)
    return queryset, False


# The orders a ranked list of matches may be sorted in: column of the candidates, descending?
RESULT_ORDERS = {
    "relevance": (("rank", True), ("name", False), ("pk", False)),
    "name": (("name", False), ("pk", False)),
    "newest": (("published_at", True), ("pk", False)),
}


def ordered_match_ids(queryset: QuerySet, q: str, sort: str) -> list[int]:
    """PostgreSQL: the ids of `queryset`'s newest `max_ranked_matches()` matches of `q`, sorted
    by `sort` (a key of RESULT_ORDERS), in one query.

    Each candidate row is read once, where its vector is matched, and ranked there; the sort
    runs on those few columns. The list's count is then the number of ids, and a page reads
    the rows of its own ids only (`results.IdList`): no COUNT, no second read of the
    candidates' wide rows to rank them.
    """
    query = SearchQuery(q, search_type="websearch", config=SEARCH_CONFIG)
    candidates = (
        queryset.filter(search_vector=query)
        .order_by("-pk")
        .annotate(rank=SearchRank(F("search_vector"), query))
        .values_list("pk", "name", "published_at", "rank")[: max_ranked_matches()]
    )
    sql, params = candidates.query.sql_with_params()
    order = ", ".join(
        f'"{column}" {"DESC" if descending else "ASC"}'
        for column, descending in RESULT_ORDERS[sort]
    )
    with connections[candidates.db].cursor() as cursor:
        # A compiled queryset (its parameters kept apart) and column names of our own.
        cursor.execute(f'SELECT "pk" FROM ({sql}) AS candidates ORDER BY {order}', params)  # noqa: S608
        return [pk for (pk,) in cursor.fetchall()]
