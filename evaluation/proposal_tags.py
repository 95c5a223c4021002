"""The expertise tags of a proposal: what the assignment matches evaluators against.

Applications do not (yet) say which of the call's thematic areas and value-chain stages they
address, so the tags are the areas and stages their title, summary and answers mention
(case-insensitive), as submitted. Tags look like an `EvaluatorExpertise.tag`: ``area:ore sorting``,
``stage:processing``.
"""

from __future__ import annotations

import re

from calls.models import Call
from calls.records import ApplicationRecord
from evaluation.models import ExpertiseKind, ValueChainStage


def _mentions(text: str, phrase: str) -> bool:
    return re.search(rf"\b{re.escape(phrase)}\b", text) is not None


def proposal_tags(call: Call, record: ApplicationRecord) -> frozenset[str]:
    """The tags the submitted version's title, summary and answers mention."""
    text = " ".join(
        [record.title, record.acronym, record.summary] + [answer.text for answer in record.answers]
    ).lower()
    tags = {
        f"{ExpertiseKind.AREA}:{area.strip().lower()}"
        for area in (call.thematic_areas or [])
        if area.strip() and _mentions(text, area.strip().lower())
    }
    tags |= {
        f"{ExpertiseKind.STAGE}:{value}"
        for value, label in ValueChainStage.choices
        if _mentions(text, value) or _mentions(text, str(label).lower())
    }
    return frozenset(tags)
