import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache():
    """Facet counts are cached: each test starts from an empty cache."""
    cache.clear()
    yield
    cache.clear()
