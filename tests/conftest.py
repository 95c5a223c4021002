import pytest
from django.core.cache import cache
from django.db import connections


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Each test writes files to its own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: cached values are named after row ids, which the
    next test's database (rolled back) hands out again."""
    cache.clear()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """Close any connection pool opened before the test database exists: a pool keeps serving
    the database it was opened on, so after pytest-django renames it per xdist worker the
    workers would migrate the same database at once."""
    for connection in connections.all():
        if getattr(connection, "pool", None) is not None:
            connection.close_pool()
        else:
            connection.close()
