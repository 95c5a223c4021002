"""The optimal evaluator assignment: hard rules, loads, manual choices, optimality, messages."""

import itertools
import random
from decimal import Decimal

import pytest

from evaluation.assignment import (
    AssignmentProblem,
    EvaluatorSpec,
    Exclusion,
    InvalidProblem,
    ProposalSpec,
    exclusion,
    match_score,
    result_messages,
    solve,
)

D = Decimal


def proposal(pid, reviewers=1, countries=(), orgs=(), tags=(), label=""):
    return ProposalSpec(
        id=pid,
        reviewers=reviewers,
        countries=frozenset(countries),
        organisation_ids=frozenset(orgs),
        expertise=frozenset(tags),
        label=label,
    )


def evaluator(eid, max_load=5, country="", employer=None, tags=None, label=""):
    return EvaluatorSpec(
        id=eid,
        max_load=max_load,
        country=country,
        employer_id=employer,
        expertise={t: D(w) for t, w in (tags or {}).items()},
        label=label,
    )


def pairs(result, manual=None):
    return [
        (a.proposal_id, a.evaluator_id)
        for a in result.assignments
        if manual is None or a.manual == manual
    ]


# --- match score ------------------------------------------------------------------------------


def test_match_score_is_the_weighted_share_of_the_proposals_tags_rounded_half_up():
    p = proposal(1, tags=["ict", "lithium", "recycling"])
    e = evaluator(1, tags={"ict": "1", "lithium": "0.5", "cobalt": "1"})
    # 100 * (1 + 0.5) / 3 = 50 exactly
    assert match_score(p, e) == (50, ("ict", "lithium"))
    e2 = evaluator(2, tags={"ict": "0.25", "recycling": "0.25"})
    # 100 * 0.5 / 3 = 16.67 -> 17; 100 * 0.25 / 2 = 12.5 -> 13 (half up)
    assert match_score(p, e2) == (17, ("ict", "recycling"))
    assert match_score(proposal(2, tags=["ict", "gallium"]), e2) == (13, ("ict",))
    assert match_score(proposal(3), e) == (0, ())


def test_exclusion_names_the_first_hard_rule_broken():
    p = proposal(1, countries=["FI", "ES"], orgs=[7, 8])
    assert exclusion(p, evaluator(1, country="FI", employer=8)) == Exclusion.EMPLOYER
    assert (
        exclusion(p, evaluator(2, country="FI"), forbidden=frozenset({(1, 2)}))
        == Exclusion.CONFLICT
    )
    assert exclusion(p, evaluator(3, country="ES")) == Exclusion.COUNTRY
    assert exclusion(p, evaluator(3, country="ES"), exclude_same_country=False) is None
    assert exclusion(p, evaluator(4, country="SE", employer=9)) is None


# --- hard rules -------------------------------------------------------------------------------


def test_never_assigns_an_evaluator_to_a_proposal_involving_their_employer():
    p = proposal(1, reviewers=1, orgs=[42], tags=["ict"])
    expert = evaluator(1, employer=42, tags={"ict": "1"})
    novice = evaluator(2, employer=43)
    result = solve(AssignmentProblem(proposals=(p,), evaluators=(expert, novice)))
    assert result.feasible is True
    assert pairs(result) == [(1, 2)]


def test_same_country_is_excluded_by_default_and_allowed_when_the_call_says_so():
    p = proposal(1, reviewers=1, countries=["FI", "SE"], tags=["ict"])
    finn = evaluator(1, country="FI", tags={"ict": "1"})
    spaniard = evaluator(2, country="ES")
    problem = AssignmentProblem(proposals=(p,), evaluators=(finn, spaniard))
    assert pairs(solve(problem)) == [(1, 2)]
    allowed = AssignmentProblem(
        proposals=(p,), evaluators=(finn, spaniard), exclude_same_country=False
    )
    assert pairs(solve(allowed)) == [(1, 1)]


def test_declared_conflicts_are_never_assigned():
    p = proposal(1, reviewers=1, tags=["ict"])
    expert = evaluator(1, tags={"ict": "1"})
    other = evaluator(2)
    problem = AssignmentProblem(
        proposals=(p,), evaluators=(expert, other), forbidden=frozenset({(1, 1)})
    )
    assert pairs(solve(problem)) == [(1, 2)]


