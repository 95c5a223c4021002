from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from calls.models import ConsortiumMember
from minegap.ledger.models import AuditEntry
from public import demo, selectors

pytestmark = pytest.mark.django_db


def test_demo_imports_past_results_once():
    out = StringIO()
    demo.seed(out)
    entries = AuditEntry.objects.count()
    members = list(ConsortiumMember.objects.order_by("pk").values_list("pk", "awarded_amount"))

    demo.seed(out)

    assert out.getvalue() == (
        "public: imported 6 past projects into raw-materials-pilot-call-2020 (€486,816.51)."
    )
    assert (
        AuditEntry.objects.count(),
        list(ConsortiumMember.objects.order_by("pk").values_list("pk", "awarded_amount")),
    ) == (entries, members)
    figures = selectors.public_stats().per_call[demo.SLUG]
    assert (figures.projects_funded, figures.smes_funded, figures.countries) == (6, 14, 9)
    assert figures.total_awarded == Decimal("486816.51")


def test_seed_demo_matches_the_demo_organisations_by_vat():
    call_command("seed_demo", stdout=StringIO())
    entry = AuditEntry.objects.get(action="calls.results.imported")

    assert entry.data["organisations_created"] == []
    assert entry.data["projects_created"] == [p[0] for p in demo.PROJECTS]
