"""The GIN index of the stored search vector: PostgreSQL only (SQLite has no tsvector)."""

from django.db import migrations

INDEX = "matchmaking_profile_search_gin"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON matchmaking_partnerprofile "
            "USING gin (search_vector)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("matchmaking", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index)]
