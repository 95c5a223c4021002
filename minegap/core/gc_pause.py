"""Pausing the cyclic garbage collector around a burst of short-lived objects.

Computing a whole ranking creates tens of thousands of small acyclic objects (rows, Decimals,
dicts); each batch of allocations makes Python's cyclic collector walk the process's whole heap
again (a Django process holds hundreds of thousands of long-lived objects), which measured
about 45 % of a 5,000-application ranking's CPU time. Reference counting frees these objects
anyway; the collector runs again as soon as the block ends.
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
            gc.enable()
