"""The base layout, the navigation by role, the dashboard and the error pages."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.template import Context, Engine, TemplateDoesNotExist
from django.test import RequestFactory
from django.views import defaults

from accounts import roles
from minegap.core import slots
from tests.auth import sign_in
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def nav_labels(html: str) -> list[str]:
    """The link and button labels of the site's navigation."""
    wide = html.split('<nav class="site-nav"', 1)[1].split("</nav>", 1)[0]
    return [
        re.sub(r"\s+", " ", label).strip()
        for label in re.findall(r"<(?:a|button)[^>]*>(.*?)</(?:a|button)>", wide, re.S)
    ]


def test_base_layout_has_landmarks_skip_link_csrf_meta_and_scripts(client):
    response = client.get("/")
    html = response.content.decode()

    assert response.status_code == 200
    assert html.count('<a class="skip-link" href="#main">Skip to content</a>') == 1
    assert html.count('<main id="main"') == 1
    assert html.count('<header class="site-header">') == 1
    assert html.count('<footer class="site-footer">') == 1
    token = re.search(r'<meta name="csrf-token" content="([^"]+)">', html).group(1)
    assert len(token) == 64
    assert '<script src="/static/js/htmx.min.js" defer></script>' in html
    assert '<script src="/static/js/minegap.js" defer></script>' in html
    # No inline script or style: the CSP forbids them.
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []
    assert re.findall(r'\sstyle="', html) == []


def test_pages_carry_the_content_security_policy(client, settings):
    response = client.get("/")

    assert response.headers["Content-Security-Policy"] == settings.CSP_POLICY
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def test_one_menu_serves_every_width_its_toggle_first(client):
    """The links are rendered once: the Menu toggle (a <details>, no JavaScript) folds them on a
    phone; the list follows the toggle, which CSS reads to show or hide it."""
    client.force_login(UserFactory(roles=[roles.STAFF]))
    html = client.get("/").content.decode()

    assert html.count('<nav class="site-nav" aria-label="Main">') == 1
    assert html.count('<ul class="nav-list">') == 1
    assert html.count(">Manage calls</a>") == 1
    nav = html.split('<nav class="site-nav"', 1)[1]
    assert re.match(
        r'[^>]*>\s*<details class="nav-narrow"><summary>Menu</summary></details>\s*<ul class="nav-list">',
        nav,
    )


def test_anonymous_navigation_offers_sign_in_and_register(client):
    html = client.get("/").content.decode()

    labels = nav_labels(html)
    # Public pages of other apps come first once they exist; the account links close the list.
    assert labels[-2:] == ["Sign in", "Register"]
    assert "Dashboard" not in labels
    assert "Sign out" not in labels


def test_applicant_navigation_has_no_staff_links(client):
    user = UserFactory()
    MembershipFactory(user=user)
    client.force_login(user)

    labels = nav_labels(client.get("/").content.decode())

    assert "Audit ledger" not in labels
    assert labels.count("Dashboard") == 1
    assert labels[-1] == "Sign out"


def test_staff_navigation_links_the_audit_ledger(client):
    client.force_login(UserFactory(roles=[roles.STAFF]))

    labels = nav_labels(client.get("/").content.decode())

    assert labels.count("Audit ledger") == 1


def test_sign_out_is_a_post_form_with_csrf(client):
    client.force_login(UserFactory())
    html = client.get("/").content.decode()
    wide = html.split('<nav class="site-nav"', 1)[1].split("</nav>", 1)[0]

    form = re.search(
        r'<form method="post" action="([^"]+)">\s*<input type="hidden" name="csrfmiddlewaretoken"',
        wide,
    )
    assert form.group(1) == "/accounts/logout/"


def test_messages_region_is_a_live_status(client):
    html = client.get("/").content.decode()

    assert html.count('role="status" aria-live="polite"') == 1


# ---- Slots: places later apps fill ------------------------------------------------------

PROCESSOR_RUNS: list = []


def count_processor_runs(request) -> dict:
    """A context processor the slot test adds: how many times processors ran so far."""
    PROCESSOR_RUNS.append(request)
    return {"runs": len(PROCESSOR_RUNS)}


def test_a_slot_runs_the_context_processors_once_a_request_not_once_a_fragment(
    settings, tmp_path, rf
):
    (tmp_path / "slot_probe.html").write_text(
        "{{ label }} {{ runs }} {{ request.path }} {{ user.is_authenticated }}"
    )
    engine = settings.TEMPLATES[0]
    processors = engine["OPTIONS"]["context_processors"]
    settings.TEMPLATES = [
        {
            **engine,
            "DIRS": [*engine["DIRS"], tmp_path],
            "OPTIONS": {
                **engine["OPTIONS"],
                "context_processors": [*processors, f"{__name__}.count_processor_runs"],
            },
        }
    ]
    for name in ("a", "b", "c"):
        slots.register("test:probe", name, "slot_probe.html", lambda r, label: {"label": label})
    PROCESSOR_RUNS.clear()
    request = rf.get("/calls/")
    request.user = UserFactory()

    first_row = slots.render("test:probe", request, label="row-1")
    second_row = slots.render("test:probe", request, label="row-2")
    next_request = rf.get("/events/")
    next_request.user = AnonymousUser()

    assert first_row == ["row-1 1 /calls/ True"] * 3
    assert second_row == ["row-2 1 /calls/ True"] * 3
    assert slots.render("test:probe", next_request, label="row-1") == ["row-1 2 /events/ False"] * 3


