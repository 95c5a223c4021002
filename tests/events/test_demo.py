import io

import pytest

from accounts import demo as accounts_demo
from calls import demo as calls_demo
from events import demo
from events.models import Event, EventMaterial, Registration
from minegap.ledger.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_the_demo_holds_a_past_info_day_with_materials_a_full_training_and_a_brokerage():
    accounts_demo.seed(io.StringIO())
    calls_demo.seed(io.StringIO())
    out = io.StringIO()

    demo.seed(out)

    assert out.getvalue().strip() == (
        "Events: a past info day with materials, a training, a brokerage event."
    )
    kinds = dict(Event.objects.values_list("title", "kind"))
    assert kinds == {
        demo.INFO_DAY: "info_day",
        demo.TRAINING: "training",
        demo.BROKERAGE: "brokerage",
    }
    info_day = Event.objects.get(title=demo.INFO_DAY)
    assert info_day.call.slug == "mine-the-gap-open-call-1"
    assert EventMaterial.objects.filter(event=info_day).count() == 2
    statuses = sorted(
        Registration.objects.filter(event__title=demo.TRAINING).values_list("status", flat=True)
    )
    assert statuses == ["confirmed", "confirmed", "confirmed", "waiting"]
    entries = AuditEntry.objects.count()
    again = io.StringIO()
    demo.seed(again)
    assert again.getvalue().strip() == "Events: nothing to add."
    assert AuditEntry.objects.count() == entries
