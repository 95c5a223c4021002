"""Browser: the Django admin signs in through allauth's pages and the TOTP step; the API docs
render under their own Content-Security-Policy without a violation."""

import time

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from playwright.sync_api import expect

from accounts import roles
from accounts.management.commands.demo_totp import current_code
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_admin_signs_in_with_password_then_totp(page, live_server):
    admin = UserFactory(roles=[roles.STAFF], is_staff=True, is_superuser=True)
    EmailAddress.objects.create(user=admin, email=admin.email, verified=True, primary=True)
    secret = generate_totp_secret()
    TOTP.activate(admin, secret)
    page.goto("/admin/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=%2Fadmin%2F")
    page.fill("#id_login", admin.email)
    page.fill("#id_password", DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page).to_have_url(f"{live_server.url}/accounts/2fa/authenticate/")
    if time.time() % 30 > 25:  # allauth accepts only the current 30-second window
        time.sleep(30 - time.time() % 30 + 0.5)
    page.fill("#id_code", current_code(secret))
    page.get_by_role("button", name="Sign In").click()
    expect(page).to_have_url(f"{live_server.url}/admin/")
    expect(page.get_by_role("link", name="API tokens")).to_be_visible()


@pytest.mark.parametrize("url", ["/api/docs/", "/api/redoc/"])
def test_the_api_docs_render_within_their_policy(page, url):
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(url)
    # The schema grows with every app; ReDoc lays all of it out before showing the title, which
    # takes several seconds when the machine is busy.
    expect(page.get_by_text("MineGap API").first).to_be_visible(timeout=30_000)
    expect(page.get_by_text("/api/v1/public/projects/").first).to_be_attached()
    # ReDoc's footer asks for its logo from cdn.redoc.ly: blocked (img-src 'self'), as meant.
    refused = [p for p in problems if "Content Security Policy" in p and "cdn.redoc.ly" not in p]
    assert refused == []
