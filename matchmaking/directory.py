"""Finding partners: filters, ranked full-text search and facet counts over published profiles.

Within a facet the chosen values combine with OR ("Finland or Sweden"), across facets with AND.
Facet counts are disjunctive: the counts of a facet ignore that facet's own selection (so one
can widen it) but apply every other filter. Without filters they are read from the facet tally
(`tally.py`); with filters, counted from one query's rows (see `facet_counts`).

The query string is read by `filters.PartnerFilterSet` (django-filter), which hands these
functions a `PartnerFilters`.

Blocks: `listed_for(user)` leaves out the organisations blocked by (or blocking) the user's own.
"""

from collections import Counter
from collections.abc import Callable
from dataclasses import astuple, dataclass, field
from typing import Any

from django.db import connections
from django.db.models import Case, Count, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _lazy

from accounts.countries import country_name
from calls.models import Call
from matchmaking import blocks, search, tally, vocab
from matchmaking.models import PartnerProfile
from matchmaking.results import IdList
from minegap.core.cache import VersionedCache

# Facets with a fixed vocabulary (listed in vocabulary order).
ROW_FACETS = ("stage", "sector", "material", "role", "trl")
# Facets with open-ended values (listed in value order).
GROUP_FACETS = ("country", "nuts", "call")
SORTS = ("relevance", "name", "newest")


def facet_values() -> dict[str, list[tuple[Any, str]]]:
    """Every value (and label) of the row facets, in display order."""
    return {
        "stage": list(vocab.Stage.choices),
        "sector": list(vocab.Sector.choices),
        "material": list(vocab.RawMaterial.choices),
        "role": list(vocab.Role.choices),
        "trl": list(vocab.TRL_CHOICES),
    }


FACET_LABELS = {
    "country": _lazy("Country"),
    "nuts": _lazy("NUTS region"),
    "stage": _lazy("Value-chain stage"),
    "sector": _lazy("Sector"),
    "material": _lazy("Critical raw material"),
    "role": _lazy("Role"),
    "trl": _lazy("Technology readiness level"),
    "call": _lazy("Looking for partners for the call"),
}


@dataclass
class PartnerFilters:
    q: str = ""
    country: list[str] = field(default_factory=list)
    nuts: list[str] = field(default_factory=list)
    stage: list[str] = field(default_factory=list)
    sector: list[str] = field(default_factory=list)
    material: list[str] = field(default_factory=list)
    role: list[str] = field(default_factory=list)
    trl: list[int] = field(default_factory=list)
    call: list[int] = field(default_factory=list)
    sort: str = ""

    def selected(self, facet: str) -> list:
        return getattr(self, facet)

    @property
    def active_facets(self) -> list[str]:
        return [f for f in (*GROUP_FACETS, *ROW_FACETS) if self.selected(f)]


def published_profiles() -> QuerySet[PartnerProfile]:
    return PartnerProfile.objects.filter(status=PartnerProfile.Status.PUBLISHED)


def listed_for(user) -> QuerySet[PartnerProfile]:
    """Published profiles `user` may see: not those of organisations blocked by (or blocking)
    an organisation of theirs. (Facet counts stay those of the whole directory.)"""
    return published_profiles().exclude(blocks.hidden_from_user(user))


def _facet_q(facet: str, selected: list) -> Q:
    if facet == "country":
        return Q(country__in=selected)
    if facet == "nuts":
        q = Q()
        for code in selected:  # a NUTS 1 or 2 code selects its sub-regions too
            q |= Q(nuts_region__startswith=code)
        return q
    if facet == "stage":
        return Q(stages__has_any=selected)
    if facet == "sector":
        return Q(sectors__has_any=selected)
    if facet == "material":
        return Q(raw_materials__has_any=selected)
    if facet == "role":
        return Q(role_sought__in=selected)
    if facet == "trl":
        return Q(trl__in=selected)
    if facet == "call":
        return Q(call_id__in=selected)
    raise ValueError(facet)


def filtered(
    filters: PartnerFilters, *, without: str | None = None, base: QuerySet | None = None
) -> tuple[QuerySet[PartnerProfile], bool]:
    """Published profiles matching `filters` (minus facet `without`); (queryset, ranked)."""
    return search.apply_text_search(_faceted(filters, without=without, base=base), filters.q)


def _faceted(
    filters: PartnerFilters, *, without: str | None = None, base: QuerySet | None = None
) -> QuerySet[PartnerProfile]:
    """Published profiles (or `base`) matching the facet filters (minus facet `without`)."""
    queryset = base if base is not None else published_profiles()
    for facet in filters.active_facets:
        if facet != without:
            queryset = queryset.filter(_facet_q(facet, filters.selected(facet)))
    return queryset


