import pytest

from minegap.core.cache import VersionedCache


@pytest.mark.django_db
def test_values_are_built_once_per_version_and_rebuilt_after_a_change(
    django_capture_on_commit_callbacks,
):
    cache = VersionedCache("test-versioned", timeout=60)
    builds = []

    def build():
        builds.append(1)
        return {"n": len(builds)}

    first = cache.cached("figures", build)
    again = cache.cached("figures", build)
    before = cache.version()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        cache.changed()
        during = cache.version()
    after = cache.version()
    rebuilt = cache.cached("figures", build)

    assert (first, again, rebuilt) == ({"n": 1}, {"n": 1}, {"n": 2})
    assert (len(callbacks), len({before, during, after})) == (1, 3)
