"""The look on a phone: a wide table scrolls inside its own region and never widens the page."""

import pytest
from playwright.sync_api import expect

from accounts import roles
from evaluation.services.publication import publish_results
from tests.evaluation.conftest import with_mfa
from tests.evaluation.decision_factories import adopt, ready_call
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = {"width": 390, "height": 844}


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
