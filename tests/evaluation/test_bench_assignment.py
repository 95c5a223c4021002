"""The 2,000 x 300 x 3 assignment benchmark runs, is feasible, valid and fast enough."""

import json
from collections import Counter

from bench import evaluation_assignment as bench
from evaluation.assignment import Exclusion, exclusion, solve


def test_benchmark_prints_its_figures_as_json(capsys):
    report = bench.solver_benchmark(bench.generate())
    printed = json.loads(capsys.readouterr().out)
    assert printed == report
    assert (
        printed["benchmark"],
        printed["proposals"],
        printed["evaluators"],
        printed["reviewers_per_proposal"],
        printed["feasible"],
    ) == ("evaluation_assignment", 2000, 300, 3, True)
    assert printed["objective"] == printed["total_match"] - printed["load_penalty"]
    assert printed["seconds"] < 10


def test_benchmark_solution_keeps_every_rule():
    problem = bench.generate()
    result = solve(problem)
    proposals = {p.id: p for p in problem.proposals}
    evaluators = {e.id: e for e in problem.evaluators}
    assert Counter(a.proposal_id for a in result.assignments) == dict.fromkeys(proposals, 3)
    assert len({(a.proposal_id, a.evaluator_id) for a in result.assignments}) == 6000
    broken = [
        a
        for a in result.assignments
        if exclusion(
            proposals[a.proposal_id], evaluators[a.evaluator_id], forbidden=problem.forbidden
        )
        is not None
    ]
    assert broken == []
    assert [e for e, n in result.loads.items() if n > evaluators[e].max_load] == []
    # The data exercise every rule (the figures are fixed by the seed).
    excluded = Counter(
        exclusion(p, e, forbidden=problem.forbidden)
        for p in problem.proposals
        for e in problem.evaluators
    )
    assert excluded == {
        None: 509867,
        Exclusion.COUNTRY: 87029,
        Exclusion.CONFLICT: 2991,
        Exclusion.EMPLOYER: 113,
    }
