from django.db import migrations, models
from django.db.models import F


def mark_imported(apps, schema_editor):
    """Calls created by an import are the only published calls without a deadline."""
    Call = apps.get_model("calls", "Call")
    Call.objects.filter(closes_at__isnull=True).exclude(state="draft").update(
        imported_at=F("created_at")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("calls", "0002_divergence_settlement"),
    ]

    operations = [
        migrations.AddField(
            model_name="call",
            name="imported_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="results imported at"),
        ),
        migrations.RunPython(mark_imported, migrations.RunPython.noop),
    ]