# With facet filters and no search, a page sorted by name walks the name index until it has
# found a page of matches: fast when many profiles match, a walk through the whole table when
# few do (the planner cannot tell, bit-set filters have no statistics). So the ids of the
# matches are read first from the covering facet index; when they are few, they are sorted
# from those alone.
FEW_MATCHES = 2000
# Columns a result list never shows, in the page or the API (the texts only feed the search;
# the JSON ones would be decoded for nothing).
UNSHOWN = (
    "search_vector",
    "keywords_text",
    "offers_requests_text",
    "expertise",
    "offers",
    "requests",
    "languages",
)


def _result_rows() -> QuerySet[PartnerProfile]:
    """How a page's rows are read when their ids are known: with their organisation (the API
    shows it), without the columns only search uses."""
    return PartnerProfile.objects.select_related("organisation").defer(*UNSHOWN)


def search_profiles(
    filters: PartnerFilters,
    *,
    base: QuerySet | None = None,
    unfiltered_count: Callable[[], int] | None = None,
) -> IdList:
    """The result list, sorted: by relevance when searching, else by name (or newest first).

    A search on PostgreSQL and filters few profiles pass give the sorted ids, read once;
    otherwise the ids are sorted in the database (on an index), page by page. Either way a
    page then reads its own rows (`results.IdList`). `unfiltered_count`: the number of
    profiles in `base`, when known more cheaply than by counting them (`listed_count`); used
    when there is no search and no filter.
    """
    queryset = _faceted(filters, base=base)
    searching = bool(filters.q.strip())
    sort = filters.sort or ("relevance" if searching else "name")
    if searching and search.uses_postgres_search():
        order = sort if sort in search.RESULT_ORDERS else "name"
        return IdList(search.ordered_match_ids(queryset, filters.q.strip(), order), _result_rows())
    queryset, _ranked = search.apply_text_search(queryset, filters.q)
    ordering = ("-published_at", "pk") if sort == "newest" else ("name", "pk")
    if filters.active_facets:
        ids = list(queryset.order_by().values_list("pk", flat=True)[: FEW_MATCHES + 1])
        if len(ids) <= FEW_MATCHES:
            few = PartnerProfile.objects.filter(search.pk_among(ids)).order_by(*ordering)
            return IdList(list(few.values_list("pk", flat=True)), _result_rows())
    ids = queryset.order_by(*ordering).values_list("pk", flat=True)
    if searching or filters.active_facets:
        unfiltered_count = None
    return IdList(ids, _result_rows(), count=unfiltered_count)


def listed_count(user) -> int:
    """How many published profiles `user` sees (`listed_for`): the facet tally's total, less
    the published profiles of the organisations hidden from them by blocks (usually none).
    Counting 100,000 profiles on every visit of the directory cost 20-30 ms."""
    total, _countries = tally.published_and_countries()
    hidden = blocks.hidden_organisation_ids(user)
    if not hidden:
        return total
    return total - published_profiles().filter(organisation_id__in=hidden).count()


# How each facet is counted: "mask" groups by the stored bit set (few distinct sets) and spreads
# each group over its codes; "bits" counts each code with a FILTER (a bit set with many distinct
# combinations); "column" groups by a plain column.
FACET_COUNTING = {
    "country": ("column", "country"),
    "nuts": ("column", "nuts_region"),
    "call": ("column", "call_id"),
    "stage": ("mask", "stages"),
    "sector": ("mask", "sectors"),
    "material": ("bits", "raw_materials"),
    "role": ("column", "role_sought"),
    "trl": ("column", "trl"),
}
FACETS = ("country", "nuts", "stage", "sector", "material", "role", "trl", "call")


def _count_facet(queryset: QuerySet, facet: str) -> dict[Any, int]:
    how, column = FACET_COUNTING[facet]
    queryset = queryset.order_by()
    if how == "bits":
        aggregates = {
            f"n{i}": Count("pk", filter=_facet_q(facet, [value]))
            for i, (value, _label) in enumerate(facet_values()[facet])
        }
        result = queryset.aggregate(**aggregates)
        return {value: result[f"n{i}"] for i, (value, _label) in enumerate(facet_values()[facet])}
    rows = queryset.values(column).annotate(n=Count("pk")).values_list(column, "n")
    counts: dict[Any, int] = {}
    for value, n in rows:
        for code in value if how == "mask" else [value]:
            if code not in (None, ""):
                counts[code] = counts.get(code, 0) + n
    return counts


# Facet counts: the unfiltered ones (the landing page) come from the facet tally; with filters
# or a search, one query fetches the facet columns of every profile that fails at most one
# filter, and Python counts each facet over the rows that pass every OTHER filter (a row failing
# only facet f's filter counts for f alone). When more rows than this would come back, one
# aggregate query per facet counts in the database instead.
MAX_ROWS_COUNTED_HERE = 20000
COLUMNS = {facet: column for facet, (_how, column) in FACET_COUNTING.items()}
MULTI_VALUED = {facet for facet, (how, _column) in FACET_COUNTING.items() if how != "column"}


def _passes(facet: str, selected: list) -> Case:
    return Case(When(_facet_q(facet, selected), then=Value(1)), default=Value(0))


