"""Browser journey of issue #17, the funded projects' follow-up: staff define two indicators on
a funded call (a preset and one of the call's own) from its Impact tab and assign a mentor; the
mentor declares no conflict, logs a meeting and approves the milestone report that makes an
instalment due; a beneficiary finds its baseline report on its dashboard and submits it, then
the final one once the project ended; staff see who reported; the public figures page, reached
from the home page, shows the aggregate with the number of reports behind it."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from impact import services
from impact.models import Indicator
from tests.calls.factories import CallFactory
from tests.impact.factories import end_project, funded
from tests.mentoring.factories import MENTORED_PLAN
from tests.vouchers.conftest import signed_in
from tests.vouchers.factories import staff_user

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page, live_server, user) -> None:
    """Reuse a server-side session instead of typing passwords (and TOTP codes)."""
    client = signed_in(Client(), user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def test_indicators_reports_and_the_public_aggregate(page, live_server):
    staff = staff_user(full_name="Marta Kowalska")
    mentor = staff_user(full_name="Lukas Brenner")
    call = CallFactory(
        state="decided",
        title="Follow-up call",
        slug="follow-up-call",
        instalment_plan=MENTORED_PLAN,  # 40 % at signature, 30 % on the mentor's report
    )
    # Three funded SMEs, one voucher each: ours and two others.
    projects = [funded(call, staff, amounts=(Decimal("40000.00"),)) for _ in range(3)]

    # Staff define the two indicators from the call's Impact tab.
    sign_in(page, live_server, staff)
    page.goto(f"/manage/calls/{call.slug}/")
    page.get_by_role("navigation", name="Stages of this call").get_by_role(
        "link", name="Impact"
    ).click()
    expect(page.get_by_text("This call asks no impact indicator yet.")).to_be_visible()
    page.get_by_label("Turnover").check()
    page.get_by_role("button", name="Add the presets ticked").click()
    expect(page.get_by_text("Indicators added: 1.")).to_be_visible()
    page.get_by_role("link", name="Add an indicator").click()
    page.get_by_label("Name").fill("Ore sorted with the new sensor")
    page.get_by_label("Unit").fill("tonnes")
    page.get_by_label("Kind").select_option("number")
    page.get_by_label("Asked 12 months after the end").uncheck()
    page.get_by_role("button", name="Add the indicator").click()
    table = page.locator("#indicators")
    expect(table.get_by_role("row")).to_have_count(3)  # the header and two indicators
    expect(table).to_contain_text("Ore sorted with the new sensor")
    turnover = Indicator.objects.get(call=call, preset="turnover")
    ore = Indicator.objects.get(call=call, name="Ore sorted with the new sensor")

    # Staff assign a mentor to our project.
    consortium, voucher = projects[0]
    page.goto(f"/manage/mentoring/calls/{call.slug}/")
    page.get_by_role("link", name=voucher.agreement_number).click()
    page.get_by_role("combobox", name="Mentor").select_option(
        label=f"Lukas Brenner <{mentor.email}>"
    )
    page.get_by_role("button", name="Assign").click()
    expect(page.locator("#mentor-heading + p")).to_contain_text("Lukas Brenner")

    # The mentor declares no conflict, logs a meeting and approves milestone 1's report.
    sign_in(page, live_server, mentor)
    page.goto("/mentoring/")
    page.get_by_role("link", name="Declare conflicts of interest").click()
    page.get_by_label("I have no conflict of interest with this project").check()
    page.get_by_role("button", name="Declare").click()
    page.goto("/mentoring/")
    page.get_by_role("link", name="Open the project").click()
    page.get_by_label("Date of the meeting").fill(timezone.localdate().isoformat())
    page.get_by_label("Topics").fill("Pilot at the Kittilä mine; sensor calibration.")
    page.get_by_label("Advice given").fill("Book the pilot slot with the mine before March.")
    page.get_by_role("button", name="Record the meeting").click()
    expect(page.get_by_text("Book the pilot slot with the mine before March.")).to_be_visible()
    milestone = voucher.milestones.get(sequence=1)
    page.get_by_role("link", name=f"Report {milestone.title}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(milestone.title)
    page.get_by_label("On track").check()
    page.locator("textarea[name=report]").fill("The prototype sorts ore at the planned rate.")
    page.get_by_label("I approve this milestone").check()
    page.get_by_role("button", name="Submit the report").click()
    sign_in(page, live_server, staff)
    page.goto(f"/manage/vouchers/{voucher.pk}/")
    expect(page.locator("#instalment-2-heading")).to_contain_text("Due")

    # The two other beneficiaries report through the services (their own journeys).
    for (other, other_voucher), before in zip(
        projects[1:], ("300000.00", "500000.00"), strict=True
    ):
        share = other_voucher.shares.get()
        services.submit_report(
            share=share,
            stage="baseline",
            actor=other.admins[0],
            values={turnover.pk: Decimal(before), ore.pk: Decimal("0")},
        )
        end_project(other_voucher, other, staff)
        services.submit_report(
            share=share,
            stage="final",
            actor=other.admins[0],
            values={turnover.pk: Decimal(before) * 2, ore.pk: Decimal("120")},
        )

    # Our beneficiary finds its baseline on its dashboard and reports it.
    sign_in(page, live_server, consortium.admins[0])
    page.goto("/dashboard/")
    panel = page.locator("section", has=page.get_by_role("heading", name="Impact reports to send"))
    panel.get_by_role("link", name="Baseline (the year before applying)").click()
    page.get_by_label("Turnover (EUR)").fill("100000")
    page.get_by_label("Ore sorted with the new sensor (tonnes)").fill("12.5")
    page.get_by_role("button", name="Submit the report").click()
    expect(page.get_by_text("Report submitted. Thank you.")).to_be_visible()
    expect(page.get_by_text("This report was submitted and is frozen.")).to_be_visible()

    # The project ends; the final report opens and is reported.
    end_project(voucher, consortium, staff)
    page.goto("/dashboard/")
    panel.get_by_role("link", name="Final report").click()
    page.get_by_label("Turnover (EUR)").fill("160000.00")
    page.get_by_label("Ore sorted with the new sensor (tonnes)").fill("340")
    page.get_by_role("button", name="Submit the report").click()
    expect(page.get_by_text("Report submitted. Thank you.")).to_be_visible()

    # Staff see who reported what.
    sign_in(page, live_server, staff)
    page.goto(f"/manage/calls/{call.slug}/impact/")
    page.get_by_role("link", name="Who reported what").click()
    expect(page.locator("#completion tbody tr")).to_have_count(3)
    expect(page.locator("#completion .badge.ok")).to_have_count(6)

    # The public: from the home page to the figures, the aggregate and how many reported.
    page.context.clear_cookies()
    page.goto("/")
    page.locator("header nav.site-nav").get_by_role("link", name="Figures").click()
    row = page.locator('#impact-table tr[data-indicator="turnover"]')
    expect(row).to_contain_text("€900,000.00")  # baseline: 100,000 + 300,000 + 500,000
    expect(row).to_contain_text("€1,760,000.00")  # final: 160,000 + 600,000 + 1,000,000
    expect(row).to_contain_text("n = 3 of 3")
    expect(row).to_contain_text("+95.6 %")
    page.get_by_role("link", name="Ore sorted with the new sensor").click()
    expect(page.locator("#impact-call-table")).to_contain_text("Follow-up call")
    expect(page.locator("#impact-call-table")).to_contain_text("n = 3 of 3")
