"""The look on a phone: a wide table scrolls inside its own region and never widens the page."""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from accounts import roles
from evaluation.services.publication import publish_results
from tests import auth
from tests.evaluation.conftest import with_mfa
from tests.evaluation.decision_factories import adopt, ready_call
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = {"width": 390, "height": 844}
WIDE = {"width": 1280, "height": 800}


def test_the_decisions_table_scrolls_inside_its_region_on_a_phone(page):
    ready, staff = ready_call(), with_mfa(UserFactory(roles=[roles.STAFF]))
    adopt(ready, staff)
    publish_results(call=ready.call, actor=staff)
    page.set_viewport_size(PHONE)

    page.goto("/decisions/")

    region = page.get_by_role("region", name="Committee decisions")
    expect(region).to_be_visible()
    # The table (hash, ledger entry, document link with its hidden call name) is wider than the
    # phone, so its region scrolls; the page itself stays the phone's width.
    assert region.evaluate("element => element.scrollWidth > element.clientWidth")
    assert page.evaluate("() => document.documentElement.scrollWidth") == 390


def signed_in(page, live_server, user) -> None:
    """Reuse a server-side session (with its second factor) instead of typing codes."""
    client = auth.sign_in(Client(), user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def test_a_menu_too_long_for_one_line_folds_into_the_menu_button(page, live_server):
    """Staff who also apply for an organisation have eleven menu entries: wider than 1280 px."""
    person = with_mfa(UserFactory(roles=[roles.STAFF]))
    MembershipFactory(user=person)
    signed_in(page, live_server, person)
    page.set_viewport_size(WIDE)

    page.goto("/dashboard/")

    menu = page.locator("nav.site-nav")
    expect(menu.get_by_role("link", name="Manage calls")).to_be_hidden()
    page.locator("details.nav-narrow > summary").click()
    expect(menu.get_by_role("link", name="My applications")).to_be_visible()
    expect(menu.get_by_role("link", name="Manage calls")).to_be_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth") == 1280


def test_a_menu_that_fits_stays_on_one_line(page, live_server):
    signed_in(page, live_server, with_mfa(UserFactory(roles=[roles.STAFF])))
    page.set_viewport_size(WIDE)

    page.goto("/dashboard/")

    links = page.locator("nav.site-nav .nav-list > li")
    expect(links.first).to_be_visible()
    expect(page.locator("details.nav-narrow")).to_be_hidden()
    tops = links.evaluate_all(
        "items => items.map(item => Math.round(item.getBoundingClientRect().top))"
    )
    assert len(set(tops)) == 1
