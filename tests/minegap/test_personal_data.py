"""The personal data registries: apps register export/erasure sections and retention rules."""

from datetime import date, datetime

import pytest
from django.core.exceptions import ImproperlyConfigured

from minegap.core import personal_data
from minegap.core.personal_data import (
    ErasureOutcome,
    ErasureSection,
    ExportSection,
    Kept,
    RetentionRule,
)


@pytest.fixture
def cleanup():
    """Names registered by a test are removed after it, so `apply_retention` never runs them."""
    names: list[str] = []
    yield names
    for name in names:
        personal_data._retention_rules.pop(name, None)
        personal_data._export_sections.pop(name, None)
        personal_data._erasure_sections.pop(name, None)


def nothing_due(now: datetime, dry_run: bool) -> int:
    return 0


def test_retention_rules_are_listed_by_name(cleanup):
    cleanup += ["test.zeta", "test.alpha"]
    personal_data.register_retention(RetentionRule("test.zeta", "Z", "1 day", nothing_due))
    personal_data.register_retention(RetentionRule("test.alpha", "A", "2 days", nothing_due))

    names = [rule.name for rule in personal_data.retention_rules()]

    assert names.index("test.alpha") < names.index("test.zeta")
    assert {"test.alpha", "test.zeta"} <= set(names)


def test_a_retention_rule_name_is_registered_once(cleanup):
    cleanup.append("test.twice")
    personal_data.register_retention(RetentionRule("test.twice", "T", "1 day", nothing_due))

    with pytest.raises(ImproperlyConfigured):
        personal_data.register_retention(RetentionRule("test.twice", "T", "1 day", nothing_due))


def test_export_sections_are_registered_once_and_listed_by_name(cleanup):
    cleanup += ["test-b", "test-a"]
    personal_data.register_export(ExportSection("test-b", lambda user: {}))
    personal_data.register_export(ExportSection("test-a", lambda user: {"a": 1}))

    names = [section.name for section in personal_data.export_sections()]
    assert names.index("test-a") < names.index("test-b")
    with pytest.raises(ImproperlyConfigured):
        personal_data.register_export(ExportSection("test-a", lambda user: {}))


def test_erasure_sections_are_registered_once_and_listed_by_name(cleanup):
    cleanup += ["test-d", "test-c"]

    def erase(user, now):
        return ErasureOutcome(
            erased=["Your phone number"],
            kept=[Kept("Your signed agreement", date(2031, 1, 1), "Funded projects: 5 years")],
        )

    personal_data.register_erasure(ErasureSection("test-d", erase))
    personal_data.register_erasure(ErasureSection("test-c", erase))

    names = [section.name for section in personal_data.erasure_sections()]
    assert names.index("test-c") < names.index("test-d")
    with pytest.raises(ImproperlyConfigured):
        personal_data.register_erasure(ErasureSection("test-c", erase))


def test_the_records_are_frozen():
    kept = Kept("Your name on VA-2026-003", date(2029, 6, 30), "3 years after the final payment")

    with pytest.raises(AttributeError):
        kept.until = date(2030, 1, 1)
