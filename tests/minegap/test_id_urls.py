"""A view's address for any id, reversed once (`minegap.core.addresses`): the same addresses as
`reverse()` gives, whatever URLconf, script prefix and language the request has."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import set_script_prefix, set_urlconf
from django.utils import translation

from minegap.core.addresses import id_url

OTHER_URLCONF = "tests.minegap.id_urls_urlconf"


def test_each_id_is_formatted_into_the_views_address():
    link = id_url("calls:apply-home")

    assert [link(7), link(123456)] == ["/apply/applications/7/", "/apply/applications/123456/"]
    assert (link.before, link.after) == ("/apply/applications/", "/")


def test_the_arguments_before_the_id_are_part_of_the_address():
    first = id_url("evaluation:eligibility-detail", "first-call")
    second = id_url("evaluation:eligibility-detail", "second-call")

    assert first(5) == "/manage/calls/first-call/eligibility/5/"
    assert second(5) == "/manage/calls/second-call/eligibility/5/"


def test_a_requests_own_urlconf_gives_its_own_address():
    assert id_url("calls:apply-home")(3) == "/apply/applications/3/"
    set_urlconf(OTHER_URLCONF)  # what the handler does for a request with `request.urlconf`
    try:
        assert id_url("calls:apply-home")(3) == "/elsewhere/applications/3/"
    finally:
        set_urlconf(None)
    assert id_url("calls:apply-home")(3) == "/apply/applications/3/"


def test_the_script_prefix_is_part_of_the_address():
    assert id_url("calls:apply-home")(3) == "/apply/applications/3/"
    set_script_prefix("/minegap/")  # what the handler does with SCRIPT_NAME
    try:
        assert id_url("calls:apply-home")(3) == "/minegap/apply/applications/3/"
    finally:
        set_script_prefix("/")
    assert id_url("calls:apply-home")(3) == "/apply/applications/3/"


def test_the_language_prefix_follows_the_active_language():
    set_urlconf(OTHER_URLCONF)
    try:
        with translation.override("en"):
            english = id_url("thing")(9)
        with translation.override("es"):
            spanish = id_url("thing")(9)
        with translation.override("en"):
            english_again = id_url("thing")(9)
    finally:
        set_urlconf(None)

    assert (english, spanish, english_again) == ("/en/things/9/", "/es/things/9/", "/en/things/9/")


def test_an_address_that_shows_the_placeholder_twice_is_refused():
    # The slug happens to be the placeholder: the id's place in the address is ambiguous.
    with pytest.raises(ImproperlyConfigured):
        id_url("evaluation:eligibility-detail", "2147483647")
