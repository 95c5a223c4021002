"""Browser: a demo staff member signs in with password and TOTP and reaches the audit ledger."""

import io
import time

import pytest
from playwright.sync_api import expect

from accounts import demo
from accounts.demo_data import DEMO_PASSWORD
from accounts.management.commands.demo_totp import current_code


@pytest.mark.django_db(transaction=True)
def test_demo_staff_signs_in_with_totp_and_opens_the_ledger(page, live_server):
    demo.seed(io.StringIO())
    page.goto("/accounts/login/")
    page.fill("#id_login", "staff@minegap.eu")
    page.fill("#id_password", DEMO_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page).to_have_url(f"{live_server.url}/accounts/2fa/authenticate/")
    # allauth accepts only the current 30-second window: never type a code about to expire.
    if time.time() % 30 > 25:
        time.sleep(30 - time.time() % 30 + 0.5)
    page.fill("#id_code", current_code(demo.demo_totp_secret("staff@minegap.eu")))
    page.get_by_role("button", name="Sign In").click()
    expect(page).to_have_url(f"{live_server.url}/dashboard/")
    page.goto("/manage/ledger/")
    expect(page).to_have_url(f"{live_server.url}/manage/ledger/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
