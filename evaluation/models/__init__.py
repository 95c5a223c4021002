"""Evaluation data: eligibility, evaluators, assignments, scores, consensus."""

from evaluation.models.assignment import Assignment, AssignmentState, ConflictDeclaration
from evaluation.models.consensus import (
    Consensus,
    ConsensusAgreement,
    ConsensusScore,
    ConsensusState,
)
from evaluation.models.eligibility import (
    EligibilityCheck,
    EligibilityCheckItem,
    EligibilityDecision,
)
from evaluation.models.evaluators import (
    EvaluatorExpertise,
    EvaluatorInvitation,
    EvaluatorProfile,
    ExpertiseKind,
    ValueChainStage,
)
from evaluation.models.scoring import Score
from evaluation.models.settings import CallEvaluationSettings

__all__ = [
    "Assignment",
    "AssignmentState",
    "CallEvaluationSettings",
    "ConflictDeclaration",
    "Consensus",
    "ConsensusAgreement",
    "ConsensusScore",
    "ConsensusState",
    "EligibilityCheck",
    "EligibilityCheckItem",
    "EligibilityDecision",
    "EvaluatorExpertise",
    "EvaluatorInvitation",
    "EvaluatorProfile",
    "ExpertiseKind",
    "Score",
    "ValueChainStage",
]
