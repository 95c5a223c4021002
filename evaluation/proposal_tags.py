"""The expertise tags of a proposal: what the assignment matches evaluators against.

Applications do not (yet) say which of the call's thematic areas and value-chain stages they
address, so the tags are the areas and stages their title, summary and answers mention
(case-insensitive), as submitted. Tags look like an `EvaluatorExpertise.tag`: ``area:ore sorting``,
``stage:processing``.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from calls.models import Call
from calls.records import ApplicationRecord
from evaluation.models import ExpertiseKind, ValueChainStage


def proposal_tagger(call: Call) -> Callable[[ApplicationRecord], frozenset[str]]:
    """`proposal_tags` for many records of one call: the call's phrases and the stages' labels
    (in the active language) read and compiled once, not once a record."""
    phrases: list[tuple[str, tuple[re.Pattern, ...]]] = [
        (f"{ExpertiseKind.AREA}:{area.strip().lower()}", (_word(area.strip().lower()),))
        for area in (call.thematic_areas or [])
        if area.strip()
    ]
    phrases += [
        (f"{ExpertiseKind.STAGE}:{value}", (_word(value), _word(str(label).lower())))
        for value, label in ValueChainStage.choices
    ]

    def tags(record: ApplicationRecord) -> frozenset[str]:
        text = " ".join(
            [record.title, record.acronym, record.summary]
            + [answer.text for answer in record.answers]
        ).lower()
        found = set()
        for tag, patterns in phrases:
            if any(pattern.search(text) for pattern in patterns):
                found.add(tag)
        return frozenset(found)

    return tags


def _word(phrase: str) -> re.Pattern:
    return re.compile(rf"\b{re.escape(phrase)}\b")


def proposal_tags(call: Call, record: ApplicationRecord) -> frozenset[str]:
    """The tags the submitted version's title, summary and answers mention."""
    return proposal_tagger(call)(record)
