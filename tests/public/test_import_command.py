import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from calls.models import Call, ConsortiumMember
from minegap.ledger.models import AuditEntry
from public import selectors
from public.models import CallFigures, ProjectAward

pytestmark = pytest.mark.django_db

HEADER = "project_acronym,project_title,organisation,country,vat_number,amount,award_date\n"
GOOD = (
    HEADER
    + "ORESENSE,Wireless ore-grade sensing,Lapland Sensing Oy,FI,FI28765432,48000.00,2021-06-30\n"
    + "ORESENSE,Wireless ore-grade sensing,Norrbotten AB,SE,SE556677889901,50000.00,2021-06-30\n"
    + "\n"
    + "WEARPRINT,3D-printed wear parts,Tungsten SL,ES,ESB47123456,22000.01,2021-07-15\n"
)


def write(tmp_path, text):
    path = tmp_path / "results.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


def run(path, *extra):
    out, err = StringIO(), StringIO()
    call_command(
        "import_results",
        path,
        "--call",
        "mtg-1",
        "--title",
        "MTG call 1",
        *extra,
        stdout=out,
        stderr=err,
    )
    return out.getvalue(), err.getvalue()


def test_good_file_imports_projects_dates_and_counts(tmp_path):
    out, _err = run(
        write(tmp_path, GOOD), "--proposals-received", "24", "--proposals-eligible", "20"
    )

    assert out == (
        "Call mtg-1 (created): 2 projects created, 0 updated, 0 unchanged; 3 beneficiaries "
        "added, 0 updated; 3 organisations registered; €120,000.01 awarded in the call.\n"
    )
    call = Call.objects.get(slug="mtg-1")
    assert sorted(ProjectAward.objects.values_list("application__acronym", "award_date")) == [
        ("ORESENSE", datetime.date(2021, 6, 30)),
        ("WEARPRINT", datetime.date(2021, 7, 15)),
    ]
    figures = CallFigures.objects.get(call=call)
    assert (figures.proposals_received, figures.proposals_eligible) == (24, 20)
    assert selectors.public_stats().per_call["mtg-1"].as_api() == {
        "calls": 1,
        "proposals_received": 24,
        "proposals_eligible": 20,
        "projects_funded": 2,
        "smes_funded": 3,
        "countries": 3,
        "total_awarded": "120000.01",
    }
    assert list(AuditEntry.objects.order_by("seq").values_list("action", flat=True)) == [
        "calls.results.imported",
        "public.figures.recorded",
    ]


def test_one_project_of_one_beneficiary_is_reported_in_the_singular(tmp_path):
    one = (
        HEADER + "WEARPRINT,3D-printed wear parts,Tungsten SL,ES,ESB47123456,22000.01,2021-07-15\n"
    )

    out, _err = run(write(tmp_path, one))

    assert out == (
        "Call mtg-1 (created): 1 project created, 0 updated, 0 unchanged; 1 beneficiary "
        "added, 0 updated; 1 organisation registered; €22,000.01 awarded in the call.\n"
    )


def test_second_run_changes_nothing(tmp_path):
    path = write(tmp_path, GOOD)
    run(path, "--proposals-received", "24")
    entries = AuditEntry.objects.count()
    members = list(ConsortiumMember.objects.values_list("pk", "awarded_amount"))

    out, _err = run(path, "--proposals-received", "24")

    assert out == "Nothing changed: call mtg-1 already holds these results.\n"
    assert (
        AuditEntry.objects.count(),
        list(ConsortiumMember.objects.values_list("pk", "awarded_amount")),
    ) == (
        entries,
        members,
    )


def test_bad_rows_are_listed_with_line_numbers_and_nothing_is_written(tmp_path):
    text = (
        GOOD
        + "BAD,Bad,Firm,XX,XX123,10.00,2021-01-01\n"
        + "BAD2,Bad,Firm GmbH,DE,DE123456789,1e3,2021-01-01\n"
        + "ORESENSE,Wireless ore-grade sensing,Norrbotten AB,SE,SE556677889901,50000.00,2021-06-30\n"
        + "BIG,Big,Big Oy,FI,FI11111111,70000.00,2021-01-01\n"
    )
    err = StringIO()

    with pytest.raises(CommandError) as caught:
        call_command(
            "import_results", write(tmp_path, text), "--call", "mtg-1", "--title", "T", stderr=err
        )

    assert str(caught.value) == "4 bad row(s): nothing was imported."
    assert err.getvalue().splitlines() == [
        "Line 6: unknown country “XX”",
        "Line 7: bad amount “1e3” (euros with a dot and at most two decimals, e.g. 24999.50)",
        "Line 8: duplicate row: SE556677889901 is already in project ORESENSE on line 3",
        "Line 9: cap exceeded: €70,000.00 is above the cap per third party of €60,000.00",
    ]
    assert (Call.objects.count(), AuditEntry.objects.count()) == (0, 0)


def test_wrong_header_is_refused(tmp_path):
    with pytest.raises(CommandError) as caught:
        run(write(tmp_path, "acronym,amount\nX,1\n"))

    assert str(caught.value) == (
        "Line 1: the header must be project_acronym,project_title,organisation,country,"
        "vat_number,amount,award_date (found acronym,amount)."
    )


def test_bad_counts_are_refused(tmp_path):
    with pytest.raises(CommandError) as caught:
        run(write(tmp_path, GOOD), "--proposals-received", "2", "--proposals-eligible", "3")

    assert str(caught.value) == "There cannot be more eligible proposals than proposals received."


def test_changed_counts_alone_are_recorded(tmp_path):
    path = write(tmp_path, GOOD)
    run(path, "--proposals-received", "24")

    out, _err = run(path, "--proposals-received", "25")

    assert out.startswith("Call mtg-1: 0 projects created, 0 updated, 2 unchanged;")
    assert CallFigures.objects.get().proposals_received == 25
    assert AuditEntry.objects.filter(action="public.figures.recorded").last().data["figures"] == {
        "old": {"proposals_received": 24, "proposals_eligible": None},
        "new": {"proposals_received": 25, "proposals_eligible": None},
    }
    assert Decimal(str(selectors.public_stats().overall.total_awarded)) == Decimal("120000.01")


def test_dry_run_reports_and_writes_nothing(tmp_path):
    out, _err = run(write(tmp_path, GOOD), "--dry-run")

    assert out.startswith("Dry run, nothing written: Call mtg-1 (created): 2 projects created")
    assert (Call.objects.count(), ConsortiumMember.objects.count(), AuditEntry.objects.count()) == (
        0,
        0,
        0,
    )


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError) as caught:
        run(str(tmp_path / "nowhere.csv"))

    assert str(caught.value).startswith(f"Cannot read {tmp_path / 'nowhere.csv'}:")
