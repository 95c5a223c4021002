import pytest

from tests.vouchers.factories import staff_user


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Each test writes files to its own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def staff(db):
    return staff_user(full_name="Stella Staff")


@pytest.fixture
def staff2(db):
    return staff_user(full_name="Otto Second")


@pytest.fixture
def staff3(db):
    return staff_user(full_name="Rita Recorder")
