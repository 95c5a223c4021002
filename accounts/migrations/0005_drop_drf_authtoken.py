"""Drop DRF's tokens (rest_framework.authtoken, no longer installed).

They were single-factor bearer secrets that never expired, stored in clear: none of them can be
turned into an ApiToken that honestly records a second factor, so they are deleted, not migrated.
Their owners create new tokens on their account page.
"""

from django.db import migrations


def forget_authtoken_types(apps, schema_editor):
    # Its permissions go with its content types (cascade).
    apps.get_model("contenttypes", "ContentType").objects.filter(app_label="authtoken").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_api_tokens"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunSQL("DROP TABLE IF EXISTS authtoken_token", migrations.RunSQL.noop),
        # So that installing the app again one day creates its table again.
        migrations.RunSQL(
            "DELETE FROM django_migrations WHERE app = 'authtoken'", migrations.RunSQL.noop
        ),
        migrations.RunPython(forget_authtoken_types, migrations.RunPython.noop),
    ]
