"""What each app holds about a person, and how long it keeps it (GDPR).

An app registers, in its ``AppConfig.ready()``, an ``ExportSection`` (what it holds about one
person, for the "My data" download), an ``ErasureSection`` (how it erases or pseudonymises that
person on request, and what it must keep) and one ``RetentionRule`` per kind of record it deletes
or pseudonymises when its period ends. Export and erasure are separate registries because an app
may hold data it exports but never erases itself (another app's erasure pseudonymises the row). ``minegap`` knows no app: the registries are filled at start-up, like the slots
(``minegap.core.slots``), and read by the export, the erasure, ``apply_retention`` and the privacy
notice, so the notice always states the periods the platform applies.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.serializers.json import DjangoJSONEncoder


@dataclass(frozen=True)
class Kept:
    """What a retention rule keeps after an erasure request, and until when."""

    what: str
    # None while the period has not started yet (e.g. a funded project not yet paid in full).
    until: date | None
    rule: str


@dataclass(frozen=True)
class ErasureOutcome:
    erased: list[str]
    kept: list[Kept]


@dataclass(frozen=True)
class ExportSection:
    name: str
    # user -> JSON-serialisable dict of what this app holds about the user.
    export: Callable[[Any], dict]


@dataclass(frozen=True)
class ErasureSection:
    name: str
    # (user, now) -> what was erased and what a retention rule keeps, and until when.
    erase: Callable[[Any, datetime], ErasureOutcome]


@dataclass(frozen=True)
class RetentionRule:
    name: str
    description: str
    period: str
    # (now, dry_run) -> number of records due; they are changed only when dry_run is False.
    apply: Callable[[datetime, bool], int]


_export_sections: dict[str, ExportSection] = {}
_erasure_sections: dict[str, ErasureSection] = {}
_retention_rules: dict[str, RetentionRule] = {}


def _register(registry: dict, item, kind: str):
    if item.name in registry:
        raise ImproperlyConfigured(f"A {kind} named {item.name!r} exists.")
    registry[item.name] = item
    return item


def _by_name(registry: dict) -> list:
    return sorted(registry.values(), key=lambda item: item.name)


def register_export(section: ExportSection) -> ExportSection:
    return _register(_export_sections, section, "export section")


def export_sections() -> list[ExportSection]:
    return _by_name(_export_sections)


def register_erasure(section: ErasureSection) -> ErasureSection:
    return _register(_erasure_sections, section, "erasure section")


def erasure_sections() -> list[ErasureSection]:
    return _by_name(_erasure_sections)


def register_retention(rule: RetentionRule) -> RetentionRule:
    return _register(_retention_rules, rule, "retention rule")


def retention_rules() -> list[RetentionRule]:
    return _by_name(_retention_rules)


def plain(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` as JSON gives it back: dates and times in ISO 8601, decimals and lazy
    translations as strings; what an export section returns, so the file holds what it shows."""
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))
