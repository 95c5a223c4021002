"""Addresses reversed once per process instead of on every request.

An address that `reverse()` builds from a URL name and positional arguments is the same for
every request of a site: it depends only on the URLconf (a request may name its own,
`request.urlconf`), the script prefix (a site mounted under a path: `SCRIPT_NAME`,
`FORCE_SCRIPT_NAME`) and the active language (`i18n_patterns`, translated routes), so those are
part of the key. The menu's links and the tabs of a call's bar are reversed on every page that
draws them (`reverse_once`).

A list links each of its rows to the same view with a different id, and `reverse()` costs about
50 µs a call (issue #15: fifty rows a page). The view's address is the same for every id but
for the id itself, so it is reversed once with a placeholder id and split around it; each row's
id is then formatted in (`id_url`).
"""

from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

# Matches an `int` converter and no real object: the largest 32-bit id.
_PLACEHOLDER_ID = 2_147_483_647


def address_context() -> tuple[str, str, str | None]:
    """What changes an address besides its name and arguments: the URLconf, the script prefix
    (in the key only: `reverse()` reads it, and the language, itself) and the language. Part of
    the key of anything kept that holds addresses (`minegap.core.prerendered`)."""
    return get_urlconf() or settings.ROOT_URLCONF, get_script_prefix(), get_language()


def reverse_once(url_name: str, *args: str | int) -> str:
    """`reverse(url_name, args=args)`, remembered; a wrong name raises like `reverse()` (and is
    not remembered)."""
    return _reversed(url_name, args, *address_context())


# Bounded: arguments name objects (a call's slug), so the keys grow with the data.
@lru_cache(maxsize=4096)
def _reversed(
    url_name: str, args: tuple, urlconf: str, script_prefix: str, language: str | None
) -> str:
    return reverse(url_name, args=args, urlconf=urlconf)


@dataclass(frozen=True)
class IdUrl:
    """The address of a view for any id: `before`, the id, `after`."""

    before: str
    after: str

    def __call__(self, pk: int) -> str:
        return f"{self.before}{pk}{self.after}"


def id_url(viewname: str, *args: str | int) -> IdUrl:
    """The address of `viewname` for any id, given as its last positional argument (after
    `args`, the same for every id), in the current URLconf, script prefix and language."""
    return _id_url(viewname, args, *address_context())


@lru_cache(maxsize=512)
def _id_url(
    viewname: str, args: tuple, urlconf: str, script_prefix: str, language: str | None
) -> IdUrl:
    url = reverse(viewname, args=[*args, _PLACEHOLDER_ID], urlconf=urlconf)
    placeholder = str(_PLACEHOLDER_ID)
    if url.count(placeholder) != 1:
        raise ImproperlyConfigured(f"{url!r} does not show its id exactly once.")
    before, _id, after = url.partition(placeholder)
    return IdUrl(before, after)
