"""The programme's impact on the public site and in the open data: only reported values, how
many reported of how many were asked, small groups suppressed, free text never published."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import Organisation
from impact import services
from impact.models import Indicator
from tests.calls.factories import CallFactory
from tests.impact.factories import end_project, funded
from tests.vouchers.factories import staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def reported():
    """Four single-SME projects in FI, FI, SE, SE; three report turnover at baseline and final
    (100/150, 200/250, 600/700), the fourth reports nothing; one writes a free-text answer."""
    staff = staff_user()
    call = CallFactory(state="decided", title="Impact call", slug="impact-call")
    services.add_presets(call=call, actor=staff, keys=["turnover"])
    text = services.create_indicator(
        call=call, actor=staff, name="What went wrong", kind="text", at_baseline=False
    )
    turnover = Indicator.objects.get(call=call, preset="turnover")
    projects = []
    for country in ("FI", "FI", "SE", "SE"):
        consortium, voucher = funded(call, staff, amounts=(Decimal("40000.00"),))
        Organisation.objects.filter(pk=consortium.organisations[0].pk).update(country=country)
        end_project(voucher, consortium, staff)
        projects.append((consortium, voucher.shares.get()))
    for (consortium, share), before, after in zip(
        projects, ("100.00", "200.00", "600.00"), ("150.00", "250.00", "700.00"), strict=False
    ):
        admin = consortium.admins[0]
        services.submit_report(
            share=share, stage="baseline", actor=admin, values={turnover.pk: Decimal(before)}
        )
        services.submit_report(
            share=share,
            stage="final",
            actor=admin,
            values={turnover.pk: Decimal(after), text.pk: "Our CFO's name is Jane Secret."},
        )
    return call


def test_the_open_data_adds_up_only_what_was_reported(client, reported):
    body = client.get(reverse("api-public-impact")).json()
    assert [i["key"] for i in body] == ["turnover"]  # the text indicator is not published
    turnover = body[0]
    assert turnover["overall"]["figures"] == [
        {
            "stage": "baseline",
            "reported": 3,
            "beneficiaries": 4,
            "total": "900.00",
            "median": "200.00",
            "yes": None,
            "suppressed": False,
        },
        {
            "stage": "final",
            "reported": 3,
            "beneficiaries": 4,
            "total": "1100.00",
            "median": "250.00",
            "yes": None,
            "suppressed": False,
        },
        {
            "stage": "follow_up",
            "reported": 0,
            "beneficiaries": 0,
            "total": None,
            "median": None,
            "yes": None,
            "suppressed": False,
        },
    ]
    assert turnover["overall"]["change"] == {
        "pairs": 3,
        "baseline_total": "900.00",
        "final_total": "1100.00",
        "percent": "22.2",
        "suppressed": False,
    }
    # Per country: FI has two reports (suppressed), SE one report of two (suppressed).
    fi, se = turnover["per_country"]
    assert (fi["group"], fi["label"], fi["figures"][0]) == (
        "FI",
        "Finland",
        {
            "stage": "baseline",
            "reported": 2,
            "beneficiaries": 2,
            "total": None,
            "median": None,
            "yes": None,
            "suppressed": True,
        },
    )
    assert (se["group"], se["figures"][0]["reported"], se["figures"][0]["beneficiaries"]) == (
        "SE",
        1,
        2,
    )
    assert [g["group"] for g in turnover["per_value_chain_stage"]] == ["not_stated"]
    assert [g["group"] for g in turnover["per_call"]] == ["impact-call"]


def test_the_figures_page_says_how_many_reported_and_never_the_free_text(client, reported):
    html = client.get(reverse("public:figures")).content.decode()
    assert '<title id="impact-chart-title">Impact reports received, per stage</title>' in html
    assert "n = 3 of 4" in html
    assert "€900.00" in html and "€1,100.00" in html
    assert "Jane Secret" not in html
    detail = client.get(reverse("public:impact"), {"indicator": "turnover"})
    page = detail.content.decode()
    assert "n = 2 of 2: too few reports to publish" in page
    assert "Jane Secret" not in page
    assert client.get(reverse("public:impact"), {"indicator": "nope"}).status_code == 400


def test_nothing_reported_yet_reads_as_such(client):
    html = client.get(reverse("public:figures")).content.decode()
    assert "No impact has been reported yet." in html
    assert "impact-chart" not in html  # no empty chart beside the empty table
    assert (
        "No impact has been reported yet." in client.get(reverse("public:impact")).content.decode()
    )
    assert client.get(reverse("api-public-impact")).json() == []