def test_maximum_load_is_respected_even_against_a_better_match():
    ps = tuple(proposal(i, reviewers=1, tags=["ict"]) for i in range(1, 4))
    expert = evaluator(1, max_load=1, tags={"ict": "1"})
    others = (evaluator(2, max_load=5), evaluator(3, max_load=5))
    result = solve(AssignmentProblem(proposals=ps, evaluators=(expert, *others)))
    assert result.feasible is True
    assert result.loads == {1: 1, 2: 1, 3: 1}
    assert sum(1 for a in result.assignments if a.evaluator_id == 1) == 1


def test_each_proposal_gets_exactly_n_distinct_evaluators():
    ps = tuple(proposal(i, reviewers=3) for i in range(1, 6))
    es = tuple(evaluator(i, max_load=4) for i in range(1, 6))
    result = solve(AssignmentProblem(proposals=ps, evaluators=es))
    assert result.feasible is True
    for p in ps:
        chosen = [e for pid, e in pairs(result) if pid == p.id]
        assert len(chosen) == 3
        assert len(set(chosen)) == 3
    assert sorted(result.loads.values()) == [3, 3, 3, 3, 3]


# --- manual choices ---------------------------------------------------------------------------


def test_manual_assignments_are_kept_and_count_toward_n_and_load():
    p1 = proposal(1, reviewers=2, tags=["ict"])
    p2 = proposal(2, reviewers=1, tags=["ict"])
    # Evaluator 1 is the best match for both, but staff gave it p1 by hand and its load is 1.
    e1 = evaluator(1, max_load=1, tags={"ict": "1"})
    e2 = evaluator(2, max_load=2, tags={"ict": "0.5"})
    e3 = evaluator(3, max_load=2)
    result = solve(
        AssignmentProblem(proposals=(p1, p2), evaluators=(e1, e2, e3), manual=frozenset({(1, 1)}))
    )
    assert result.feasible is True
    assert pairs(result, manual=True) == [(1, 1)]
    # Evaluator 2 (match 50) takes both remaining places: a second proposal costs it only 10.
    assert pairs(result) == [(1, 1), (1, 2), (2, 2)]
    assert result.loads[1] == 1
    assert result.demand == 2  # p1 needs 1 more, p2 needs 1


def test_manual_assignment_of_a_poor_match_is_not_undone():
    p = proposal(1, reviewers=1, tags=["ict"])
    expert = evaluator(1, tags={"ict": "1"})
    novice = evaluator(2)
    result = solve(
        AssignmentProblem(proposals=(p,), evaluators=(expert, novice), manual=frozenset({(1, 2)}))
    )
    assert [(a.proposal_id, a.evaluator_id, a.manual, a.score) for a in result.assignments] == [
        (1, 2, True, 0)
    ]


def test_invalid_input_is_refused_with_every_error():
    p = proposal(1, reviewers=1, countries=["FI"], orgs=[5], label="P-0001")
    e1 = evaluator(1, country="FI", label="Ann")
    e2 = evaluator(2, max_load=0, employer=5, label="Bob")
    with pytest.raises(InvalidProblem) as caught:
        solve(
            AssignmentProblem(
                proposals=(p,), evaluators=(e1, e2), manual=frozenset({(1, 1), (1, 2), (9, 1)})
            )
        )
    assert caught.value.errors == (
        "manual assignment of Ann to P-0001 breaks a hard rule (country)",
        "manual assignment of Bob to P-0001 breaks a hard rule (employer)",
        "manual assignment (9, 1) names an unknown proposal or evaluator",
        "evaluator Bob has 1 manual assignments, above its maximum load 0",
    )


