"""The pieces every page draws, built for speed (issue #15): the tabs of a tab bar drawn in
Python, and addresses reversed once per process. Each must print what a template would."""

import re
from contextlib import contextmanager

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.template import Context
from django.test import RequestFactory
from django.test.signals import template_rendered
from django.urls import clear_script_prefix, resolve, set_script_prefix, set_urlconf
from django.utils import translation

from accounts import roles
from minegap.core import prerendered, slots
from minegap.core.addresses import reverse_once
from tests.factories import MembershipFactory, UserFactory


def test_a_tab_prints_its_link_count_and_stage_escaped():
    tab = slots.Tab(
        url="/manage/calls/r&d/", label="R&D <tab>", count=3, count_label="to <decide>", stage=True
    )

    assert tab.__html__() == (
        '<li class="stage-now"><a href="/manage/calls/r&amp;d/">R&amp;D &lt;tab&gt; '
        '<span class="tab-count" title="to &lt;decide&gt;">3'
        '<span class="visually-hidden"> to &lt;decide&gt;</span></span>'
        '<span class="visually-hidden"> (current stage)</span></a></li>\n'
    )


def test_a_tab_without_count_or_stage_is_a_bare_link_marked_current_when_it_is():
    request = RequestFactory().get("/manage/calls/demo/ranking/")
    request.resolver_match = resolve("/manage/calls/demo/ranking/")

    here = slots.tab(request, url="/r/", label="Ranking", url_names=("evaluation:ranking",))
    there = slots.tab(request, url="/s/", label="Scores", url_names=("evaluation:scores",))

    assert here.__html__() == '<li><a href="/r/" aria-current="page">Ranking</a></li>\n'
    assert there.__html__() == '<li><a href="/s/">Scores</a></li>\n'


def test_a_tab_counts_and_names_the_stage_in_the_active_language(settings):
    settings.USE_THOUSAND_SEPARATOR = True
    tab = slots.Tab(url="/a/", label="Solicitudes", count=3000, count_label="x", stage=True)

    with translation.override("es"):
        html = tab.__html__()

    assert html == (
        '<li class="stage-now"><a href="/a/">Solicitudes <span class="tab-count" title="x">3\xa0000'
        '<span class="visually-hidden"> x</span></span>'
        '<span class="visually-hidden"> (fase actual)</span></a></li>\n'
    )


def test_a_tab_registered_twice_in_a_bar_is_refused():
    slots.register_tab("test:tabs", "one", lambda request: None)

    with pytest.raises(ImproperlyConfigured, match="already has a fragment named 'one'"):
        slots.register_tab("test:tabs", "one", lambda request: None)


def test_a_bar_draws_its_tabs_in_order_and_leaves_out_those_that_answer_none():
    slots.register_tab("test:bar", "b", lambda r, n: slots.Tab(url=f"/b/{n}/", label="B"), order=2)
    slots.register_tab("test:bar", "a", lambda r, n: slots.Tab(url=f"/a/{n}/", label="A"), order=1)
    slots.register_tab("test:bar", "hidden", lambda r, n: None, order=3)

    assert slots.render("test:bar", RequestFactory().get("/"), n=7) == [
        '<li><a href="/a/7/">A</a></li>\n',
        '<li><a href="/b/7/">B</a></li>\n',
    ]


def test_an_address_reversed_once_follows_the_script_prefix_and_the_urlconf():
    assert reverse_once("calls:manage-detail", "demo") == "/manage/calls/demo/"
    try:
        set_script_prefix("/minegap/")
        assert reverse_once("calls:manage-detail", "demo") == "/minegap/manage/calls/demo/"
        set_urlconf("bench._trivial")
        assert reverse_once("bench-trivial") == "/minegap/__bench__/trivial/"
    finally:
        set_urlconf(None)
        clear_script_prefix()
    assert reverse_once("calls:manage-detail", "demo") == "/manage/calls/demo/"


# ---- The menu and the footer, prerendered once per variant (minegap.core.prerendered) ------


@contextmanager
def template_renders(name: str):
    """Each rendering of the template ``name`` meanwhile (Django's test signal)."""
    seen: list = []

    def record(sender, template, context, **kwargs):
        if template.name == name:
            seen.append(template)

    template_rendered.connect(record, dispatch_uid="layout-pieces-renders")
    try:
        yield seen
    finally:
        template_rendered.disconnect(dispatch_uid="layout-pieces-renders")


def _csrf_inputs(html: str) -> list[str]:
    return re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)


@pytest.mark.django_db
def test_the_menu_is_rendered_once_per_variant_and_marks_each_requests_own_page(client, settings):
    # A new template engine: its templates were never prerendered in this process.
    settings.TEMPLATES = [{**settings.TEMPLATES[0]}]
    client.force_login(UserFactory())

    with template_renders("includes/nav_links.html") as renders:
        pages = [client.get(path).content.decode() for path in ("/calls/", "/figures/", "/")]

    marked = [
        re.findall(r'<a href="([^"]+)" aria-current="(\w+)">', html.split("</nav>")[0])
        for html in pages
    ]
    assert marked == [[("/calls/", "page")], [("/figures/", "page")], []]
    assert len(renders) == 1


