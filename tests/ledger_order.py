"""The chain's head lock is the platform's one global lock: a service takes it as the last step
of its transaction (DESIGN.md, "Audit ledger"). `after_the_head_lock` names what a service ran
once it had read the head: nothing but the ledger's own statements, when it is last; `appends`
counts the head's updates: one, when a service's entries go in one `record_many`."""

from django.test.utils import CaptureQueriesContext

from minegap.ledger.models import AuditEntry, ErasablePayload, LedgerHead

LEDGER_TABLES = tuple(model._meta.db_table for model in (LedgerHead, AuditEntry, ErasablePayload))


def after_the_head_lock(queries: CaptureQueriesContext) -> list[str]:
    """The statements run from the first read of the chain's head on, other than the ledger's
    own and savepoints."""
    sql = [query["sql"] for query in queries.captured_queries]
    head = next(i for i, text in enumerate(sql) if LedgerHead._meta.db_table in text)
    return [
        text
        for text in sql[head:]
        if not any(table in text for table in LEDGER_TABLES)
        and not text.startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
    ]


def appends(queries: CaptureQueriesContext) -> int:
    """How many times the chain's head was moved on: once per `record` or `record_many`."""
    return sum(
        query["sql"].startswith("UPDATE") and LedgerHead._meta.db_table in query["sql"]
        for query in queries.captured_queries
    )