def test_invalid_weights_and_reviewer_counts_are_refused():
    with pytest.raises(InvalidProblem) as caught:
        solve(
            AssignmentProblem(
                proposals=(proposal(1, reviewers=0, label="P-1"),),
                evaluators=(evaluator(1, tags={"ict": "1.5", "gis": "0.333"}, label="E"),),
            )
        )
    assert caught.value.errors == (
        "proposal P-1 needs at least one evaluator",
        "evaluator E: weight of 'ict' must be in (0, 1], 2 decimals",
        "evaluator E: weight of 'gis' must be in (0, 1], 2 decimals",
    )


# --- infeasibility ----------------------------------------------------------------------------


def test_infeasible_proposal_says_exactly_what_is_missing():
    p = proposal(7, reviewers=3, countries=["FI", "ES"], orgs=[100], label="P-0007")
    es = (
        *(evaluator(i, country="FI") for i in (1, 2)),
        *(evaluator(i, country="ES") for i in (3, 4)),
        evaluator(5, employer=100, country="SE"),
        evaluator(6, country="PT"),
        evaluator(7, country="DE"),
    )
    result = solve(AssignmentProblem(proposals=(p,), evaluators=es))
    assert result.feasible is False
    assert pairs(result) == [(7, 6), (7, 7)]  # the best partial assignment
    [shortfall] = result.shortfalls
    assert (shortfall.eligible, shortfall.missing) == (2, 1)
    assert dict(shortfall.excluded) == {Exclusion.EMPLOYER: 1, Exclusion.COUNTRY: 4}
    assert result_messages(result) == [
        "P-0007 needs 3 evaluators, only 2 more are eligible: 1 works for a consortium member, "
        "4 share the applicants' country.",
        "The pool has 35 evaluator places left for 3 needed.",
    ]


def test_infeasible_message_counts_manual_choices_conflicts_and_full_evaluators():
    p1 = proposal(1, reviewers=3, label="P-0001")
    p2 = proposal(2, reviewers=1, label="P-0002")
    es = (evaluator(1, max_load=1), evaluator(2, max_load=1), evaluator(3), evaluator(4))
    result = solve(
        AssignmentProblem(
            proposals=(p1, p2),
            evaluators=es,
            manual=frozenset({(1, 1), (2, 2)}),
            forbidden=frozenset({(1, 3), (1, 4)}),
        )
    )
    assert result.feasible is False
    assert result_messages(result) == [
        "P-0001 needs 3 evaluators (1 assigned by hand), only 0 more are eligible: "
        "2 declared a conflict of interest, 1 has no load left.",
        "The pool has 10 evaluator places left for 2 needed.",
    ]


def test_proposals_competing_for_the_same_few_evaluators_are_named_together():
    # Each proposal has two eligible evaluators, and the pool has room, but the two eligible
    # ones can take one proposal each: three proposals need three places, only two exist.
    ps = tuple(proposal(i, reviewers=1, countries=["FI"], label=f"P-{i}") for i in (1, 2, 3))
    es = (
        evaluator(1, max_load=1, country="SE", label="E-1"),
        evaluator(2, max_load=1, country="ES", label="E-2"),
        evaluator(3, max_load=9, country="FI", label="E-3"),
    )
    result = solve(AssignmentProblem(proposals=ps, evaluators=es))
    assert result.feasible is False
    assert result.shortfalls == ()
    assert len(pairs(result)) == 2
    assert result_messages(result) == [
        "P-1, P-2, P-3 need 3 more evaluators together, but the evaluators eligible for them "
        "(E-1, E-2) can take only 2 of them (maximum loads, one place per proposal each).",
        "The pool has 11 evaluator places left for 3 needed.",
    ]


def test_too_little_capacity_overall_is_reported():
    ps = tuple(proposal(i, reviewers=2, label=f"P-{i}") for i in range(1, 4))
    es = (evaluator(1, max_load=2, label="A"), evaluator(2, max_load=2, label="B"))
    result = solve(AssignmentProblem(proposals=ps, evaluators=es))
    assert result.feasible is False
    assert (result.demand, result.capacity) == (6, 4)
    assert result_messages(result)[-1] == "The pool has 4 evaluator places left for 6 needed."
    assert len(pairs(result)) == 4


def test_feasible_result_has_no_messages():
    result = solve(AssignmentProblem(proposals=(proposal(1),), evaluators=(evaluator(1),)))
    assert (result.feasible, result_messages(result)) == (True, [])


