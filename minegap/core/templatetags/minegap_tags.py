"""Template tags every app may use: `{% load minegap_tags %}`."""

from django import template
from django.core.paginator import Page
from django.template import TemplateDoesNotExist
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag(takes_context=True)
def include_if_exists(context: template.Context, template_name: str) -> SafeString | str:
    """Render `template_name` with the current context, or nothing if no such template exists.

    The dashboard uses it to show each app's panel once that app ships one. A template that
    exists but fails (including one it extends or includes being missing) still raises.
    """
    engine = context.template.engine
    try:
        panel = engine.get_template(template_name)
    except TemplateDoesNotExist as exc:
        if exc.args and exc.args[0] != template_name:
            raise
        return ""
    with context.push():
        return panel.render(context)


@register.simple_tag
def page_numbers(page_obj: Page) -> list[int | str]:
    """Page numbers around the current page, with the paginator's ellipsis for the gaps."""
    return list(
        page_obj.paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1)
    )
