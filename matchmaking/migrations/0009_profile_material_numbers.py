"""The raw materials of each profile as an indexed integer array (PostgreSQL only).

"Shares two of these materials" (`@>` of a pair) is then one GIN index lookup: the shortlist of
"Partners for you" (see matchmaking/shortlist.py). An expression index over an immutable function
of the bit-set column: nothing to keep up to date.

PARALLEL UNSAFE on purpose: a query that uses the shortlist then runs without parallel workers.
It reads a few hundred rows, and its branch that would scan everyone (run only when the shortlist
falls short) would otherwise start its workers even when it never runs (tens of ms under load).
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION matchmaking_material_numbers(materials bigint)
RETURNS int[] LANGUAGE sql IMMUTABLE PARALLEL UNSAFE AS $$
    SELECT coalesce(array_agg(bit), '{}') FROM generate_series(0, 62) AS bit
    WHERE (materials >> bit) & 1 = 1
$$
"""
INDEX = """
CREATE INDEX IF NOT EXISTS profile_material_numbers ON matchmaking_partnerprofile
USING gin (matchmaking_material_numbers(raw_materials))
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION)
    schema_editor.execute(INDEX)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS profile_material_numbers")
    schema_editor.execute("DROP FUNCTION IF EXISTS matchmaking_material_numbers(bigint)")


class Migration(migrations.Migration):
    dependencies = [("matchmaking", "0008_keyword_bits")]

    operations = [migrations.RunPython(create, drop)]