@pytest.mark.django_db
def test_each_request_gets_its_own_csrf_token_and_address_in_the_menu_and_footer(client):
    client.force_login(UserFactory())

    first = client.get("/calls/?q=a<b&sort=x").content.decode()
    second = client.get("/projects/").content.decode()

    # The sign-out form and the language form; a masked token differs on every page.
    assert len(_csrf_inputs(first)) == 2 and len(_csrf_inputs(second)) == 2
    assert set(_csrf_inputs(first)).isdisjoint(_csrf_inputs(second))
    assert '<input type="hidden" name="next" value="/calls/?q=a%3Cb&amp;sort=x">' in first
    assert '<input type="hidden" name="next" value="/projects/">' in second
    assert "\x00" not in first + second


@pytest.mark.django_db
def test_the_menu_follows_the_language_and_the_roles_of_each_request(client):
    staff, applicant = UserFactory(roles=[roles.STAFF]), UserFactory()
    MembershipFactory(user=applicant)

    client.force_login(staff)
    english = client.get("/figures/").content.decode()
    spanish = client.get("/figures/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    client.force_login(applicant)
    as_applicant = client.get("/figures/").content.decode()

    assert ">Manage calls</a>" in english and ">My applications</a>" not in english
    assert ">Manage calls</a>" not in spanish and ">Gestionar convocatorias</a>" in spanish
    assert ">My applications</a>" in as_applicant and ">Manage calls</a>" not in as_applicant


def test_a_template_that_prints_a_hole_other_than_as_documented_is_refused(settings, tmp_path):
    (tmp_path / "bare_token.html").write_text('<meta content="{{ csrf_token }}">')
    (tmp_path / "filtered.html").write_text("{{ next_path|upper }}")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}
    ]
    context = Context({"request": RequestFactory().get("/")})

    for name, fills in (("bare_token.html", {}), ("filtered.html", {"next_path": "/x/"})):
        with pytest.raises(ImproperlyConfigured, match=name):
            prerendered.render(name, context, variant=(), values={}, fills=fills)


def test_a_prerendered_template_that_reads_what_it_cannot_see_is_refused(settings, tmp_path):
    (tmp_path / "reads_user.html").write_text("{% if user.is_authenticated %}in{% endif %}")
    (tmp_path / "reads_its_own.html").write_text(
        "{% for item in items %}{{ forloop.counter }}{{ item }}{% endfor %}"
        "{% with twice=kind %}{{ twice }}{% endwith %}"
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}
    ]
    context = Context({"request": RequestFactory().get("/"), "user": object()})

    with pytest.raises(ImproperlyConfigured, match="reads 'user'"):
        prerendered.render("reads_user.html", context, variant=(), values={})
    drawn = prerendered.render(
        "reads_its_own.html", context, variant=(), values={"items": ["a", "b"], "kind": "k"}
    )
    assert drawn == "1a2bk"


def test_a_prerendered_template_fills_the_same_holes_on_every_request(settings, tmp_path):
    (tmp_path / "holes.html").write_text(
        '{% load minegap_tags %}<form>{% csrf_token %}<input value="{{ next_path }}"></form>'
        "{% nav_link 'calls:public-list' 'Calls' section=True %}{{ kind }}"
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}
    ]

    def draw(path: str, token: str) -> str:
        context = Context({"request": RequestFactory().get(path), "csrf_token": token})
        fills = {"next_path": f"{path}?a=1&b=2"}
        return prerendered.render(
            "holes.html", context, variant=("x",), values={"kind": "<x>"}, fills=fills
        )

    assert draw("/calls/", "T1") == (
        '<form><input type="hidden" name="csrfmiddlewaretoken" value="T1">'
        '<input value="/calls/?a=1&amp;b=2"></form>'
        '<a href="/calls/" aria-current="page">Calls</a>&lt;x&gt;'
    )
    assert draw("/calls/demo/", "T2") == (
        '<form><input type="hidden" name="csrfmiddlewaretoken" value="T2">'
        '<input value="/calls/demo/?a=1&amp;b=2"></form>'
        '<a href="/calls/" aria-current="true">Calls</a>&lt;x&gt;'
    )
    assert draw("/events/", "NOTPROVIDED") == (
        '<form><input value="/events/?a=1&amp;b=2"></form><a href="/calls/">Calls</a>&lt;x&gt;'
    )


@pytest.mark.django_db
def test_the_assets_follow_the_static_files_settings(client, settings):
    client.force_login(UserFactory())  # a signed-in page: never from the page cache
    before = client.get("/figures/").content.decode()
    settings.STATIC_URL = "/assets/"
    after = client.get("/figures/").content.decode()

    assert '<script src="/static/js/htmx.min.js" defer></script>' in before
    assert '<script src="/assets/js/htmx.min.js" defer></script>' in after
    assert '<link rel="stylesheet" href="/assets/css/minegap.css">' in after
