"""What each app holds about a person, and how long it keeps it (GDPR).

An app registers, in its ``AppConfig.ready()``, a ``PersonalDataSection`` (export and erasure of
one person's data) and one ``RetentionRule`` per kind of record it deletes or pseudonymises when
its period ends. ``minegap`` knows no app: the registries are filled at start-up, like the slots
(``minegap.core.slots``), and read by the export, the erasure, ``apply_retention`` and the privacy
notice, so the notice always states the periods the platform applies.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class Kept:
    """What a retention rule keeps after an erasure request, and until when."""

    what: str
    until: date
    rule: str


@dataclass(frozen=True)
class ErasureOutcome:
    erased: list[str]
    kept: list[Kept]


@dataclass(frozen=True)
class PersonalDataSection:
    name: str
    export: Callable[[Any], dict]
    erase: Callable[[Any, datetime], ErasureOutcome]


@dataclass(frozen=True)
class RetentionRule:
    name: str
    description: str
    period: str
    # (now, dry_run) -> number of records due; they are changed only when dry_run is False.
    apply: Callable[[datetime, bool], int]


_sections: dict[str, PersonalDataSection] = {}
_retention_rules: dict[str, RetentionRule] = {}


def register_section(section: PersonalDataSection) -> PersonalDataSection:
    if section.name in _sections:
        raise ImproperlyConfigured(f"A personal data section named {section.name!r} exists.")
    _sections[section.name] = section
    return section


def sections() -> list[PersonalDataSection]:
    return sorted(_sections.values(), key=lambda s: s.name)


def register_retention(rule: RetentionRule) -> RetentionRule:
    if rule.name in _retention_rules:
        raise ImproperlyConfigured(f"A retention rule named {rule.name!r} exists.")
    _retention_rules[rule.name] = rule
    return rule


def retention_rules() -> list[RetentionRule]:
    return sorted(_retention_rules.values(), key=lambda r: r.name)
