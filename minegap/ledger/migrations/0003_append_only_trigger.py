"""On PostgreSQL, a trigger refuses UPDATE, DELETE and TRUNCATE on the audit ledger.

SQLite skips this; there `AuditEntry.save()`/`delete()` and its queryset refuse at ORM level.
TRUNCATE is allowed only when the session sets `minegap.ledger_allow_truncate = on`: the test
settings do so, because Django's test runner empties every table between transactional tests.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION ledger_auditentry_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE'
       AND coalesce(current_setting('minegap.ledger_allow_truncate', true), '') = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'The audit ledger is append-only: % on ledger_auditentry is refused.', TG_OP
        USING HINT = 'Entries are never changed or removed; record a correcting entry instead.';
END;
$$;
DROP TRIGGER IF EXISTS ledger_auditentry_no_update_delete ON ledger_auditentry;
CREATE TRIGGER ledger_auditentry_no_update_delete
    BEFORE UPDATE OR DELETE ON ledger_auditentry
    FOR EACH ROW EXECUTE FUNCTION ledger_auditentry_append_only();
DROP TRIGGER IF EXISTS ledger_auditentry_no_truncate ON ledger_auditentry;
CREATE TRIGGER ledger_auditentry_no_truncate
    BEFORE TRUNCATE ON ledger_auditentry
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_auditentry_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS ledger_auditentry_no_truncate ON ledger_auditentry;
DROP TRIGGER IF EXISTS ledger_auditentry_no_update_delete ON ledger_auditentry;
DROP FUNCTION IF EXISTS ledger_auditentry_append_only();
"""


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(CREATE)  # no params: the `%` of RAISE is not a placeholder


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0002_genesis_head")]

    operations = [migrations.RunPython(install, uninstall)]
