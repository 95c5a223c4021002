"""Demo results of a call run before MineGap, imported with the import service (idempotent).

Modelled on MINE.THE.GAP's first call: SME consortia of an adopter and a provider from two
countries, proof-of-concept (up to EUR 25,000 per SME) and demonstration (up to EUR 50,000)
vouchers. Organisations are the demo cast of `accounts/demo_data.py`, matched by VAT number.
"""

from calls.services.imports import import_external_results
from minegap.core.formatting import format_money
from public.services import store_import_details

SLUG = "raw-materials-pilot-call-2020"
TITLE = "Raw-materials innovation pilot call 2020 (run before MineGap)"
PROPOSALS_RECEIVED = 18
PROPOSALS_ELIGIBLE = 15

# (acronym, title, award date, [(organisation, country, VAT, amount)])
PROJECTS = [
    (
        "TAILSCAN",
        "Hyperspectral scanning of iron-ore tailings for reprocessing",
        "2020-11-16",
        [
            ("Norrbotten Iron Tailings AB", "SE", "SE556677889901", "49850.00"),
            ("Oulu Sensor Networks Oy", "FI", "FI30123456", "48210.40"),
        ],
    ),
    (
        "BIOLEACH-DT",
        "A digital twin of heap bioleaching for nickel and cobalt",
        "2020-11-16",
        [
            ("Kainuu Nickel Processing Oy", "FI", "FI29876543", "46500.00"),
            ("Porto Digital Twin Lda", "PT", "PT510987650", "49999.99"),
        ],
    ),
    (
        "FLUORLOOP",
        "Recovering fluorspar fines from flotation tailings",
        "2020-11-23",
        [
            ("Asturias Fluorspar Mining SA", "ES", "ESA33123456", "24750.00"),
            ("Circular Tailings Tech GmbH", "DE", "DE123456789", "24980.50"),
        ],
    ),
    (
        "LITHOSORT",
        "Sensor-based sorting of spodumene ore at a pilot plant",
        "2020-11-23",
        [
            ("Beira Lithium Mineração Lda", "PT", "PT509123450", "47320.75"),
            ("Silesia Advanced Manufacturing sp. z o.o.", "PL", "PL6340123456", "45100.00"),
            ("Sofia Mine Data EOOD", "BG", "BG123456789", "22400.00"),
        ],
    ),
    (
        "REDMUD-CEM",
        "Bauxite residue as a supplementary cementitious material",
        "2020-12-01",
        [
            ("Sterea Bauxite Ores SA", "GR", "EL094123456", "23900.00"),
            ("Lyon Resource Efficiency SAS", "FR", "FR12345678901", "24999.67"),
        ],
    ),
    (
        "PYRITE-HEAT",
        "Waste-heat recovery from pyrite roasting with ceramic exchangers",
        "2020-12-01",
        [
            ("Faja Pirítica Andalucía SL", "ES", "ESB21123456", "41875.20"),
            ("Minas de Castilla Tungsteno SL", "ES", "ESB47123456", "12330.00"),
            ("Lapland Ore Analytics Oy", "FI", "FI28765432", "24600.00"),
        ],
    ),
]


def rows() -> list[dict[str, str]]:
    return [
        {
            "project_acronym": acronym,
            "project_title": title,
            "organisation": organisation,
            "country": country,
            "vat_number": vat,
            "amount": amount,
            "award_date": award_date,
        }
        for acronym, title, award_date, members in PROJECTS
        for organisation, country, vat, amount in members
    ]


def seed(stdout) -> None:
    report = import_external_results(
        call_slug=SLUG,
        title=TITLE,
        rows=rows(),
        actor=None,
        proposals_received=PROPOSALS_RECEIVED,
        proposals_eligible=PROPOSALS_ELIGIBLE,
    )
    details_changed = store_import_details(report=report, actor=None)
    if report.changed or details_changed:
        stdout.write(
            f"public: imported {len(report.projects_created)} past projects into {SLUG} "
            f"({format_money(report.total_awarded)})."
        )
