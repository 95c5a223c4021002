"""The automatic assignment's new rows, written at once (inside `run_auto_assignment`'s
transaction, which checks, locks and records them in the ledger)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from django.db import connection
from django.utils import timezone

from accounts.models import User
from evaluation.assignment import Assignment as Pair
from evaluation.models import Assignment, AssignmentState, ConflictDeclaration


def insert_proposed(*, pairs: Sequence[Pair], created_by: User) -> None:
    """One `Assignment` row per pair, proposed (no declaration yet), not manual.

    On PostgreSQL one INSERT ... SELECT FROM unnest() of four arrays: 6,000 rows cost about
    0.05 s of CPU here, against 0.3-0.4 s through `bulk_create`, which builds a model instance
    and prepares twelve values for each row. The columns are named here, so a new column
    without a database default fails this insert (and the tests) rather than going unset.
    Elsewhere (SQLite: `make run`, tests) `bulk_create`.
    """
    if connection.vendor != "postgresql":
        Assignment.objects.bulk_create(
            Assignment(
                application_id=p.proposal_id,
                evaluator_id=p.evaluator_id,
                match_score=p.score,
                matched_expertise=list(p.matched_expertise),
                manual=False,
                created_by=created_by,
            )
            for p in pairs
        )
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {Assignment._meta.db_table} (
                application_id, evaluator_id, match_score, matched_expertise, state, manual,
                declaration, declaration_note, created_by_id, created_at
            )
            SELECT application_id, evaluator_id, match_score, matched_expertise, %s, false,
                %s, '', %s, %s
            FROM unnest(%s::bigint[], %s::bigint[], %s::smallint[], %s::jsonb[])
                AS new (application_id, evaluator_id, match_score, matched_expertise)
            """,  # noqa: S608 - the table name is the model's own, every value a parameter
            [
                AssignmentState.PROPOSED,
                ConflictDeclaration.PENDING,
                created_by.pk,
                timezone.now(),
                [p.proposal_id for p in pairs],
                [p.evaluator_id for p in pairs],
                [p.score for p in pairs],
                [json.dumps(list(p.matched_expertise)) for p in pairs],
            ],
        )