def test_assignment_explains_its_match():
    p = proposal(1, reviewers=1, tags=["ict", "lithium"])
    e = evaluator(1, tags={"lithium": "1", "ict": "0.5", "gis": "1"})
    [a] = solve(AssignmentProblem(proposals=(p,), evaluators=(e,))).assignments
    assert (a.score, a.matched_expertise, a.manual) == (75, ("ict", "lithium"), False)


# --- optimality, determinism, spread ----------------------------------------------------------

TAGS = ["ict", "lithium", "recycling", "processing", "copper"]


def random_problem(rng, n_p=4, n_e=5, reviewers=2, spread=10):
    ps = tuple(
        proposal(
            i,
            reviewers=reviewers,
            countries=rng.sample(["FI", "ES", "SE"], rng.randint(0, 1)),
            orgs=rng.sample(range(1, 8), 2),
            tags=rng.sample(TAGS, rng.randint(1, 3)),
        )
        for i in range(1, n_p + 1)
    )
    es = tuple(
        evaluator(
            j,
            max_load=rng.randint(1, 3),
            country=rng.choice(["FI", "ES", "SE", "PT", "DE"]),
            employer=rng.choice([None, None, *range(1, 8)]),
            tags={t: rng.choice(["1", "0.5", "0.25"]) for t in rng.sample(TAGS, rng.randint(0, 3))},
        )
        for j in range(1, n_e + 1)
    )
    forbidden = frozenset((rng.randint(1, n_p), rng.randint(1, n_e)) for _ in range(2))
    manual = set()
    for _ in range(rng.randint(0, 2)):
        p, e = rng.choice(ps), rng.choice(es)
        if exclusion(p, e, forbidden=forbidden) is None:
            manual.add((p.id, e.id))
    load = {e.id: 0 for e in es}
    for _, e in manual:
        load[e] += 1
    manual = {m for m in manual if load[m[1]] <= es[m[1] - 1].max_load}
    return AssignmentProblem(
        proposals=ps,
        evaluators=es,
        manual=frozenset(manual),
        forbidden=forbidden,
        load_spread_cost=spread,
    )


