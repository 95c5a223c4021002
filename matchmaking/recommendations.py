"""'Partners for you': a deterministic score over published profiles, computed in SQL.

Points (the higher, the better; ties by organisation name, then id):

- complementary role: adopter ↔ provider 30; one side "both" 15 (both sides "both": 10);
- another eligible country 20 (the call's list when the profile names a call; otherwise EU
  member states and Horizon Europe associated countries);
- shared critical raw materials: 10 each, at most 30;
- value-chain adjacency (one of their stages right before or after one of ours) 15;
- keyword overlap: 5 per shared keyword, at most 15.

Profiles scoring 0, our own, and organisations blocked either way are left out. The score is one
SQL expression, so the top N come from one query whatever the directory's size; the reasons of
those N are then worded in Python from the same rules.

Speed at 100,000 profiles (PostgreSQL): a keyword is first tested on the profile's keyword bits
(an integer, `keyword_bits.py`), the substring test runs only where its bit is set; and when we
name three to six raw materials, the ranking reads only a GIN-indexed shortlist of profiles
sharing two of them, which provably holds the best N when it holds N near the top
(`shortlist.py`); otherwise every complementary profile is scored, in the same statement.
"""

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext as _

from accounts.countries import COUNTRIES, country_name, normalise_country
from accounts.models import Organisation
from matchmaking import blocks, vocab
from matchmaking.directory import published_profiles
from matchmaking.keyword_bits import keyword_bit
from matchmaking.models import PartnerProfile
from matchmaking.scoring import ProfileScore
from matchmaking.shortlist import Shortlist, shortlist

ROLE_COMPLEMENT = 30
ROLE_PARTIAL = 15
ROLE_BOTH_BOTH = 10
OTHER_COUNTRY = 20
PER_MATERIAL, MAX_MATERIALS = 10, 30
ADJACENT_STAGE = 15
PER_KEYWORD, MAX_KEYWORDS = 5, 15

COMPLEMENT = {vocab.Role.ADOPTER: vocab.Role.PROVIDER, vocab.Role.PROVIDER: vocab.Role.ADOPTER}


@dataclass
class Recommendation:
    profile: PartnerProfile
    score: int
    reasons: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        return ", ".join(self.reasons)


def adjacent_to(stages: list[str]) -> list[str]:
    """Stages next to one of `stages` in the value chain, that are not among them."""
    adjacent: set[str] = set()
    for stage in stages:
        adjacent |= vocab.adjacent_stages(stage)
    return [s for s in vocab.STAGE_ORDER if s in adjacent and s not in stages]


def eligible_countries(profile: PartnerProfile) -> list[str]:
    """The call's eligible countries when the profile looks for partners for one, else EU + HE."""
    if profile.call is not None and profile.call.eligible_countries:
        return sorted(normalise_country(code) for code in profile.call.eligible_countries)
    return sorted(COUNTRIES)


def _case(condition: str, points: int) -> str:
    return f"CASE WHEN {condition} THEN {points} ELSE 0 END"


def _bits(mask: int) -> str:
    """A test of bits of our own (an integer computed here): written into the SQL."""
    return f"& {int(mask)}) <> 0"


def score_of(mine: PartnerProfile, organisation: Organisation, eligible: list[str]) -> ProfileScore:
    """The score against `mine`, as one SQL expression over the profile's columns."""
    params: list = []
    if mine.role_sought == vocab.Role.BOTH:
        role = (
            f"CASE WHEN {{role_sought}} = %s THEN {ROLE_BOTH_BOTH} "
            f"WHEN {{role_sought}} IN (%s, %s) THEN {ROLE_PARTIAL} ELSE 0 END"
        )
        params += [vocab.Role.BOTH, *COMPLEMENT]
    else:
        role = (
            f"CASE WHEN {{role_sought}} = %s THEN {ROLE_COMPLEMENT} "
            f"WHEN {{role_sought}} = %s THEN {ROLE_PARTIAL} ELSE 0 END"
        )
        params += [COMPLEMENT[mine.role_sought], vocab.Role.BOTH]
    in_eligible = ", ".join(["%s"] * len(eligible))
    terms = [
        role,
        _case(f"{{country}} IN ({in_eligible}) AND NOT ({{country}} = %s)", OTHER_COUNTRY),
    ]
    params += [*eligible, organisation.country]
    if mine.raw_materials:
        field_ = PartnerProfile._meta.get_field("raw_materials")
        shared = " + ".join(
            _case(f"({{raw_materials}} {_bits(field_.to_mask([m]))}", PER_MATERIAL)
            for m in mine.raw_materials
        )
        terms.append(f"{{least}}({shared}, {MAX_MATERIALS})")
    adjacent = adjacent_to(mine.stages)
    if adjacent:
        mask = PartnerProfile._meta.get_field("stages").to_mask(adjacent)
        terms.append(_case(f"({{stages}} {_bits(mask)}", ADJACENT_STAGE))
    if mine.keywords:
        # The integer test first: the substring test runs only where the keyword's bit is set.
        shared = " + ".join(
            _case(
                f"({{keyword_bits}} {_bits(keyword_bit(kw))} AND {{keywords_text}} {{contains}}",
                PER_KEYWORD,
            )
            for kw in mine.keywords
        )
        terms.append(f"{{least}}({shared}, {MAX_KEYWORDS})")
        params += [f"%{connection.ops.prep_for_like_query(f'|{kw}|')}%" for kw in mine.keywords]
    columns = ("role_sought", "country", "raw_materials", "stages", "keyword_bits", "keywords_text")
    return ProfileScore(" + ".join(f"({term})" for term in terms), params, columns)


