"""A shortlist for "Partners for you" on PostgreSQL: the profiles that can score near the top.

Scoring every complementary profile is a scan of tens of thousands of index entries. But in a
large directory the best `limit` score close to the best possible score against our profile, and
when we name two or more raw materials such a score needs two of them (sharing only one falls
10 or 20 points short, whatever else matches). Migration 0009 indexes (GIN) each profile's
materials as an integer array, so "shares two of ours" is an index lookup of a few hundred rows.

Exact, not a heuristic: every profile scoring at least `threshold` shares two of our materials,
so when `limit` of the shortlisted profiles score at least `threshold`, they are the best `limit`
(anyone else scores less). Otherwise the caller ranks everyone (recommendations._best does both
in one statement).
"""

from dataclasses import dataclass
from itertools import combinations

from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL

# The indexed expression of migration 0009, written exactly as there (so the index is used).
MATERIAL_NUMBERS = "matchmaking_material_numbers(raw_materials)"
# How far below the best possible score the shortlist reaches at most (the best `limit` of a
# large directory are within it); less when we name two materials (see `shortlist`).
SLACK = 15
MAX_PAIRS = 15  # six of our materials; more pairs cost more than they save


@dataclass(frozen=True)
class Shortlist:
    condition: Q
    threshold: int


def shortlist(
    *, material_mask: int, best_possible: int, material_points: int, per_material: int
) -> Shortlist | None:
    """Profiles sharing two of our materials: all those scoring at least the threshold.

    `material_points` is the part of `best_possible` our materials can earn (capped). A profile
    sharing at most one of them earns at most `per_material`, so it scores at most
    best_possible - (material_points - per_material): the threshold sits above that, at most
    SLACK below the best (two materials: 9 below; three or more: SLACK). None with fewer than
    two materials, or when the pairs are too many.
    """
    # A profile sharing at most one of our materials is this far below the best possible.
    shortfall = material_points - per_material
    slack = min(SLACK, shortfall - 1)
    if slack < 0:
        return None
    numbers = [bit for bit in range(63) if material_mask >> bit & 1]
    pairs = list(combinations(numbers, 2))
    if not pairs or len(pairs) > MAX_PAIRS:
        return None
    # Bit numbers computed here, never user input: written into the SQL as literals.
    lookups = " OR ".join(f"{MATERIAL_NUMBERS} @> ARRAY[{a}, {b}]" for a, b in pairs)
    condition = Q(RawSQL(f"({lookups})", [], output_field=BooleanField()))  # noqa: S611
    return Shortlist(condition=condition, threshold=best_possible - slack)
