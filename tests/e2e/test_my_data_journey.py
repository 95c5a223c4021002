"""Browser journey: an applicant opens My data from the Account menu, watches an export being
prepared move to ready without reloading (htmx polling), and downloads the JSON file."""

import json
import re

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from accounts.models import Membership
from minegap.privacy import building
from minegap.privacy.models import DataExport, DataExportStatus
from tests.e2e.journey import Journey
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory


@pytest.mark.django_db(transaction=True)
def test_my_data_shows_progress_then_the_download(page, tmp_path):
    ada = UserFactory(email="ada@alpha.example", full_name="Ada Lindqvist")
    EmailAddress.objects.create(user=ada, email=ada.email, verified=True, primary=True)
    MembershipFactory(
        user=ada,
        organisation=OrganisationFactory(legal_name="Alpha Sorting Oy"),
        role=Membership.Role.ADMIN,
    )
    # A worker has started on an export she asked for earlier.
    export = DataExport.objects.create(user=ada, status=DataExportStatus.RUNNING, progress=40)
    journey = Journey(page, "applicant")
    journey.start()
    journey.sign_in(ada, totp=False)

    menu = page.locator("header nav.site-nav")
    menu.get_by_text("Account", exact=True).click()
    journey.click(menu.get_by_role("link", name="My data"))
    expect(page.get_by_role("heading", level=1)).to_have_text("My data")
    expect(page.locator(f"#export-{export.pk}")).to_contain_text("40 % done")
    expect(page.get_by_role("button", name="Prepare my data")).to_have_count(0)
    journey.screenshot("my-data-running")

    # The worker finishes: the page polls and shows the link and the button, with no reload.
    DataExport.objects.filter(pk=export.pk).update(status=DataExportStatus.QUEUED)
    building.build_export(export_id=export.pk)
    download_link = page.get_by_role("link", name="Download my data (JSON)")
    expect(download_link).to_be_visible(timeout=15_000)
    expect(page.get_by_role("button", name="Prepare my data")).to_be_visible()
    journey.check()
    journey.screenshot("my-data-ready")

    with page.expect_download() as download_info:
        download_link.click()
    download = download_info.value
    assert re.fullmatch(r"minegap-my-data-\d{4}-\d{2}-\d{2}\.json", download.suggested_filename)
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    document = json.loads(saved.read_text())
    assert document["sections"]["accounts"]["account"]["email"] == "ada@alpha.example"
    assert [
        m["organisation"]["legal_name"] for m in document["sections"]["accounts"]["memberships"]
    ] == ["Alpha Sorting Oy"]