def roles_with_points(mine: str) -> list[str]:
    """The roles that earn role points against a profile of role `mine`."""
    if mine == vocab.Role.BOTH:
        return list(vocab.Role.values)
    return [COMPLEMENT[mine], vocab.Role.BOTH]


def best_without_role(mine: PartnerProfile) -> int:
    """The highest score a profile whose role earns no points can reach against `mine`."""
    best = OTHER_COUNTRY + min(MAX_MATERIALS, PER_MATERIAL * len(mine.raw_materials))
    best += ADJACENT_STAGE if adjacent_to(mine.stages) else 0
    return best + min(MAX_KEYWORDS, PER_KEYWORD * len(mine.keywords))


def recommend(
    organisation: Organisation, *, limit: int = 10, shortlisted: bool = True
) -> list[Recommendation]:
    """Best partners for `organisation` (needs a profile, draft or published).

    The score of every candidate is computed from the index `profile_recommend` alone (no wide
    rows), or only that of the shortlisted ones (see `_best`), and the `limit` best are then
    read in full. Complementary roles are scored first:
    when the last of their best `limit` beats anything a profile of a non-scoring role could
    reach, the others need not be scored at all (the usual case); otherwise everyone is.
    `shortlisted=False` scores every candidate, as PostgreSQL's shortlist must not change the
    result (its tests compare both).
    """
    mine = PartnerProfile.objects.select_related("call").filter(organisation=organisation).first()
    if mine is None:
        return []
    mine.organisation = organisation
    eligible = eligible_countries(mine)
    score = score_of(mine, organisation, eligible)
    candidates = (
        published_profiles()
        .exclude(organisation=organisation)
        .exclude(blocks.hidden_from(organisation))
        .alias(score=score)
    )
    scoring_roles = roles_with_points(mine.role_sought)
    # Every one of these earns role points (score > 0): no filter computing the score twice.
    complementary = candidates.filter(role_sought__in=scoring_roles)
    near_top = _near_top(mine, candidates, scoring_roles) if shortlisted else None
    found = _best(complementary, score, limit, near_top)
    if len(scoring_roles) < len(vocab.Role.values) and not (
        len(found) == limit and found[-1].score > best_without_role(mine)
    ):
        found = _best(candidates.filter(score__gt=0), score, limit)
    return [
        Recommendation(profile=p, score=p.score, reasons=reasons(mine, p, eligible=eligible))
        for p in found
    ]


def best_possible(mine: PartnerProfile) -> int:
    """The highest score any profile can reach against `mine`."""
    best_role = ROLE_PARTIAL if mine.role_sought == vocab.Role.BOTH else ROLE_COMPLEMENT
    return best_role + best_without_role(mine)


def shortlist_for(mine: PartnerProfile) -> Shortlist | None:
    """The shortlist of the profiles near the best possible score (PostgreSQL only)."""
    if connection.vendor != "postgresql":
        return None
    return shortlist(
        material_mask=PartnerProfile._meta.get_field("raw_materials").to_mask(mine.raw_materials),
        best_possible=best_possible(mine),
        material_points=min(MAX_MATERIALS, PER_MATERIAL * len(mine.raw_materials)),
        per_material=PER_MATERIAL,
    )


