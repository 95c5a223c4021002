import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.utils import translation


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Each test writes files to its own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: cached values are named after row ids, which the
    next test's database (rolled back) hands out again."""
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request in another language leaves it active
    in the thread (LocaleMiddleware activates it and nothing deactivates it), and a later test
    on the same xdist worker formatted "1,5" or "1 de julio" depending on the order."""
    translation.activate(settings.LANGUAGE_CODE)


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
