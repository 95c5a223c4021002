from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import Organisation
from calls.models import ApplicationState, Call, CallState, ConsortiumMember, MemberStatus
from calls.services.imports import ImportRejected, RowError, import_external_results
from minegap.ledger.models import AuditEntry
from tests.calls.factories import ApplicationFactory, CallFactory
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def row(acronym="ORESENSE", vat="FI28765432", amount="24999.50", **overrides):
    values = {
        "project_acronym": acronym,
        "project_title": f"Title of {acronym}",
        "organisation": f"Company {vat}",
        "country": vat[:2],
        "vat_number": vat,
        "amount": amount,
        "award_date": "2021-06-30",
    }
    return {**values, **overrides}


GOOD = [
    row("ORESENSE", "FI28765432", "48000.00"),
    row("ORESENSE", "SE556677889901", "50000.00"),
    row("WEARPRINT", "ESB47123456", "22000.01"),
    row("WEARPRINT", "PT123456789", "24999.99"),
    row("WEARPRINT", "FI28765432", "1.99"),
]


def run(rows=GOOD, **kwargs):
    kwargs.setdefault("call_slug", "mtg-call-1")
    kwargs.setdefault("title", "MINE.THE.GAP open call 1")
    kwargs.setdefault("actor", None)
    return import_external_results(rows=rows, **kwargs)


def snapshot():
    return (
        list(Call.objects.values_list("slug", "state", "total_budget")),
        list(
            ConsortiumMember.objects.order_by("pk").values_list(
                "application__acronym", "organisation__vat_number", "awarded_amount", "is_lead"
            )
        ),
        Organisation.objects.count(),
        AuditEntry.objects.count(),
    )


def test_good_rows_create_the_call_projects_members_and_organisations():
    existing = OrganisationFactory(country="FI", vat_number="FI28765432", legal_name="Kept Oy")

    report = run(proposals_received=24, proposals_eligible=20)

    call = Call.objects.get(slug="mtg-call-1")
    assert (call.title, call.state, call.total_budget) == (
        "MINE.THE.GAP open call 1",
        CallState.RESULTS_PUBLISHED,
        Decimal("145001.99"),
    )
    assert list(
        call.applications.order_by("acronym").values_list("acronym", "state", "reference")
    ) == [
        ("ORESENSE", ApplicationState.FUNDED, f"{call.code}-0001"),
        ("WEARPRINT", ApplicationState.FUNDED, f"{call.code}-0002"),
    ]
    assert list(
        ConsortiumMember.objects.order_by("pk").values_list(
            "application__acronym",
            "organisation__vat_number",
            "awarded_amount",
            "is_lead",
            "status",
        )
    ) == [
        ("ORESENSE", "FI28765432", Decimal("48000.00"), True, MemberStatus.CONFIRMED),
        ("ORESENSE", "SE556677889901", Decimal("50000.00"), False, MemberStatus.CONFIRMED),
        ("WEARPRINT", "ESB47123456", Decimal("22000.01"), True, MemberStatus.CONFIRMED),
        ("WEARPRINT", "PT123456789", Decimal("24999.99"), False, MemberStatus.CONFIRMED),
        ("WEARPRINT", "FI28765432", Decimal("1.99"), False, MemberStatus.CONFIRMED),
    ]
    assert Organisation.objects.get(vat_number="FI28765432") == existing  # matched by VAT
    assert report.organisations_created == ["SE556677889901", "ESB47123456", "PT123456789"]
    assert (report.call_created, report.projects_created, report.total_awarded) == (
        True,
        ["ORESENSE", "WEARPRINT"],
        Decimal("145001.99"),
    )
    entry = AuditEntry.objects.get(action="calls.results.imported")
    assert (
        entry.data["projects_created"],
        entry.data["proposals_received"],
        entry.data["total_awarded"],
    ) == (
        ["ORESENSE", "WEARPRINT"],
        24,
        "145001.99",
    )


def test_importing_twice_changes_nothing():
    run()
    before = snapshot()

    report = run()

    assert snapshot() == before
    assert (report.changed, report.projects_unchanged) == (False, ["ORESENSE", "WEARPRINT"])


