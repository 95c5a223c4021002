"""Addresses reversed once per process instead of on every request.

An address that `reverse()` builds from a URL name and positional arguments is the same for
every request of a site: it depends only on the URLconf, the script prefix (a site mounted under
a path) and the active language (translated URL patterns), so those are part of the key. The
menu's links and the tabs of a call's bar are reversed on every page that draws them.
"""

from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language


def reverse_once(url_name: str, *args: str | int) -> str:
    """`reverse(url_name, args=args)`, remembered; a wrong name raises like `reverse()` (and is
    not remembered)."""
    return _reversed(
        url_name, args, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix(), get_language()
    )


# Bounded: arguments name objects (a call's slug), so the keys grow with the data.
@lru_cache(maxsize=4096)
def _reversed(
    url_name: str, args: tuple, urlconf: str, script_prefix: str, language: str | None
) -> str:
    return reverse(url_name, args=args, urlconf=urlconf)
