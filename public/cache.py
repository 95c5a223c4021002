"""Cache of the public figures and lists (`minegap.core.cache.VersionedCache`).

Any change to the calls records the public site reads (see `public.signals`) replaces the data
version, at the change and again after commit.
"""

from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from django.utils import timezone

from minegap.core.cache import VersionedCache

T = TypeVar("T")

public_cache = VersionedCache("public", timeout=60 * 10)

data_version = public_cache.version
bump_version = public_cache.bump
cached = public_cache.cached


def cached_until(
    name: str, build: Callable[[], T], next_change: Callable[[], datetime | None]
) -> T:
    """Like `cached`, for a value that also changes with the clock: it is never kept past
    `next_change()` (read only when the value is built), so the page rendered at that moment
    does not read the value from before it."""
    key = public_cache.key_for(name)
    found = public_cache.get(key) if key else None
    if found is not None:
        return found
    moment = next_change()
    value = build()
    seconds = public_cache.timeout
    if moment is not None:
        seconds = min(seconds, int((moment - timezone.now()).total_seconds()))
    if key and seconds > 0:
        public_cache.set(key, value, seconds)
    return value
