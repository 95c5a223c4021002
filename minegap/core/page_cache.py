"""Whole responses of the anonymous public pages, cached per language and address.

A page decorated with `cache_anonymous_page` is rendered once per data version, release of the
code (`minegap.core.release`), language, host and full path (query string included), and served from the cache to every anonymous visitor
until the data it shows changes: `public.signals` replaces the version (`pages.changed()`, at the
change and again after commit) whenever a record a public page reads is saved or deleted, or a
service reports a bulk change through `records_changed` (a `QuerySet.update()` sends no
`post_save`). Pages also change with the clock (a call opens, a deadline passes, an event ends):
apps register when their next such moment is (`register_time_boundary`), and a page is never
kept past the nearest one.

What is never cached, so never shown to someone else:
- anything but a plain GET (HTMX partials included), a page for a signed-in person, a page
  shown with messages ("You have signed out"), an answer other than 200;
- the CSRF token: every page carries one (the `csrf-token` meta tag, the language form of the
  footer, which posts to `set_language`). While a cacheable page renders, the `csrf_token`
  context variable is a placeholder (`csrf_placeholder`, a context processor listed after
  Django's own), and every answer, cached or just rendered, gets the visitor's own token in its
  place; Django's CSRF middleware then sets the visitor's cookie as on any page. The cached bytes
  hold no token and no cookie.
"""

import hashlib
import time
from collections.abc import Callable
from datetime import datetime
from functools import wraps

from django.conf import settings
from django.contrib.messages import get_messages
from django.dispatch import Signal
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

from minegap.core.cache import VersionedCache
from minegap.core.release import release

# Invalidation does the real work; this bounds how long a page nobody asks for stays in memory.
PAGE_TIMEOUT = 60 * 10

pages = VersionedCache("pages", timeout=PAGE_TIMEOUT)

# Sent (sender: the model class) by a service that changed records in bulk, without post_save.
records_changed = Signal()

# Stands for the CSRF token in a page being rendered for the cache; derived from the secret key,
# so that nobody can write it into a text the page shows.
CSRF_PLACEHOLDER = (
    "csrf-placeholder-"
    + hashlib.sha256(f"minegap-page-cache:{settings.SECRET_KEY}".encode()).hexdigest()[:40]
)
_RENDERING_FOR_CACHE = "_minegap_page_cache_rendering"

_time_boundaries: list[Callable[[], datetime | None]] = []


def register_time_boundary(next_change: Callable[[], datetime | None]) -> None:
    """`next_change()` answers the next moment (or None) at which a public page changes without
    any record changing (a call opening or closing, an event starting or ending)."""
    if next_change not in _time_boundaries:
        _time_boundaries.append(next_change)


def _timeout() -> int:
    """Seconds this page may be kept: until the nearest registered moment, at most PAGE_TIMEOUT."""
    now = time.time()
    moments = [moment() for moment in _time_boundaries]
    timeout = min([PAGE_TIMEOUT, *(int(m.timestamp() - now) for m in moments if m is not None)])
    return max(timeout, 0)


def rendering_for_cache(request: HttpRequest) -> bool:
    """Whether this request's page is being rendered for the page cache (its token a placeholder)."""
    return getattr(request, _RENDERING_FOR_CACHE, False) is True


def csrf_placeholder(request: HttpRequest) -> dict:
    """Context processor: the placeholder instead of the token while a page renders for the cache
    (listed after Django's own CSRF processor, so it wins)."""
    if rendering_for_cache(request):
        return {"csrf_token": CSRF_PLACEHOLDER}
    return {}


def _cacheable_request(request: HttpRequest) -> bool:
    return (
        request.method == "GET"
        and not getattr(request, "htmx", False)
        and not request.user.is_authenticated
        and not len(get_messages(request))  # counts without marking them shown
    )


def _with_visitor_token(request: HttpRequest, content: bytes) -> bytes:
    placeholder = CSRF_PLACEHOLDER.encode()
    if placeholder not in content:
        return content
    return content.replace(placeholder, get_token(request).encode())


def cache_anonymous_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve `view`'s answer to anonymous visitors from the page cache (see the module)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not _cacheable_request(request):
            return view(request, *args, **kwargs)
        # The key names the version read before rendering: a change during the rendering leaves
        # the page unreachable, never newer than it is. And the release: a deploy draws afresh.
        key = pages.key_for(
            f"{release()}|{get_language()}|{request.scheme}://{request.get_host()}"
            f"{request.get_full_path()}"
        )
        cached = pages.get(key) if key else None
        if cached is not None:
            content, content_type = cached
            return HttpResponse(_with_visitor_token(request, content), content_type=content_type)
        setattr(request, _RENDERING_FOR_CACHE, True)
        try:
            response = view(request, *args, **kwargs)
        finally:
            setattr(request, _RENDERING_FOR_CACHE, False)
        if response.streaming:
            return response
        if (
            key
            and response.status_code == 200
            and not response.cookies
            and not len(get_messages(request))
        ):
            timeout = _timeout()
            if timeout:
                pages.set(key, (response.content, response["Content-Type"]), timeout)
        response.content = _with_visitor_token(request, response.content)
        return response

    return wrapper
