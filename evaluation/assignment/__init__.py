"""Optimal evaluator assignment (pure functions; no Django models).

``solve(AssignmentProblem(...)) -> AssignmentResult``; ``result_messages(result)`` says what is
missing when no feasible assignment exists.
"""

from .messages import result_messages
from .problem import (
    DEFAULT_LOAD_SPREAD_COST,
    MAX_MATCH,
    Assignment,
    AssignmentProblem,
    AssignmentResult,
    Bottleneck,
    EvaluatorSpec,
    Exclusion,
    InvalidProblem,
    ProposalSpec,
    Shortfall,
)
from .solver import exclusion, match_score, solve, validate

__all__ = [
    "DEFAULT_LOAD_SPREAD_COST",
    "MAX_MATCH",
    "Assignment",
    "AssignmentProblem",
    "AssignmentResult",
    "Bottleneck",
    "EvaluatorSpec",
    "Exclusion",
    "InvalidProblem",
    "ProposalSpec",
    "Shortfall",
    "exclusion",
    "match_score",
    "result_messages",
    "solve",
    "validate",
]
