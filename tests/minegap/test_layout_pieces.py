"""The pieces every page draws, built for speed (issue #15): the tabs of a tab bar drawn in
Python, and addresses reversed once per process. Each must print what a template would."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory
from django.urls import clear_script_prefix, resolve, set_script_prefix, set_urlconf
from django.utils import translation

from minegap.core import slots
from minegap.core.addresses import reverse_once


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
