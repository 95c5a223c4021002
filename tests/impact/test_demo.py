"""The impact demo: call 1 asks six presets; the signed beneficiaries but one report their
baseline, those whose project ended their final figures; a second run changes nothing."""

import io

import pytest

from impact import demo
from impact.models import ImpactReport, Indicator
from tests.calls.factories import CallFactory
from tests.impact.factories import end_project, funded
from tests.vouchers.factories import staff_user

pytestmark = pytest.mark.django_db


def test_seed_reports_baseline_and_final_once():
    staff = staff_user(email=demo.STAFF_EMAIL)
    call = CallFactory(state="decided", slug=demo.CALL_SLUG, title="MINE.THE.GAP Open Call 1")
    ended, ended_voucher = funded(call, staff)  # two beneficiaries, project ended
    end_project(ended_voucher, ended, staff)
    funded(call, staff)  # two more, project running
    out = io.StringIO()
    demo.seed(out)
    # Four signed beneficiaries, the last not reported: 3 baselines, 2 finals (project ended).
    assert out.getvalue().strip() == "impact: 5 demo impact reports for MINE.THE.GAP Open Call 1."
    assert (
        list(Indicator.objects.filter(call=call).order_by("order").values_list("preset", flat=True))
        == demo.PRESETS
    )
    assert sorted(ImpactReport.objects.values_list("stage", flat=True)) == [
        "baseline",
        "baseline",
        "baseline",
        "final",
        "final",
    ]
    final = ImpactReport.objects.filter(stage="final").first()
    # Every preset is asked at the final report: six values.
    assert final.values.count() == 6
    again = io.StringIO()
    demo.seed(again)
    assert again.getvalue().strip() == "impact: 0 demo impact reports for MINE.THE.GAP Open Call 1."
    assert ImpactReport.objects.count() == 5