def test_a_corrected_amount_updates_the_member_and_is_recorded():
    run()
    rows = [dict(r) for r in GOOD]
    rows[0]["amount"] = "47000.00"

    report = run(rows)

    assert (report.projects_updated, report.members_updated) == (["ORESENSE"], 1)
    assert ConsortiumMember.objects.get(
        application__acronym="ORESENSE", organisation__vat_number="FI28765432"
    ).awarded_amount == Decimal("47000.00")
    assert AuditEntry.objects.filter(action="calls.results.imported").count() == 2


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        (
            {"amount": "12,50"},
            "bad amount “12,50” (euros with a dot and at most two decimals, e.g. 24999.50)",
        ),
        (
            {"amount": "1.005"},
            "bad amount “1.005” (euros with a dot and at most two decimals, e.g. 24999.50)",
        ),
        ({"amount": "0"}, "bad amount “0”: must be above zero"),
        (
            {"amount": "60000.01"},
            "cap exceeded: €60,000.01 is above the cap per third party of €60,000.00",
        ),
        ({"country": "XX"}, "unknown country “XX”"),
        ({"award_date": "30/06/2021"}, "bad date “30/06/2021” (expected YYYY-MM-DD)"),
        ({"award_date": "2021-02-30"}, "bad date “2021-02-30” (expected YYYY-MM-DD)"),
        ({"award_date": "2999-01-01"}, "award date 2999-01-01 is in the future"),
        ({"organisation": ""}, "missing organisation"),
        ({"vat_number": "", "amount": " "}, "missing vat_number, amount"),
    ],
)
def test_each_kind_of_bad_row_is_reported_and_nothing_is_written(overrides, reason):
    before = snapshot()
    rows = [*GOOD[:2], {**row("BAD", "DE123456789", "10.00"), **overrides}]

    with pytest.raises(ImportRejected) as caught:
        run(rows)

    assert caught.value.row_errors == [RowError(4, reason)]
    assert snapshot() == before


def test_bad_vat_number():
    with pytest.raises(ImportRejected) as caught:
        run([row("X", "FI28765432", vat_number="FI12")])

    assert [(e.line, e.reason.split(":")[0]) for e in caught.value.row_errors] == [
        (2, "bad VAT number")
    ]


def test_every_bad_row_is_reported_with_its_line():
    rows = [
        *GOOD,
        row("ORESENSE", "FI28765432", "48000.00"),  # duplicate of line 2
        row("NEW", "DE123456789", "10.00"),
        row("NEW2", "DE123456789", "10.00", organisation="Another name"),
        row("ORESENSE", "PL6340123456", "5.00", project_title="Another title"),
        row("NEW3", "PL6340123456", "abc"),
    ]

    with pytest.raises(ImportRejected) as caught:
        run(rows, line_numbers=[2, 3, 4, 5, 6, 8, 9, 10, 11, 12])

    assert [(e.line, e.reason) for e in caught.value.row_errors] == [
        (8, "duplicate row: FI28765432 is already in project ORESENSE on line 2"),
        (10, "VAT number DE123456789 is “Company DE123456789” on line 9"),
        (11, "project ORESENSE has another title or award date on line 2"),
        (12, "bad amount “abc” (euros with a dot and at most two decimals, e.g. 24999.50)"),
    ]
    assert Call.objects.count() == 0


def test_cap_per_third_party_over_several_rows_and_existing_awards():
    run()
    rows = [row("EXTRA", "FI28765432", "11998.02"), row("EXTRA", "DE123456789", "1.00")]

    with pytest.raises(ImportRejected) as caught:
        run(rows)

    assert [str(e) for e in caught.value.row_errors] == [
        "Line 2: cap exceeded: FI28765432 would receive €60,000.01 in this call, above the "
        "cap per third party of €60,000.00"
    ]


def test_cap_per_project_of_an_existing_call():
    call = CallFactory(
        slug="native", state=CallState.RESULTS_PUBLISHED, cap_per_project=Decimal("50000.00")
    )
    rows = [row("BIG", "FI28765432", "30000.00"), row("BIG", "SE556677889901", "20000.01")]

    with pytest.raises(ImportRejected) as caught:
        run(rows, call_slug=call.slug)

    assert [e.reason for e in caught.value.row_errors] == [
        "cap exceeded: project BIG totals €50,000.01, above the cap per project of €50,000.00"
    ]


def test_a_native_application_with_the_same_acronym_is_not_overwritten():
    call = CallFactory(slug="native", state=CallState.RESULTS_PUBLISHED)
    ApplicationFactory(
        call=call, acronym="ORESENSE", reference="N-1", state=ApplicationState.REJECTED
    )

    with pytest.raises(ImportRejected) as caught:
        run(call_slug="native")

    assert [str(e) for e in caught.value.row_errors] == [
        "Line 2: project ORESENSE already exists in this call and is not an imported funded project"
    ]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"title": ""}, "Give the new call a title."),
        (
            {"call_slug": "Bad Slug"},
            "The call slug may hold lower-case letters, digits and hyphens only.",
        ),
        (
            {"proposals_received": 3, "proposals_eligible": 4},
            "There cannot be more eligible proposals than proposals received.",
        ),
    ],
)
def test_bad_arguments(kwargs, message):
    with pytest.raises(ValidationError) as caught:
        run(**kwargs)

    assert caught.value.messages == [message]


def test_an_open_call_does_not_take_imported_results():
    CallFactory(slug="open-one")

    with pytest.raises(ValidationError) as caught:
        run(call_slug="open-one")

    assert caught.value.messages == [
        "Call open-one is “Published (not yet open)”: results are imported only into a call whose "
        "results are published."
    ]


def test_only_staff_import():
    with pytest.raises(PermissionDenied):
        run(actor=UserFactory())
    report = run(actor=UserFactory(roles=["consortium-staff"]))
    assert report.call_created is True
