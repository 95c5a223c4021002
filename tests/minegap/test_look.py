"""The shared look: the signed-in menu keeps personal links in one disclosure, formats by hand."""

import re
from decimal import Decimal

import pytest
from allauth.mfa.models import Authenticator
from django.db import transaction
from django.template import Context, Template
from django.urls import reverse

from accounts import roles
from minegap.ledger.services import record
from tests.auth import sign_in
from tests.calls.factories import CallFactory
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def wide_nav(html: str) -> str:
    return html.split('<nav class="site-nav"', 1)[1].split("</nav>", 1)[0]


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
        "My data",
        "Two-factor authentication",
        "Erase my account",
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


def test_ledger_hash_link_name_starts_with_its_visible_text_and_its_table_is_named(client):
    user = UserFactory(roles=[roles.STAFF])
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    sign_in(client, user)
    with transaction.atomic():
        entry = record(
            action="calls.application.submitted",
            actor=None,
            target_type="calls.application",
            target_id="1",
            data={},
        )

    text = client.get(reverse("ledger:list")).content.decode()

    link = re.search(rf'<a href="/manage/ledger/{entry.seq}/"[^>]*>(.*?)</a>', text, re.S)
    assert link is not None
    assert "aria-label" not in link.group(0)
    assert link.group(1) == (
        f"<code>{entry.hash[:12]}…</code>"
        f'<span class="visually-hidden"> (entry {entry.seq} details)</span>'
    )
    assert (
        '<div class="table-wrap" tabindex="0" role="region" aria-label="Audit ledger entries">'
    ) in text


def nav_links(html: str) -> dict[str, str | None]:
    """Each wide-menu link's text and its aria-current value (None when it has none)."""
    links = re.findall(r'<a href="[^"]*"(?: aria-current="(\w+)")?>([^<]+)</a>', wide_nav(html))
    return {text.strip(): current or None for current, text in links}


def test_the_menu_marks_the_page_itself_and_the_section_a_page_belongs_to(client):
    call = CallFactory(slug="look-call")
    staff = UserFactory(roles=[roles.STAFF])
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": "x"})
    sign_in(client, staff)

    on_list = nav_links(client.get("/manage/calls/").content.decode())
    on_stage = nav_links(client.get(f"/manage/calls/{call.slug}/").content.decode())
    on_public_call = nav_links(client.get(f"/calls/{call.slug}/").content.decode())

    assert (on_list["Manage calls"], on_list["Open calls"], on_list["Dashboard"]) == (
        "page",
        None,
        None,
    )
    assert (on_stage["Manage calls"], on_stage["Manage vouchers"]) == ("true", None)
    assert (on_public_call["Open calls"], on_public_call["Manage calls"]) == ("true", None)


def test_every_field_description_on_the_ledger_filter_points_to_text_on_the_page(client):
    """Django links a field to its help text by id; the page must carry that id."""
    user = UserFactory(roles=[roles.STAFF])
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    sign_in(client, user)

    html = client.get(reverse("ledger:list")).content.decode()

    described = re.findall(r'aria-describedby="([^"]+)"', html)
    referenced = [name for names in described for name in names.split()]
    assert "id_action_helptext" in referenced
    missing = [name for name in referenced if f'id="{name}"' not in html]
    assert missing == []
