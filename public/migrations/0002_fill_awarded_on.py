"""Fill `calls.Application.awarded_on` (the public lists' sort key) for the projects awarded
before it existed: the imported award date, else the day the call's results were published (in
the site's time zone). Here in the public app, which may read calls, evaluation and its own
records; calls' own migrations never depend on later apps."""

from django.db import migrations
from django.db.models import OuterRef, Subquery
from django.utils import timezone


def fill(apps, schema_editor):
    Application = apps.get_model("calls", "Application")
    ResultsPublication = apps.get_model("evaluation", "ResultsPublication")
    ProjectAward = apps.get_model("public", "ProjectAward")
    zone = timezone.get_default_timezone()
    for call_id, published_at in ResultsPublication.objects.values_list("call_id", "published_at"):
        Application.objects.filter(call_id=call_id).update(
            awarded_on=timezone.localtime(published_at, zone).date()
        )
    Application.objects.filter(
        pk__in=ProjectAward.objects.values("application_id")
    ).update(
        awarded_on=Subquery(
            ProjectAward.objects.filter(application_id=OuterRef("pk")).values("award_date")[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("calls", "0006_application_awarded_on"),
        ("evaluation", "0003_decision_results_redress"),
        ("public", "0001_initial"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
