import pytest

from tests.mentoring.factories import expert, mentored_project
from tests.vouchers.factories import staff_user


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def staff(db):
    return staff_user(full_name="Stella Staff")


@pytest.fixture
def mentor(db):
    return expert(full_name="Marta Mentor", email="marta.mentor@example.eu")


@pytest.fixture
def project(staff):
    return mentored_project(staff)
