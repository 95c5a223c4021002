"""Cache of the public figures and lists, invalidated by a version key.

Every cached value's key carries the current data version; any change to the calls records the
public site reads (see `public.signals`) replaces the version, so every cached value becomes
unreachable at once and expires on its own. The version is replaced at the change and again
after its transaction commits, so a request that read the old data meanwhile cannot keep it.
"""

import hashlib
import uuid
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

VERSION_KEY = "public:data-version"
TIMEOUT = 60 * 10  # seconds; invalidation does the real work, this only bounds memory use.

T = TypeVar("T")


def data_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(VERSION_KEY) or "unversioned"
    return version


def bump_version() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def cached(name: str, build: Callable[[], T], *, timeout: int = TIMEOUT) -> T:
    """The value cached under `name` for the current data version, built when missing."""
    digest = hashlib.sha256(name.encode()).hexdigest()[:32]
    key = f"public:{data_version()}:{digest}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, timeout)
    return value