def brute_force_best(problem):
    """The best objective over every feasible assignment, or None when there is none."""
    es = {e.id: e for e in problem.evaluators}
    options = []
    for p in problem.proposals:
        fixed = {e for pid, e in problem.manual if pid == p.id}
        free = [
            e.id
            for e in problem.evaluators
            if e.id not in fixed and exclusion(p, e, forbidden=problem.forbidden) is None
        ]
        need = max(0, p.reviewers - len(fixed))
        options.append([(p, combo) for combo in itertools.combinations(free, need)])
    scores = {(p.id, e.id): match_score(p, e)[0] for p in problem.proposals for e in es.values()}
    base_load = dict.fromkeys(es, 0)
    for _, e in problem.manual:
        base_load[e] += 1
    manual_match = sum(scores[m] for m in problem.manual)
    best = None
    for choice in itertools.product(*options):
        load = dict(base_load)
        match = manual_match
        for p, combo in choice:
            for e in combo:
                load[e] += 1
                match += scores[(p.id, e)]
        if any(load[e] > es[e].max_load for e in es):
            continue
        value = match - problem.load_spread_cost * sum(n * (n - 1) // 2 for n in load.values())
        best = value if best is None else max(best, value)
    return best


@pytest.mark.parametrize("seed", range(20))
@pytest.mark.parametrize("spread", [0, 10])
def test_solver_matches_brute_force_on_small_random_cases(seed, spread):
    problem = random_problem(random.Random(seed), spread=spread)
    result = solve(problem)
    best = brute_force_best(problem)
    assert result.feasible is (best is not None)
    if best is not None:
        assert result.objective == best
        recomputed = sum(a.score for a in result.assignments) - spread * sum(
            n * (n - 1) // 2 for n in result.loads.values()
        )
        assert recomputed == result.objective
        es = {e.id: e for e in problem.evaluators}
        for a in result.assignments:
            p = next(p for p in problem.proposals if p.id == a.proposal_id)
            assert exclusion(p, es[a.evaluator_id], forbidden=problem.forbidden) is None
        assert all(result.loads[e] <= es[e].max_load for e in es)
        assert set(problem.manual) <= set(pairs(result))


def test_brute_force_cases_include_feasible_and_infeasible_ones():
    outcomes = {brute_force_best(random_problem(random.Random(s))) is None for s in range(12)}
    assert outcomes == {True, False}


def test_same_input_in_any_order_gives_the_same_output():
    problem = random_problem(random.Random(99), n_p=12, n_e=10, reviewers=2)
    rng = random.Random(1)
    shuffled = AssignmentProblem(
        proposals=tuple(rng.sample(problem.proposals, len(problem.proposals))),
        evaluators=tuple(rng.sample(problem.evaluators, len(problem.evaluators))),
        manual=problem.manual,
        forbidden=problem.forbidden,
    )
    first = solve(problem)
    assert solve(problem) == first
    assert solve(shuffled) == first


@pytest.mark.parametrize("seed", range(8))
def test_load_is_spread_when_matches_are_equal(seed):
    rng = random.Random(seed)
    ps = tuple(
        proposal(i, reviewers=2, countries=[rng.choice(["FI", "ES", "SE", "PT"])])
        for i in range(1, 16)
    )
    es = tuple(
        evaluator(j, max_load=rng.randint(3, 12), country=rng.choice(["FI", "ES", "SE", "PT"]))
        for j in range(1, 9)
    )
    problem = AssignmentProblem(proposals=ps, evaluators=es)
    result = solve(problem)
    assert result.feasible is True
    assigned = set(pairs(result))
    for a in result.assignments:
        for other in es:
            k = result.loads[other.id]
            movable = (
                exclusion(ps[a.proposal_id - 1], other) is None
                and (a.proposal_id, other.id) not in assigned
                and k < other.max_load
            )
            assert not (movable and result.loads[a.evaluator_id] >= k + 2)


def test_spreading_gives_way_to_a_much_better_match():
    ps = tuple(proposal(i, reviewers=1, tags=["ict"]) for i in range(1, 4))
    expert = evaluator(1, tags={"ict": "1"})
    novice = evaluator(2)
    result = solve(AssignmentProblem(proposals=ps, evaluators=(expert, novice)))
    # Third proposal on the expert costs 20 of spread for 100 of match: the expert takes all.
    assert result.loads == {1: 3, 2: 0}
    even = solve(AssignmentProblem(proposals=ps, evaluators=(expert, novice), load_spread_cost=60))
    # At 60 per extra unit, the second proposal (cost 60 < 100) still goes to the expert, the
    # third (cost 120 > 100) does not.
    assert even.loads == {1: 2, 2: 1}


def test_empty_pool_and_empty_call():
    nothing = solve(AssignmentProblem(proposals=(), evaluators=()))
    assert (nothing.feasible, nothing.assignments, nothing.objective) == (True, (), 0)
    alone = solve(
        AssignmentProblem(proposals=(proposal(1, reviewers=2, label="P-1"),), evaluators=())
    )
    assert alone.feasible is False
    assert result_messages(alone) == [
        "P-1 needs 2 evaluators, only 0 more are eligible.",
        "The pool has 0 evaluator places left for 2 needed.",
    ]


def test_duplicate_ids_are_refused():
    with pytest.raises(InvalidProblem) as caught:
        solve(
            AssignmentProblem(
                proposals=(proposal(1), proposal(1)), evaluators=(evaluator(1), evaluator(1))
            )
        )
    assert caught.value.errors == ("duplicate proposal ids", "duplicate evaluator ids")


def test_proposals_fully_assigned_by_hand_need_nobody_else():
    result = solve(
        AssignmentProblem(
            proposals=(proposal(1, reviewers=1),),
            evaluators=(evaluator(1), evaluator(2)),
            manual=frozenset({(1, 1), (1, 2)}),
        )
    )
    assert (result.feasible, result.demand, pairs(result, manual=False)) == (True, 0, [])
    assert pairs(result, manual=True) == [(1, 1), (1, 2)]
