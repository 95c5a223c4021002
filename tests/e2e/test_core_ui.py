"""Browser checks of the shared layout: small-screen menu, language switcher, minegap.js hooks."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def language_cookie(page) -> str | None:
    cookies = {cookie["name"]: cookie["value"] for cookie in page.context.cookies()}
    return cookies.get("django_language")


def test_small_screen_menu_opens_without_javascript_help(page):
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto("/")

    nav = page.locator("nav.site-nav")
    toggle = nav.locator("details.nav-narrow > summary")
    expect(toggle).to_be_visible()
    expect(nav.get_by_role("link", name="Sign in")).to_be_hidden()

    toggle.click()

    expect(nav.get_by_role("link", name="Sign in")).to_be_visible()
    page.keyboard.press("Escape")
    expect(nav.get_by_role("link", name="Sign in")).to_be_hidden()
    expect(toggle).to_be_focused()
    page.keyboard.press("Enter")  # the keyboard opens it too
    expect(nav.get_by_role("link", name="Sign in")).to_be_visible()


def test_wide_screen_shows_the_inline_navigation(page):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/")

    expect(page.locator("nav.site-nav").get_by_role("link", name="Sign in")).to_be_visible()
    expect(page.locator("details.nav-narrow")).to_be_hidden()
    expect(page.locator(".nav-list")).to_have_count(1)  # one menu for every width


def test_choosing_a_language_switches_the_page(page):
    page.goto("/")

    page.select_option("#language-select", "es")

    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator("nav.site-nav").get_by_role("link", name="Iniciar sesión")).to_be_visible()
    assert language_cookie(page) == "es"


def test_htmx_requests_carry_the_csrf_token(page):
    page.goto("/")
    page.wait_for_function("() => window.htmx !== undefined")

    with page.expect_response(re.compile(r"/i18n/setlang/$")) as response_info:
        page.evaluate(
            "() => htmx.ajax('POST', '/i18n/setlang/', {values: {language: 'es', next: '/'},"
            " target: 'body', swap: 'none'})"
        )

    assert response_info.value.status == 302
    assert language_cookie(page) == "es"


def test_data_confirm_cancelled_keeps_the_form_from_submitting(page):
    page.goto("/")
    page.evaluate(
        "() => { const form = document.querySelector('.language-form');"
        " form.setAttribute('data-confirm', 'Really switch?');"
        " form.querySelector('select').value = 'es'; }"
    )
    questions = []

    def dismiss(dialog):
        questions.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    page.locator(".language-form button[type=submit]").click()
    page.wait_for_timeout(300)

    assert questions == ["Really switch?"]
    assert language_cookie(page) is None
    expect(page.locator("html")).to_have_attribute("lang", "en")
