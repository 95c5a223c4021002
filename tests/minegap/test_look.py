"""The shared look: the signed-in menu keeps personal links in one disclosure, formats by hand."""

import re
from decimal import Decimal

import pytest
from django.template import Context, Template

from accounts import roles
from tests.auth import sign_in
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def wide_nav(html: str) -> str:
    return html.split('<nav class="nav-wide"', 1)[1].split("</nav>", 1)[0]


def test_staff_menu_keeps_work_links_on_top_and_personal_links_under_account(client):
    user = UserFactory(roles=[roles.STAFF])
    MembershipFactory(user=user)
    sign_in(client, user)

    nav = wide_nav(client.get("/").content.decode())

    account = re.search(
        r'<li class="nav-account">\s*<details>\s*<summary>Account</summary>(.*?)</details>',
        nav,
        re.S,
    )
    assert account is not None
    inside = re.findall(r"<(?:a|button)[^>]*>\s*([^<]*?)\s*</(?:a|button)>", account.group(1))
    assert inside == [
        "My organisations",
        "Partner profile",
        "E-mail addresses",
        "API tokens",
        "Two-factor authentication",
        "Sign out",
    ]
    outside = re.sub(r'<li class="nav-account">.*', "", nav, flags=re.S)
    assert "Sign out" not in outside
    assert "Manage calls" in outside


@pytest.mark.parametrize(
    ("source", "value", "expected"),
    [
        ("{{ v|plain_number }}", Decimal("1.50"), "1.5"),
        ("{{ v|plain_number }}", Decimal("2.00"), "2"),
        ("{{ v|plain_number }}", Decimal("100"), "100"),
        ("{{ v|money }}", Decimal("25000"), "€25,000.00"),
        ("{{ v|score }}", Decimal("15.0800"), "15.08"),
    ],
)
def test_number_filters_write_numbers_as_people_read_them(source, value, expected):
    template = Template("{% load minegap_tags %}" + source)

    assert template.render(Context({"v": value})) == expected
