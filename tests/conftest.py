import pytest
from django.db import connections


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Each test writes files to its own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


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
