"""The ranking benchmark's generated call at a tiny size, and the bench's independence from the
test suite (it must run where `tests/` is not installed)."""

import ast
from pathlib import Path

import pytest

from bench._ranking_data import generate_call
from evaluation.models import Assignment, AssignmentState, Score
from evaluation.results import call_ranking

BENCH = Path(__file__).resolve().parents[2] / "bench"


def _imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_no_benchmark_imports_the_test_suite():
    modules = {path.name: _imported_modules(path) for path in sorted(BENCH.glob("*.py"))}

    assert "evaluation_ranking.py" in modules
    assert {
        name: sorted(m for m in imported if m == "tests" or m.startswith("tests."))
        for name, imported in modules.items()
    } == {name: [] for name in modules}


@pytest.mark.django_db
def test_a_generated_call_ranks_its_complete_applications_and_leaves_the_rest_pending():
    call = generate_call(seed=3, count=40)

    rows, pending = call_ranking(call)

    assert call.applications.count() == 40
    assert len(rows) + len(pending) == 40
    assert len(rows) >= 30  # about a tenth miss a sheet or leave a divergence open
    # Two evaluators an application, a third only where one settles a divergence.
    assignments = Assignment.objects.filter(application__call=call)
    assert 80 <= assignments.count() <= 88
    scored = assignments.filter(state=AssignmentState.SCORED).count()
    assert Score.objects.filter(assignment__application__call=call).count() == 3 * scored
    assert [row.ranked.position for row in rows] == list(range(1, len(rows) + 1))
