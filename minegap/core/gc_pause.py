"""Pausing the cyclic garbage collector around a burst of short-lived objects.

Computing a whole ranking creates tens of thousands of small acyclic objects (rows, Decimals,
dicts); each batch of allocations makes Python's cyclic collector walk the process's whole heap
again (a Django process holds hundreds of thousands of long-lived objects), which measured
about 45 % of a 5,000-application ranking's CPU time. Reference counting frees these objects
anyway; the collector runs again as soon as the block ends.

What the block returns is still alive when it ends (a ranking of 5,000 applications: about
85,000 tracked containers), and the young generation then counts every one of them, so the
first allocation after the block walked them all, and the next middle-generation collection
again: 30-50 ms of the 5,000 ranking's 0.3 s (issue #15). Those objects are moved at once to
the oldest generation instead (`gc.freeze` then `gc.unfreeze`: two list splices, whatever
their number), where only a full collection visits them; they die by reference counting long
before one. The price: a reference cycle made during the block (or shortly before it) waits
for the next full collection instead of a young one. A process that froze objects itself
(`gc.freeze` before forking workers) keeps them frozen: then the survivors stay young.
"""

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collection_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            _age_survivors()
            gc.enable()


def _age_survivors() -> None:
    """Move every tracked object to the oldest generation, unless some are frozen already
    (unfreezing would thaw them too)."""
    if gc.get_freeze_count() == 0:
        gc.freeze()
        gc.unfreeze()