def test_registering_a_fragment_whose_template_is_missing_fails_at_once():
    with pytest.raises(TemplateDoesNotExist):
        slots.register("test:nowhere", "missing", "nowhere/missing_panel.html", lambda r: {})

    assert slots.fragments("test:nowhere") == []


def test_a_slot_draws_its_fragments_in_order_and_leaves_out_those_that_do_not_apply():
    slots.register("test:order", "b", "includes/pagination.html", lambda r: {}, order=2)
    slots.register("test:order", "a", "includes/pagination.html", lambda r: {}, order=1)
    slots.register("test:order", "skipped", "includes/pagination.html", lambda r: None)

    assert [f.name for f in slots.fragments("test:order")] == ["a", "b", "skipped"]
    assert len(slots.render("test:order", RequestFactory().get("/"))) == 2


def test_a_fragment_that_fails_raises_instead_of_showing_a_placeholder():
    def broken(request):
        raise LookupError("the panel's selector failed")

    slots.register("test:broken", "broken", "includes/pagination.html", broken)

    with pytest.raises(LookupError):
        slots.render("test:broken", RequestFactory().get("/"))


def test_a_name_is_registered_once_per_slot():
    slots.register("test:twice", "panel", "includes/pagination.html", lambda r: {})

    with pytest.raises(ImproperlyConfigured):
        slots.register("test:twice", "panel", "includes/pagination.html", lambda r: {})


def test_every_dashboard_section_has_a_registered_panel():
    for role in ("applicant", "staff", "evaluator", "committee"):
        assert slots.fragments(f"dashboard:{role}"), role


# ---- Dashboard --------------------------------------------------------------------------


def test_dashboard_needs_sign_in(client):
    response = client.get("/dashboard/")

    assert response.status_code == 302
    assert response.headers["Location"] == "/accounts/login/?next=/dashboard/"


def test_dashboard_without_organisation_or_role_invites_to_register_one(client):
    client.force_login(UserFactory())

    html = client.get("/dashboard/").content.decode()

    assert html.count('id="get-started-heading"') == 1
    assert 'id="applicant-heading"' not in html
    assert 'id="staff-heading"' not in html


def test_dashboard_shows_one_section_per_role(client):
    user = UserFactory(roles=[roles.EVALUATOR, roles.COMMITTEE])
    MembershipFactory(user=user)
    sign_in(client, user)

    html = client.get("/dashboard/").content.decode()
    sections = re.findall(
        r'<section class="dashboard-section[^"]*" aria-labelledby="([a-z-]+)-heading">', html
    )

    assert sections == ["applicant", "evaluator", "committee"]
    assert 'id="get-started-heading"' not in html


def test_dashboard_asks_privileged_people_without_mfa_to_turn_it_on(client):
    client.force_login(UserFactory(roles=[roles.STAFF]))

    html = client.get("/dashboard/").content.decode()

    assert html.count("Turn on two-factor authentication to open your work areas.") == 1


def test_dashboard_does_not_ask_applicants_for_mfa(client):
    user = UserFactory()
    MembershipFactory(user=user)
    client.force_login(user)

    html = client.get("/dashboard/").content.decode()

    assert "Turn on two-factor authentication to open your work areas." not in html


def test_dashboard_for_a_newcomer_runs_a_fixed_number_of_queries(client, django_assert_num_queries):
    """The person with their roles and memberships, one query (the session comes from the
    cache): no panel queries, and no session write (a session is renewed at most once an hour,
    not saved on every request)."""
    client.force_login(UserFactory())
    client.get("/dashboard/")  # the first request may rotate the session

    with django_assert_num_queries(1):
        response = client.get("/dashboard/")

    assert response.status_code == 200


# ---- Error pages ------------------------------------------------------------------------


def test_unknown_page_renders_our_404_when_debug_is_off(client, settings):
    settings.DEBUG = False

    response = client.get("/no-such-page/")
    html = response.content.decode()

    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in html
    assert html.count('<main id="main"') == 1


def test_403_page_explains_and_offers_sign_in():
    request = RequestFactory().get("/manage/secret/")
    request.user = UserFactory()

    response = defaults.permission_denied(request, PermissionDenied("Only staff may see this."))
    html = response.content.decode()

    assert response.status_code == 403
    assert "<h1>Access denied</h1>" in html
    assert "<p>Only staff may see this.</p>" in html


def test_500_page_renders_without_a_request_context():
    request = RequestFactory().get("/")

    response = defaults.server_error(request)
    html = response.content.decode()

    assert response.status_code == 500
    assert "<h1>Something went wrong</h1>" in html
    assert '<link rel="stylesheet" href="/static/css/minegap.css">' in html


def test_500_template_renders_from_an_empty_context():
    html = Engine.get_default().get_template("500.html").render(Context({}))

    assert "<h1>Something went wrong</h1>" in html


def test_the_staff_area_root_leads_to_the_dashboard(client):
    response = client.get("/manage/")
    assert (response.status_code, response["Location"]) == (302, "/dashboard/")
