"""Sessions read from the cache and written through to the database (Django's ``cached_db``),
the cached copy kept at most ``SESSION_CACHE_SECONDS``.

Every signed-in request reads its session: from Redis that is one GET instead of a query and the
ORM's work around it (issue #15: about 0.4 ms of CPU a request). The database stays the record,
so sessions survive the loss of Redis, and an outage is a miss (``minegap.core.cache_backend``)
that reads the row. Sign-out, ``flush``, ``cycle_key`` and deletions through the session engine
remove the cached copy too; the expiry is the cache's timeout, as it is the row's.

Any cache error is logged and the database answers (even with a cache backend that raises). The
cap bounds the one thing the cache could stretch: a session deleted (sign-out, erasure)
while Redis did not answer keeps a cached copy that Redis may serve again once it is back; that
copy then lives at most the cap, and a busy session reads its row once per cap.
"""

import logging

from django.conf import settings
from django.contrib.sessions.backends import cached_db, db

logger = logging.getLogger("django.contrib.sessions")


def _cache_seconds(expiry_age: int) -> int:
    return min(expiry_age, settings.SESSION_CACHE_SECONDS)


class SessionStore(cached_db.SessionStore):
    def load(self) -> dict:
        try:
            data = self._cache.get(self.cache_key)
        except Exception:  # Django's own guard: some backends refuse some keys (its #17810)
            data = None
        if data is not None:
            return data
        stored = self._get_session_from_db()
        if not stored:
            return {}
        data = self.decode(stored.session_data)
        try:
            self._cache.set(
                self.cache_key,
                data,
                _cache_seconds(self.get_expiry_age(expiry=stored.expire_date)),
            )
        except Exception:
            logger.exception("Error saving to cache (%s)", self._cache)
        return data

    def exists(self, session_key: str) -> bool:
        # Whether a new key is taken: the database, the record, answers alone (the cache holds
        # copies of its rows), and an unreachable Redis never makes a sign-in fail.
        return db.SessionStore.exists(self, session_key)

    def delete(self, session_key: str | None = None) -> None:
        db.SessionStore.delete(self, session_key)
        if session_key is None:
            if self.session_key is None:
                return
            session_key = self.session_key
        try:
            self._cache.delete(self.cache_key_prefix + session_key)
        except Exception:  # the row is gone; the copy lives at most SESSION_CACHE_SECONDS
            logger.exception("Error deleting from cache (%s)", self._cache)

    def save(self, must_create: bool = False) -> None:
        # The row first, as cached_db does, but its cached copy with the capped timeout (the
        # parent's save would cache it for the whole expiry).
        db.SessionStore.save(self, must_create)
        try:
            self._cache.set(self.cache_key, self._session, _cache_seconds(self.get_expiry_age()))
        except Exception:
            logger.exception("Error saving to cache (%s)", self._cache)