def _near_top(mine: PartnerProfile, candidates, scoring_roles: list[str]):
    """The shortlisted candidates scoring at least its threshold, or None (see shortlist.py)."""
    short = shortlist_for(mine)
    if short is None:
        return None
    near = candidates.filter(short.condition).filter(score__gte=short.threshold)
    if short.threshold <= best_without_role(mine):
        near = near.filter(role_sought__in=scoring_roles)
    # Otherwise the threshold alone leaves out the roles without points, and no role filter
    # tempts the planner into AND-ing the shortlist with a bitmap of half the directory.
    return near


def _best(candidates, score, limit: int, near_top=None) -> list[PartnerProfile]:
    """The `limit` best candidates, read in full: one query (ranking inside, on the index).

    With `near_top` (every candidate that can be among the best, when it holds `limit`), the
    ranking reads those; the scan of every candidate runs (in the same statement) only when
    they fall short.
    """
    ranked = candidates.order_by("-score", "name", "pk").values("pk")[:limit]
    if near_top is not None:
        ranked = _ranked_near_top_first(near_top, candidates, limit)
    return list(
        PartnerProfile.objects.filter(pk__in=ranked)
        .select_related("organisation")
        .defer("search_vector", "offers_requests_text")
        .annotate(score=score)
        .order_by("-score", "name", "pk")
    )


def _ranked_near_top_first(near_top, candidates, limit: int) -> RawSQL:
    """The ids of the `limit` best: from `near_top` when it holds `limit` (then they are the
    best, see shortlist.py), otherwise from every candidate.

    One statement: `near_top` is read once (a CTE); the scan of every candidate is gated on it
    falling short (a one-time filter: not run at all when it does not).
    """
    near = near_top.order_by("-score", "name", "pk").values("pk")[:limit]
    falls_short = RawSQL(
        "(SELECT count(*) FROM recommend_shortlist) < %s", [limit], output_field=BooleanField()
    )
    everyone = candidates.filter(falls_short).order_by("-score", "name", "pk").values("pk")[:limit]
    near_sql, near_params = near.query.sql_with_params()
    everyone_sql, everyone_params = everyone.query.sql_with_params()
    # Compiled querysets, their parameters kept apart: nothing of the user's in the text.
    sql = (
        f"WITH recommend_shortlist AS MATERIALIZED ({near_sql}) "  # noqa: S608
        f"SELECT * FROM recommend_shortlist UNION ALL ({everyone_sql})"
    )
    return RawSQL(sql, [*near_params, *everyone_params])  # noqa: S611


def reasons(
    mine: PartnerProfile, theirs: PartnerProfile, *, eligible: list[str] | None = None
) -> list[str]:
    """Short human reasons, e.g. ["provider of sensor networks", "Finland", "also works on lithium"]."""
    out: list[str] = []
    complementary = COMPLEMENT.get(mine.role_sought) == theirs.role_sought or (
        vocab.Role.BOTH in (mine.role_sought, theirs.role_sought)
    )
    if complementary:
        out.append(_role_reason(theirs))
    country = theirs.organisation.country
    if country != mine.organisation.country and country in (eligible or COUNTRIES):
        out.append(country_name(country))
    shared = [m for m in mine.raw_materials if m in theirs.raw_materials]
    if shared:
        names = ", ".join(str(vocab.RawMaterial(m).label).lower() for m in shared[:3])
        out.append(_("also works on %(materials)s") % {"materials": names})
    adjacent = [s for s in adjacent_to(mine.stages) if s in theirs.stages]
    if adjacent:
        names = ", ".join(str(vocab.Stage(s).label).lower() for s in adjacent)
        out.append(_("active in %(stages)s, next to your stages") % {"stages": names})
    keywords = [k for k in mine.keywords if k in theirs.keywords]
    if keywords:
        out.append(_("shares keywords: %(keywords)s") % {"keywords": ", ".join(keywords[:3])})
    return out


def _role_reason(profile: PartnerProfile) -> str:
    """ "provider of sensor networks", "adopter looking for ore sorting", or just the role."""
    role = str(vocab.Role(profile.role_sought).label).lower()
    keyword = profile.keywords[0] if profile.keywords else ""
    if profile.role_sought == vocab.Role.ADOPTER:
        if profile.requests:
            return _("%(role)s looking for %(what)s") % {
                "role": role,
                "what": profile.requests[0]["title"].lower(),
            }
        return (
            _("%(role)s working on %(what)s") % {"role": role, "what": keyword} if keyword else role
        )
    what = profile.offers[0]["title"].lower() if profile.offers else keyword
    return _("%(role)s of %(what)s") % {"role": role, "what": what} if what else role
