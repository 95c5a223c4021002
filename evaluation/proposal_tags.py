"""The expertise tags of a proposal: what the assignment matches evaluators against.

Applications do not (yet) say which of the call's thematic areas and value-chain stages they
address, so the tags are the areas and stages their title, summary and answers mention
(case-insensitive), as submitted. Tags look like an `EvaluatorExpertise.tag`: ``area:ore sorting``,
``stage:processing``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from calls.models import Call
from calls.records import ApplicationRecord
from evaluation.models import ExpertiseKind, ValueChainStage


def proposal_tagger(call: Call) -> Callable[[Iterable[str]], frozenset[str]]:
    """The tags of a proposal's texts (title, acronym, summary, answers: `SubmittedProfile.texts`)
    for many proposals of one call: the call's phrases and the stages' labels (in the active
    language) read and compiled once, not once a proposal."""
    phrases: list[tuple[str, tuple[tuple[str, re.Pattern], ...]]] = [
        (f"{ExpertiseKind.AREA}:{area.strip().lower()}", (_word(area.strip().lower()),))
        for area in (call.thematic_areas or [])
        if area.strip()
    ]
    phrases += [
        (f"{ExpertiseKind.STAGE}:{value}", (_word(value), _word(str(label).lower())))
        for value, label in ValueChainStage.choices
    ]

    def tags(texts: Iterable[str]) -> frozenset[str]:
        text = " ".join(texts).lower()
        # The plain substring test first: most phrases are absent from most texts, and it
        # costs a tenth of the word-boundary search it spares (2,000 proposals of a call).
        return frozenset(
            tag
            for tag, patterns in phrases
            if any(phrase in text and pattern.search(text) for phrase, pattern in patterns)
        )

    return tags


def _word(phrase: str) -> tuple[str, re.Pattern]:
    return phrase, re.compile(rf"\b{re.escape(phrase)}\b")


def proposal_tags(call: Call, record: ApplicationRecord) -> frozenset[str]:
    """The tags the submitted version's title, summary and answers mention."""
    return proposal_tagger(call)(
        [record.title, record.acronym, record.summary, *(a.text for a in record.answers)]
    )
