"""Helpers for the role journeys: sign in through the real pages, check every page with
axe-core at two widths, and keep screenshots a person can look at."""

import os
import re
import tempfile
import time
from importlib import import_module
from pathlib import Path

from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.conf import settings
from playwright.sync_api import Page, expect

from tests.factories import DEFAULT_PASSWORD

AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe-core-4.10.3" / "axe.min.js").read_text()
WIDE = {"width": 1280, "height": 800}
NARROW = {"width": 390, "height": 844}
# HTMX swaps and form posts on a loaded CI machine can take seconds.
TIMEOUT_MS = 20_000
# A fixed base32 secret: the test computes the codes a phone app would show.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
TOTP_PERIOD = 30

_used_codes: set[tuple[int, str]] = set()


def enrol_totp(user):
    TOTP.activate(user, TOTP_SECRET)
    return user


def screenshot_dir() -> Path:
    folder = os.environ.get("SCREENSHOT_DIR")
    path = Path(folder) if folder else Path(tempfile.gettempdir()) / "minegap-journeys"
    path.mkdir(parents=True, exist_ok=True)
    return path


def fresh_code(user_id: int) -> str:
    """The current code, waiting for the next window when it is about to expire or was
    already used by this user (allauth refuses a code twice)."""
    while True:
        now = time.time()
        code = format_hotp_value(hotp_value(TOTP_SECRET, int(now) // TOTP_PERIOD))
        if now % TOTP_PERIOD < TOTP_PERIOD - 4 and (user_id, code) not in _used_codes:
            _used_codes.add((user_id, code))
            return code
        time.sleep(TOTP_PERIOD - now % TOTP_PERIOD + 0.5)


class Journey:
    """One person's walk through the site by clicking, checking each page it reaches."""

    def __init__(self, page: Page, role: str):
        self.page = page
        self.role = role
        self.checked: list[str] = []
        page.set_default_timeout(TIMEOUT_MS)
        page.set_viewport_size(WIDE)

    def start(self) -> None:
        self.page.goto("/")
        self.check()

    def click(self, locator) -> None:
        locator.click()
        self.page.wait_for_load_state()
        self.check()

    def sign_in(self, user, *, totp: bool = True) -> None:
        page = self.page
        self.click(page.locator("header nav.site-nav").get_by_role("link", name="Sign in"))
        page.fill("#id_login", user.email)
        page.fill("#id_password", DEFAULT_PASSWORD)
        self.click(page.get_by_role("button", name="Sign In"))
        if not totp:
            expect(page).to_have_url(re.compile(r"/dashboard/$"))
            return
        expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/$"))
        page.fill("#id_code", fresh_code(user.pk))
        self.click(page.get_by_role("button", name="Sign In"))
        expect(page).to_have_url(re.compile(r"/dashboard/$"))

    def reauthenticate_if_asked(self, user) -> None:
        """Sensitive steps may ask for the second factor again before they go ahead."""
        page = self.page
        if "/reauthenticate/" in page.url:
            self.reauthenticate(user)

    def reauthenticate(self, user) -> None:
        """Type a fresh code on allauth's re-authentication page, which then replays the
        suspended request."""
        page = self.page
        expect(page).to_have_url(re.compile(r"/accounts/2fa/reauthenticate/"))
        page.fill("#id_code", fresh_code(user.pk))
        self.click(page.locator("main").get_by_role("button").first)

    def age_second_factor(self, seconds: float) -> None:
        """Make the browser session's last TOTP step ``seconds`` older, as if the person had
        typed their code that long ago (the server reads the time allauth recorded)."""
        cookie = next(
            c for c in self.page.context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME
        )
        session = import_module(settings.SESSION_ENGINE).SessionStore(session_key=cookie["value"])
        records = session[AUTHENTICATION_METHODS_SESSION_KEY]
        assert [r["method"] for r in records if r["method"] == "mfa"], records
        session[AUTHENTICATION_METHODS_SESSION_KEY] = [
            {**r, "at": r["at"] - seconds} if r["method"] == "mfa" else r for r in records
        ]
        session.save()

    def check(self) -> None:
        """0 critical and 0 serious axe violations at 1280x800 and 390x844, and nothing makes
        the page scroll sideways at either width."""
        page = self.page
        for size in (WIDE, NARROW):
            page.set_viewport_size(size)
            if not page.evaluate("() => typeof window.axe !== 'undefined'"):
                page.evaluate(AXE_SOURCE + "\n;undefined")
            violations = page.evaluate(
                """async () => {
                    const result = await axe.run(document, {resultTypes: ['violations']});
                    return result.violations
                      .filter(v => v.impact === 'critical' || v.impact === 'serious')
                      .map(v => v.id + ' (' + v.impact + '): ' + v.help + ' at '
                           + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '));
                }"""
            )
            where = f"{page.url} at {size['width']}x{size['height']}"
            assert violations == [], f"axe violations on {where}: {violations}"
            width = page.evaluate("() => document.documentElement.scrollWidth")
            assert width <= size["width"], f"{where} is {width}px wide: {self.wider_than(size)}"
        page.set_viewport_size(WIDE)
        self.checked.append(page.url)

    def wider_than(self, size: dict) -> list[str]:
        """The innermost elements that stick out of the viewport, to say what to fix."""
        return self.page.evaluate(
            """(width) => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > width + 0.5)
                .filter(e => { for (let a = e.parentElement; a; a = a.parentElement) {
                    if (a !== document.body && getComputedStyle(a).overflowX !== 'visible') return false;
                  } return true; })
                .filter(e => ![...e.children].some(c => c.getBoundingClientRect().right > width + 0.5))
                .slice(0, 5)
                .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                     + (e.className && typeof e.className === 'string' ? '.' + e.className.split(' ').join('.') : '')
                     + ' ' + Math.round(e.getBoundingClientRect().right) + 'px')""",
            size["width"],
        )

    def page_width_at(self, size: dict) -> int:
        self.page.set_viewport_size(size)
        width = self.page.evaluate("() => document.documentElement.scrollWidth")
        self.page.set_viewport_size(WIDE)
        return width

    def screenshot(self, name: str) -> None:
        folder = screenshot_dir()
        for size in (WIDE, NARROW):
            self.page.set_viewport_size(size)
            path = folder / f"{self.role}-{name}-{size['width']}.png"
            self.page.screenshot(path=str(path), full_page=True)
        self.page.set_viewport_size(WIDE)
        print(f"screenshots: {folder}")
