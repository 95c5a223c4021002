"""The evaluator-assignment problem: plain, typed input and output records.

Nothing here knows about Django models: a service (a later slice) loads the call's eligible
applications, its evaluator pool, the manual assignments and the declared conflicts, builds an
:class:`AssignmentProblem`, hands it to :func:`evaluation.assignment.solver.solve` and stores
the :class:`AssignmentResult`.

Ids are integers (database primary keys); ``label`` is what people read in messages (the
application reference such as ``P-0007``, or an evaluator's display name for staff).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

#: Best possible expertise match of one (proposal, evaluator) pair.
MAX_MATCH = 100

#: Extra cost, in match points, of each further proposal on the same evaluator.
#:
#: The solver maximises ``total match - load_spread_cost * sum(L * (L - 1) / 2)`` over the
#: evaluators' loads ``L``: the k-th proposal of an evaluator costs ``(k - 1) * load_spread_cost``.
#: The marginal cost grows with the load, so among equally good matches the solver always spreads
#: the work. The trade-off: the solver gives an evaluator already holding ``d`` more proposals
#: than another eligible evaluator one more proposal only when that improves the pair's match by
#: more than ``d * load_spread_cost`` points (of 100). With 10, a perfect expert (100) beats a
#: half expert (50) up to 5 proposals of difference in load; 0 turns spreading off; a very large
#: value spreads evenly whatever the expertise.
DEFAULT_LOAD_SPREAD_COST = 10


class InvalidProblem(ValueError):
    """The input contradicts itself (unknown ids, a manual choice breaking a hard rule...)."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = tuple(errors)


@dataclass(frozen=True)
class ProposalSpec:
    """An eligible application waiting for evaluators."""

    id: int
    reviewers: int  # N evaluators it needs in total (manual assignments included)
    countries: frozenset[str] = frozenset()  # countries of its consortium members
    organisation_ids: frozenset[int] = frozenset()  # its consortium members
    expertise: frozenset[str] = frozenset()  # tags: thematic areas, value-chain stages...
    label: str = ""

    @property
    def name(self) -> str:
        return self.label or str(self.id)


@dataclass(frozen=True)
class EvaluatorSpec:
    """An evaluator of the call's pool.

    ``expertise`` maps a tag to a weight in (0, 1] with at most two decimals (e.g. 1 for a
    main area, 0.5 for a secondary one).
    """

    id: int
    max_load: int
    country: str = ""
    employer_id: int | None = None
    expertise: Mapping[str, Decimal] = field(default_factory=dict)
    label: str = ""

    @property
    def name(self) -> str:
        return self.label or str(self.id)


@dataclass(frozen=True)
class AssignmentProblem:
    proposals: tuple[ProposalSpec, ...]
    evaluators: tuple[EvaluatorSpec, ...]
    #: (proposal id, evaluator id) chosen by staff: kept, count toward N and toward the load.
    manual: frozenset[tuple[int, int]] = frozenset()
    #: (proposal id, evaluator id) declared conflicts: never assigned.
    forbidden: frozenset[tuple[int, int]] = frozenset()
    exclude_same_country: bool = True
    load_spread_cost: int = DEFAULT_LOAD_SPREAD_COST


class Exclusion(enum.StrEnum):
    """Why an evaluator cannot take a proposal (checked in this order: one reason each)."""

    EMPLOYER = "employer"  # works for a consortium member
    CONFLICT = "conflict"  # declared a conflict of interest
    COUNTRY = "country"  # shares an applicant's country (call setting)
    FULL = "full"  # maximum load already reached by manual assignments


@dataclass(frozen=True)
class Assignment:
    proposal_id: int
    evaluator_id: int
    score: int  # expertise match, 0..MAX_MATCH
    matched_expertise: tuple[str, ...]  # the tags they share, sorted: the reason shown to staff
    manual: bool


@dataclass(frozen=True)
class Shortfall:
    """A proposal that cannot get its N evaluators, whatever the others get."""

    proposal_id: int
    label: str
    reviewers: int  # N
    manual: int  # already assigned by hand
    eligible: int  # further evaluators it could get
    excluded: Mapping[Exclusion, int]  # the others, by reason

    @property
    def missing(self) -> int:
        return self.reviewers - self.manual - self.eligible


@dataclass(frozen=True)
class Bottleneck:
    """Proposals that each have enough eligible evaluators but compete for the same few.

    Together they need ``demand`` more evaluator places; the evaluators eligible for them can
    give at most ``places`` (their remaining load, one place per proposal each).
    """

    proposal_labels: tuple[str, ...]
    evaluator_labels: tuple[str, ...]
    demand: int
    places: int


@dataclass(frozen=True)
class AssignmentResult:
    feasible: bool
    #: Every assignment, manual ones included, sorted by (proposal id, evaluator id). When the
    #: problem is infeasible: the largest partial assignment, best by the same objective.
    assignments: tuple[Assignment, ...]
    total_match: int  # sum of the match scores of all assignments
    load_penalty: int  # load_spread_cost * sum(L * (L - 1) / 2)
    objective: int  # total_match - load_penalty: what the solver maximises
    loads: Mapping[int, int]  # evaluator id -> number of proposals (manual included)
    demand: int  # evaluator places still to fill (N minus manual, summed)
    capacity: int  # places left in the pool (max load minus manual, summed)
    shortfalls: tuple[Shortfall, ...] = ()
    bottlenecks: tuple[Bottleneck, ...] = ()
