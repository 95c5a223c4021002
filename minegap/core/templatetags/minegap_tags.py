"""Template tags every app may use: `{% load minegap_tags %}`."""

from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from zoneinfo import ZoneInfo

from django import template
from django.conf import settings
from django.core.paginator import Page
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language_info

from minegap.core import prerendered, slots
from minegap.core.addresses import reverse_once
from minegap.core.formatting import format_money, format_points
from minegap.core.middleware import session_seconds_left

register = template.Library()

# Criterion scores and weighted totals are published with two decimals (DOMAIN.md, ranking).
SCORE_DECIMALS = 2


@register.simple_tag(takes_context=True)
def render_slot(context: template.Context, slot: str, **kwargs) -> SafeString:
    """Draw every fragment the apps registered for ``slot`` (see minegap.core.slots)."""
    return mark_safe("".join(slots.render(slot, context["request"], **kwargs)))  # noqa: S308


@register.simple_tag(takes_context=True)
def session_expires_in(context: template.Context) -> int:
    """Seconds the signed-in session has left if idle from now (the expiry warning's timer)."""
    return session_seconds_left(context["request"])


@register.simple_tag
def page_numbers(page_obj: Page) -> list[int | str]:
    """Page numbers around the current page, with the paginator's ellipsis for the gaps."""
    return list(
        page_obj.paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1)
    )


@register.simple_tag(takes_context=True)
def nav_link(
    context: template.Context, url_name: str, label: str, section: bool = False
) -> SafeString:
    """A navigation link marked as the current page when it is; a wrong name raises.

    With ``section=True`` the link also marks the pages under it (``aria-current="true"``: a call
    page under Open calls, a stage of a call under Manage calls), so the menu shows where one is.
    """
    url = reverse_once(url_name)
    if context.get(prerendered.PRERENDERING):
        current = prerendered.current_link_hole(url, section)
    else:
        request = context.get("request")
        path = request.path if request is not None else None
        current = prerendered.current_link_attribute(path, url, section)
    return format_html('<a href="{}"{}>{}</a>', url, mark_safe(current), label)  # noqa: S308


@register.simple_tag(takes_context=True)
def site_header(context: template.Context) -> SafeString:
    """The skip link and the site's header with its navigation (``includes/header.html``) for
    this person's roles, prerendered once per set of roles and language (core.prerendered)."""
    user = context.get("user")
    signed_in = bool(user is not None and user.is_authenticated)
    roles = context.get("roles") or {}
    return prerendered.render(
        "includes/header.html",
        context,
        variant=(signed_in, tuple(sorted(roles.items()))),
        values={"signed_in": signed_in, "roles": roles},
    )


@register.simple_tag(takes_context=True)
def site_assets(context: template.Context) -> SafeString:
    """The stylesheet, scripts and icon of every page (``includes/assets.html``), prerendered
    once per static files storage: a hashed name changes only with a new deployment."""
    storage = (settings.STATIC_URL, repr(settings.STORAGES.get("staticfiles")))
    return prerendered.render("includes/assets.html", context, variant=storage, values={})


@register.simple_tag(takes_context=True)
def site_footer(context: template.Context) -> SafeString:
    """The site's footer (``includes/footer.html``), prerendered once per language."""
    source_code_url = context.get("source_code_url", "")
    request = context.get("request")
    return prerendered.render(
        "includes/footer.html",
        context,
        variant=(source_code_url, tuple(code for code, _name in settings.LANGUAGES)),
        values={"source_code_url": source_code_url},
        fills={"next_path": request.get_full_path() if request is not None else ""},
    )


@register.simple_tag
def site_languages() -> tuple[dict, ...]:
    """The languages of the switcher, each in its own name (``code``, ``name_local``)."""
    return _site_languages(tuple(code for code, _name in settings.LANGUAGES))


@lru_cache(maxsize=8)
def _site_languages(codes: tuple[str, ...]) -> tuple[dict, ...]:
    # A language's own name does not depend on the active language: computed once per process.
    return tuple(
        {"code": code, "name_local": get_language_info(code)["name_local"]} for code in codes
    )


@register.filter
def money(value) -> str:
    """Euros the one way the platform shows them (minegap.core.formatting.format_money)."""
    return format_money(value)


@register.filter
def score(value, decimals: int = SCORE_DECIMALS) -> str:
    """A score or weighted total with the published number of decimals (half up, as ranked)."""
    if value is None or value == "":
        return ""
    quantum = Decimal(1).scaleb(-int(decimals))
    return number_format(
        Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP), decimal_pos=int(decimals)
    )


@register.simple_tag
def deadline(moment, time_zone: str) -> SafeString:
    """A date and time in the call's time zone, in the active language's format, naming the zone:
    <time datetime="2026-12-06T17:00:00+01:00">6 December 2026, 17:00 (Europe/Brussels)</time>."""
    if moment is None:
        return mark_safe("—")
    local = timezone.localtime(moment, ZoneInfo(time_zone))
    return format_html(
        '<time datetime="{}">{} ({})</time>',
        local.isoformat(),
        date_format(local, "DATETIME_FORMAT"),
        time_zone,
    )


@register.filter
def points(value) -> str:
    """A gap in score points with its unit in the right number (format_points)."""
    if value is None or value == "":
        return ""
    return format_points(value)


@register.filter
def plain_number(value) -> str:
    """A decimal without its trailing zeros, as people write a weight or a percentage: 1.5, 2."""
    if value is None or value == "":
        return ""
    number = Decimal(value)
    decimals = max(0, -number.normalize().as_tuple().exponent)
    return number_format(number, decimal_pos=decimals)
