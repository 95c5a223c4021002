"""Writes `ranking_orders.json`: the rankings of the generated calls, as the code ranks them.

Run ONCE against the ranking before issue #15 (the implementation that recomputed everything
per request), never against the code it checks:

    RANKING_ORDERS_OUT=tests/evaluation/data/ranking_orders.json \
        python -m pytest -p no:cacheprovider tests/evaluation/data/orders_writer.py

It is not collected by the suite (its name does not start with ``test_``).
"""

import json
import os

import pytest

from evaluation.results import call_ranking
from tests.evaluation.generated_calls import generate_call

#: (seed, applications): every chain (seed % 4) with every settlement (seed % 3).
CALLS = [(seed, 40 + 5 * seed) for seed in range(12)]


def ranking_of(seed: int, count: int) -> dict:
    generated = generate_call(seed, count)
    suffix = {a.pk: s for s, a in generated.applications.items()}
    rows, pending = call_ranking(generated.call)
    return {
        "seed": seed,
        "count": count,
        "ranking": [
            [
                suffix[row.ranked.id],
                row.ranked.position,
                row.ranked.rank,
                row.ranked.decided_by,
                row.proposed_outcome,
                str(row.ranked.total),
                str(row.ranked.weighted_total),
                [str(row.ranked.scores[code]) for code in sorted(row.ranked.scores)],
            ]
            for row in rows
        ],
        "pending": sorted(suffix[p.application.pk] for p in pending),
    }


@pytest.mark.django_db
def test_write_the_orders():
    out = os.environ["RANKING_ORDERS_OUT"]
    orders = [ranking_of(seed, count) for seed, count in CALLS]
    with open(out, "w", encoding="utf-8") as handle:
        json.dump(orders, handle, indent=0, sort_keys=True)
        handle.write("\n")
