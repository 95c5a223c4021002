"""Evaluation data: eligibility, evaluators, assignments, scores, consensus, the committee's
decision, results to applicants and redress."""

from evaluation.models.assignment import Assignment, AssignmentState, ConflictDeclaration
from evaluation.models.consensus import (
    Consensus,
    ConsensusAgreement,
    ConsensusScore,
    ConsensusState,
)
from evaluation.models.decision import (
    DecisionAttendance,
    DecisionEntry,
    DecisionOutcome,
    DecisionSession,
    DecisionState,
    DecisionVote,
    ReserveMove,
    VoteChoice,
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
from evaluation.models.results import (
    Complaint,
    ComplaintState,
    EvaluationSummaryReport,
    ResultsPublication,
)
from evaluation.models.runs import AssignmentRun, AssignmentRunStage, AssignmentRunStatus
from evaluation.models.scoring import Score
from evaluation.models.settings import CallEvaluationSettings

__all__ = [
    "Assignment",
    "AssignmentRun",
    "AssignmentRunStage",
    "AssignmentRunStatus",
    "AssignmentState",
    "CallEvaluationSettings",
    "Complaint",
    "ComplaintState",
    "ConflictDeclaration",
    "Consensus",
    "ConsensusAgreement",
    "ConsensusScore",
    "ConsensusState",
    "DecisionAttendance",
    "DecisionEntry",
    "DecisionOutcome",
    "DecisionSession",
    "DecisionState",
    "DecisionVote",
    "EligibilityCheck",
    "EligibilityCheckItem",
    "EligibilityDecision",
    "EvaluationSummaryReport",
    "EvaluatorExpertise",
    "EvaluatorInvitation",
    "EvaluatorProfile",
    "ExpertiseKind",
    "ReserveMove",
    "ResultsPublication",
    "Score",
    "ValueChainStage",
    "VoteChoice",
]