def _tallied_counts() -> dict[str, dict[Any, int]]:
    numeric = {"call", "trl"}
    return {
        facet: {int(v) if facet in numeric else v: n for v, n in values.items()}
        for facet, values in tally.counts().items()
    }


def _counted_here(
    filters: PartnerFilters, base: QuerySet | None, max_rows: int
) -> dict[str, dict] | None:
    """Counts from the facet columns of near-matching rows, or None if there are too many."""
    active = filters.active_facets
    near = base if base is not None else published_profiles()
    if len(active) > 1:  # passes every filter but (at most) one
        near_match = Q()
        for skipped in active:
            near_match |= Q(*[_facet_q(f, filters.selected(f)) for f in active if f != skipped])
        near = near.filter(near_match)
    near, _ranked = search.apply_text_search(near, filters.q)
    flags = {f"passes_{f}": _passes(f, filters.selected(f)) for f in active}
    # The rows are read as the database sends them: Django's per-value conversions (bit sets
    # to lists of codes, above all) cost more than the query on 20,000 rows. Each distinct bit
    # set is spread over its codes once, below.
    rows_query = (
        near.annotate(**flags).order_by().values_list(*COLUMNS.values(), *flags)[: max_rows + 1]
    )
    sql, params = rows_query.query.sql_with_params()
    with connections[rows_query.db].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if len(rows) > max_rows:
        return None
    # Rows passing every filter count for every facet; a row failing only facet f's filter
    # counts for f alone.
    width = len(COLUMNS)
    by_failed: dict[str | None, list[tuple]] = {}
    for row in rows:
        failed = [f for f, passed in zip(active, row[width:], strict=True) if not passed]
        by_failed.setdefault(failed[0] if failed else None, []).append(row)
    counts: dict[str, Counter] = {}
    for index, facet in enumerate(COLUMNS):
        values = Counter(row[index] for row in by_failed.get(None, []))
        values.update(row[index] for row in by_failed.get(facet, []))
        counts[facet] = _spread(facet, values)
    return counts


def _spread(facet: str, values: Counter) -> Counter:
    """Counts per value; bit sets spread over their codes; no value (None, "") dropped."""
    counts: Counter = Counter()
    if facet not in MULTI_VALUED:
        counts.update({value: n for value, n in values.items() if value not in (None, "")})
        return counts
    code_of_bit = {
        bit: code for code, bit in PartnerProfile._meta.get_field(COLUMNS[facet]).bits.items()
    }
    for mask, n in values.items():
        while mask:  # one step per code in the set (the lowest bit each time)
            bit = mask & -mask
            counts[code_of_bit[bit]] += n
            mask ^= bit
    return counts


def _raw_counts(
    filters: PartnerFilters, base: QuerySet | None, max_rows: int
) -> dict[str, dict[Any, int]]:
    if base is None and not filters.q and not filters.active_facets:
        return _tallied_counts()
    counted = _counted_here(filters, base, max_rows)
    if counted is not None:
        return counted
    return {
        facet: _count_facet(filtered(filters, without=facet, base=base)[0], facet)
        for facet in FACETS
    }


def facet_counts(
    filters: PartnerFilters,
    *,
    base: QuerySet | None = None,
    max_rows_counted_here: int = MAX_ROWS_COUNTED_HERE,
) -> dict[str, list[dict[str, Any]]]:
    """For each facet, its values with label, count and whether selected (zero counts dropped
    unless selected). Two queries (counts, call titles) unless very many profiles nearly match
    the filters (then one per facet, each on the profile table alone)."""
    raw = _raw_counts(filters, base, max_rows_counted_here)
    labels: dict[str, dict[Any, str]] = {f: dict(v) for f, v in facet_values().items()}
    labels["country"] = {code: country_name(code) for code in raw["country"]}
    labels["nuts"] = {code: code for code in raw["nuts"]}
    labels["call"] = dict(Call.objects.filter(pk__in=list(raw["call"])).values_list("pk", "title"))
    out: dict[str, list[dict[str, Any]]] = {}
    for facet in FACETS:
        selected = set(filters.selected(facet))
        order = list(labels[facet]) if facet in ROW_FACETS else sorted(raw[facet])
        out[facet] = [
            {
                "value": value,
                "label": str(labels[facet].get(value, value)),
                "count": raw[facet].get(value, 0),
                "selected": value in selected,
            }
            for value in order
            if raw[facet].get(value, 0) or value in selected
        ]
    return out


# Facet counts are the costly part of a directory page (one scan per facet); the same filters
# are asked for again and again (the landing page above all), so they are cached for a minute.
# Every change to a listed profile replaces the version: counts are never staler than that.
directory_cache = VersionedCache("matchmaking:directory", timeout=60)


def directory_changed() -> None:
    """Called by the services when the set of listed profiles (or their facets) changes."""
    directory_cache.changed()


def cached_facet_counts(filters: PartnerFilters) -> dict[str, list[dict[str, Any]]]:
    return directory_cache.cached(f"facets:{astuple(filters)!r}", lambda: facet_counts(filters))
