"""A profile's keywords hashed into one integer (a one-hash Bloom filter), for recommendations.

"Partners for you" gives points per keyword two profiles share, and scores every complementary
profile of the directory (tens of thousands). A substring test per keyword per profile is most of
that cost. Each keyword sets one bit (of 63, by its MD5 digest), stored in `keyword_bits` by
`services.save_profile`. A profile that lacks the bit of one of our keywords certainly lacks the
keyword: the integer test `(keyword_bits & bit) <> 0` rules out nearly every profile, and only the
few that pass are checked exactly (two keywords may share a bit, so the bit alone is not proof).

MD5 because PostgreSQL computes the same digest (migration 0008 fills existing rows in SQL). The
bit of a keyword must never change: stored values would silently stop matching.
"""

from collections.abc import Iterable
from hashlib import md5

from django.db import models
from django.db.models import Lookup
from django.utils.translation import gettext_lazy as _

BITS = 63  # bit 63 would make the signed bigint negative


def keyword_bit(keyword: str) -> int:
    """The one bit of `keyword` (a cleaned keyword, as stored in `keywords`)."""
    return 1 << (int(md5(keyword.encode(), usedforsecurity=False).hexdigest()[:8], 16) % BITS)


def keyword_mask(keywords: Iterable[str]) -> int:
    mask = 0
    for keyword in keywords:
        mask |= keyword_bit(keyword)
    return mask


class KeywordBitsField(models.BigIntegerField):
    description = _("Keywords hashed into a bit set")


@KeywordBitsField.register_lookup
class HasBits(Lookup):
    """Some of the given bits are set: ``(column & bits) <> 0``."""

    lookup_name = "has_bits"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"({lhs} & {rhs}) <> 0", [*lhs_params, *rhs_params]
