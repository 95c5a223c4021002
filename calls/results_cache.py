"""The cache of what is computed from a call's evaluation inputs (its ranking first of all).

One `VersionedCache` namespace per call. Every service that changes an input of the results
(an application's state, submission or withdrawal, the call's rules and criteria, and in the
evaluation app the scores, assignments and consensus steps) calls `results_changed` in its
transaction: the version is replaced at the change and again after commit, so nothing computed
before the change is read again. It lives here, below the evaluation app, so that the calls
app's own changes can invalidate what the evaluation app caches.
"""

from minegap.core.cache import VersionedCache

#: Invalidation does the real work. This bounds the memory a call's results keep, and how long
#: a change made while the cache server could not be told (an outage, logged) goes unseen:
#: recomputing a call's ranking once an hour costs well under a second.
RESULTS_TIMEOUT = 60 * 60


def results_cache(call_id: int) -> VersionedCache:
    return VersionedCache(f"calls:results:{call_id}", timeout=RESULTS_TIMEOUT)


def results_changed(call_id: int) -> None:
    """An input of the call's results changed (inside the writing transaction)."""
    results_cache(call_id).changed()
