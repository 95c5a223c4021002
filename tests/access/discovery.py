"""Every URL pattern the project serves, found by walking the root resolver (so a new view is in
the matrix the moment it is mounted), and the class of answer a response falls in."""

import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib.messages import constants, get_messages
from django.http import HttpResponse
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

# Classes of answer, as written in the expectation table.
OK = "ok"
LOGIN = "login"  # sent to a sign-in page (or 401 from the API)
MFA = "mfa"  # sent to pass or set up the second factor
FORBIDDEN = "403"
NOT_FOUND = "404"
NOT_ALLOWED = "405"  # the method is not served (a POST-only action asked with GET)
INVALID = "400"
REFUSED = "refused"  # sent back with an error message: the service (or the page) said no
REDIRECT = "redirect"  # sent on by the page's own flow, with no error

CLASSES = (OK, LOGIN, MFA, FORBIDDEN, NOT_FOUND, NOT_ALLOWED, INVALID, REFUSED, REDIRECT)


@dataclass(frozen=True)
class Pattern:
    key: str  # "namespace:name", or the route when the pattern has no name
    route: str
    kwargs: tuple[str, ...]
    named: bool


def _walk(patterns, prefix: str = "", namespace: str = ""):
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry.url_patterns, route, inner)
        elif isinstance(entry, URLPattern):
            key = route
            if entry.name:
                key = f"{namespace}:{entry.name}" if namespace else entry.name
            yield Pattern(
                key=key,
                route=route,
                kwargs=tuple(entry.pattern.regex.groupindex),
                named=bool(entry.name),
            )


def all_patterns() -> list[Pattern]:
    """Every pattern of the root URLconf (each key once: two routes of one name are one row)."""
    seen: dict[str, Pattern] = {}
    for pattern in _walk(get_resolver().url_patterns):
        seen.setdefault(pattern.key, pattern)
    return list(seen.values())


def url_of(pattern: Pattern, kwargs: dict) -> str:
    if pattern.named:
        url = reverse(pattern.key, kwargs=kwargs)
        # The URL must lead to this pattern, not to an earlier one that shadows it.
        assert resolve(url).view_name == pattern.key, (pattern.key, url, resolve(url).view_name)
        return url
    # Unnamed (the admin's redirects and catch-all): fill the route's own placeholders.
    route = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(kwargs[m.group(1)]), pattern.route)
    route = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(kwargs[m.group(1)]), route)
    return "/" + route.replace("^", "").replace("$", "")


def _said_no(response: HttpResponse) -> bool:
    request = getattr(response, "wsgi_request", None)
    if request is None or not hasattr(request, "_messages"):
        return False
    return any(message.level >= constants.ERROR for message in get_messages(request))


def _api_wants_credentials(response: HttpResponse) -> bool:
    """DRF answers an anonymous caller 403 (not 401) when session auth comes first."""
    detail = getattr(response, "data", None)
    detail = detail.get("detail") if isinstance(detail, dict) else None
    return response.status_code == 403 and getattr(detail, "code", "") == "not_authenticated"


def _login_paths() -> tuple[str, ...]:
    return (reverse(settings.LOGIN_URL), reverse("admin:login"))


def answer_class(response: HttpResponse) -> str:
    status = response.status_code
    if 200 <= status < 300:
        return OK
    if status in (301, 302, 303, 307, 308):
        target = response["Location"].split("?")[0]
        if target.startswith(_login_paths()):
            return LOGIN
        if target.startswith(("/accounts/2fa/", "/accounts/reauthenticate/")):
            return MFA
        return REFUSED if _said_no(response) else REDIRECT
    if status == 401 or _api_wants_credentials(response):
        return LOGIN
    known = {403: FORBIDDEN, 404: NOT_FOUND, 405: NOT_ALLOWED, 400: INVALID}
    if status in known:
        return known[status]
    raise AssertionError(f"unexpected status {status} for {response.request['PATH_INFO']}")
