"""Cache of the public figures and lists (`minegap.core.cache.VersionedCache`).

Any change to the calls records the public site reads (see `public.signals`) replaces the data
version, at the change and again after commit.
"""

from minegap.core.cache import VersionedCache

public_cache = VersionedCache("public", timeout=60 * 10)

data_version = public_cache.version
bump_version = public_cache.bump
cached = public_cache.cached
