"""Template tags every app may use: `{% load minegap_tags %}`."""

from django import template
from django.core.paginator import Page
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from minegap.core import slots

register = template.Library()


@register.simple_tag(takes_context=True)
def render_slot(context: template.Context, slot: str, **kwargs) -> SafeString:
    """Draw every fragment the apps registered for ``slot`` (see minegap.core.slots)."""
    return mark_safe("".join(slots.render(slot, context["request"], **kwargs)))  # noqa: S308


@register.simple_tag
def page_numbers(page_obj: Page) -> list[int | str]:
    """Page numbers around the current page, with the paginator's ellipsis for the gaps."""
    return list(
        page_obj.paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1)
    )


@register.simple_tag(takes_context=True)
def nav_link(context: template.Context, url_name: str, label: str) -> SafeString:
    """A navigation link marked as the current page when it is; a wrong name raises."""
    url = reverse(url_name)
    request = context.get("request")
    current = request is not None and request.path == url
    return format_html(
        '<a href="{}"{}>{}</a>', url, mark_safe(' aria-current="page"') if current else "", label
    )
