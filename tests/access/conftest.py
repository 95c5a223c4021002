"""One seeded world per test module, built once and rolled back at the end of the module."""

import pytest
from django.db import transaction
from django.test import TestCase, override_settings

from tests.access.world import build


@pytest.fixture(scope="module")
def world_media(tmp_path_factory):
    return tmp_path_factory.mktemp("access-media")


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, world_media):
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=world_media),
        transaction.atomic(),
    ):
        # Receipts, minutes and reports are rendered after commit: run those callbacks now.
        with TestCase.captureOnCommitCallbacks(execute=True):
            seeded = build()
        yield seeded
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _media_root(settings, world_media):
    """The world's files stay where it wrote them (tests/conftest.py gives each test its own)."""
    settings.MEDIA_ROOT = world_media
