"""Caches invalidated by a version key: one mechanism for every app that caches derived data.

Each cached value's key carries the namespace's current data version. A change replaces the
version, at the change and again after the transaction commits, so every value cached before it
becomes unreachable at once and expires on its own.

A cache is never a reason to refuse a write or a page: when the cache server is down, reads build
the value without caching it, invalidation is logged and skipped (the values cached before it
expire within `timeout`), and the write that changed the data stands.
"""

import hashlib
import logging
import uuid
from collections.abc import Callable
from contextlib import suppress
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import transaction

T = TypeVar("T")

logger = logging.getLogger(__name__)


class CacheUnavailable(Exception):
    """The cache server did not answer; the caller goes on without it."""


def _cache_call(operation: str, namespace: str, *args: Any) -> Any:
    try:
        return getattr(cache, operation)(*args)
    except Exception as error:  # any backend's failure: Redis down, timeouts, full memory
        logger.warning(
            "Cache %s failed for %r, going on without the cache: %s: %s",
            operation,
            namespace,
            type(error).__name__,
            error,
        )
        raise CacheUnavailable from error


class VersionedCache:
    def __init__(self, namespace: str, *, timeout: int) -> None:
        self.namespace = namespace
        self.timeout = timeout  # seconds; invalidation does the real work, this bounds memory
        self.version_key = f"{namespace}:data-version"

    def version(self) -> str:
        version = _cache_call("get", self.namespace, self.version_key)
        if version is None:
            _cache_call("add", self.namespace, self.version_key, uuid.uuid4().hex, None)
            version = _cache_call("get", self.namespace, self.version_key) or "unversioned"
        return version

    def bump(self) -> None:
        """Forget every cached value; with the cache down they expire on their own."""
        with suppress(CacheUnavailable):  # logged; stale values heal by expiry
            _cache_call("set", self.namespace, self.version_key, uuid.uuid4().hex, None)

    def changed(self) -> None:
        """The data behind this cache changed: forget it now (the transaction's own reads) and
        once more after commit, so a request that read the old data in between cannot leave it
        cached. Neither raises: a cache outage never rolls the change back."""
        self.bump()
        transaction.on_commit(self.bump)

    def _key(self, version: str, name: str) -> str:
        return f"{self.namespace}:{version}:{hashlib.sha256(name.encode()).hexdigest()[:32]}"

    def key_for(self, name: str) -> str | None:
        """The key of `name` under the current data version; None when the cache is down."""
        try:
            return self._key(self.version(), name)
        except CacheUnavailable:
            return None

    def get(self, key: str) -> Any:
        """The value stored under `key` (from `key_for`), None when missing or the cache is down."""
        with suppress(CacheUnavailable):
            return _cache_call("get", self.namespace, key)
        return None

    def set(self, key: str, value: Any, timeout: int | None = None) -> None:
        """Store `value` under `key` (from `key_for`) for `timeout` seconds (default: the
        namespace's); with the cache down, nothing is stored."""
        with suppress(CacheUnavailable):  # logged; the next request builds it again
            _cache_call("set", self.namespace, key, value, timeout or self.timeout)

    def cached(self, name: str, build: Callable[[], T]) -> T:
        """The value cached under `name` for the current data version, built when missing."""
        try:
            key = self._key(self.version(), name)
            value = _cache_call("get", self.namespace, key)
        except CacheUnavailable:
            return build()
        if value is None:
            value = build()
            with suppress(CacheUnavailable):  # logged; the next request builds it again
                _cache_call("set", self.namespace, key, value, self.timeout)
        return value

    def cached_parts(
        self, wanted: list[str], build: Callable[[], dict[str, T]], *, version: str | None = None
    ) -> dict[str, T]:
        """The values cached under the `wanted` names for the current data version (or for
        `version`, read by the caller before it read anything else). When one is missing,
        `build()` makes every part at once (a dict of name -> value that holds at least the
        wanted names): all are cached, under the version read before building (a change during
        the build leaves them unreachable, never newer than they are)."""
        try:
            if version is None:
                version = self.version()
            keys = {name: self._key(version, name) for name in wanted}
            found = _cache_call("get_many", self.namespace, list(keys.values()))
        except CacheUnavailable:
            return {name: value for name, value in build().items() if name in wanted}
        if all(key in found for key in keys.values()):
            return {name: found[key] for name, key in keys.items()}
        parts = build()
        self.keep_parts(parts, version=version)
        return {name: parts[name] for name in wanted}

    def found_parts(self, names: list[str], *, version: str) -> dict[str, Any]:
        """The values cached under `names` for `version` that are there (none when the cache is
        down), in one round trip."""
        keys = {name: self._key(version, name) for name in names}
        try:
            found = _cache_call("get_many", self.namespace, list(keys.values()))
        except CacheUnavailable:
            return {}
        return {name: found[key] for name, key in keys.items() if key in found}

    def keep_parts(self, values: dict[str, Any], *, version: str) -> None:
        """Store `values` (name -> value) under `version`; with the cache down, nothing is."""
        with suppress(CacheUnavailable):  # logged; the next request builds them again
            _cache_call(
                "set_many",
                self.namespace,
                {self._key(version, name): value for name, value in values.items()},
                self.timeout,
            )
