"""Caches invalidated by a version key: one mechanism for every app that caches derived data.

Each cached value's key carries the namespace's current data version. A change replaces the
version, so every value cached before it becomes unreachable at once and expires on its own.
`changed()` replaces it at the change and again after the transaction commits, so a request that
read the old data in between cannot leave it cached.
"""

import hashlib
import uuid
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction

T = TypeVar("T")


class VersionedCache:
    def __init__(self, namespace: str, *, timeout: int) -> None:
        self.namespace = namespace
        self.timeout = timeout  # seconds; invalidation does the real work, this bounds memory
        self.version_key = f"{namespace}:data-version"

    def version(self) -> str:
        version = cache.get(self.version_key)
        if version is None:
            cache.add(self.version_key, uuid.uuid4().hex, None)
            version = cache.get(self.version_key) or "unversioned"
        return version

    def bump(self) -> None:
        cache.set(self.version_key, uuid.uuid4().hex, None)

    def changed(self) -> None:
        """The data behind this cache changed: forget it now and once more after commit."""
        self.bump()
        transaction.on_commit(self.bump)

    def cached(self, name: str, build: Callable[[], T]) -> T:
        """The value cached under `name` for the current data version, built when missing."""
        digest = hashlib.sha256(name.encode()).hexdigest()[:32]
        key = f"{self.namespace}:{self.version()}:{digest}"
        value = cache.get(key)
        if value is None:
            value = build()
            cache.set(key, value, self.timeout)
        return value
