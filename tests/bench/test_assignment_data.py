"""The assignment benchmark's problem written into the database reads back as the same problem
through the service's `build_problem` (what `make bench BENCH=evaluation_assignment` times)."""

from decimal import Decimal

import pytest

from bench._assignment_data import write_problem
from evaluation.assignment import AssignmentProblem, EvaluatorSpec, ProposalSpec
from evaluation.services.assignment import build_problem


@pytest.mark.django_db
def test_written_problem_reads_back_through_the_service():
    problem = AssignmentProblem(
        proposals=(
            ProposalSpec(
                id=1,
                reviewers=2,
                countries=frozenset({"FI", "SE"}),
                organisation_ids=frozenset({10, 11}),
                expertise=frozenset({"mining-services", "processing", "lithium"}),
                label="P-1",
            ),
            ProposalSpec(
                id=2,
                reviewers=2,
                countries=frozenset({"PT", "ES"}),
                organisation_ids=frozenset({12, 13, 14}),
                expertise=frozenset({"ict"}),
                label="P-2",
            ),
        ),
        evaluators=(
            EvaluatorSpec(
                id=1,
                max_load=3,
                country="DE",
                employer_id=12,
                expertise={"ict": Decimal("0.75"), "processing": Decimal("1"), "cobalt": 1},
                label="E-1",
            ),
            EvaluatorSpec(id=2, max_load=5, country="FI", employer_id=None, expertise={}),
        ),
        forbidden=frozenset({(1, 2)}),
    )
    call = write_problem(problem, ["ict", "mining-services"], slug="tiny-assignment")

    read = build_problem(call)

    by_reference = {p.label: p for p in read.proposals}
    first, second = by_reference[f"{call.code}-0001"], by_reference[f"{call.code}-0002"]
    # Materials are neither an area of the call nor a stage: not found in a text either.
    assert first.expertise == frozenset({"area:mining-services", "stage:processing"})
    assert second.expertise == frozenset({"area:ict"})
    assert (first.countries, second.countries) == ({"FI", "SE"}, {"ES", "PT"})
    assert (len(first.organisation_ids), len(second.organisation_ids)) == (2, 3)
    assert (first.reviewers, second.reviewers) == (2, 2)
    evaluators = sorted(read.evaluators, key=lambda e: e.label)
    assert [(e.max_load, e.country, e.expertise) for e in evaluators] == [
        (3, "DE", {"area:ict": Decimal("0.75"), "stage:processing": Decimal("1")}),
        (5, "FI", {}),
    ]
    # The first evaluator works for a member of the second proposal.
    assert evaluators[0].employer_id in second.organisation_ids
    # The forbidden pair (proposal 1, evaluator 2) is a declined assignment.
    assert read.forbidden == frozenset({(first.id, evaluators[1].id)})
