"""Form widgets drawn in Python where Django's templates cost more than the page can afford.

Django draws a `<select>` through one template include per option (about 0.1 ms each): a
filter form with the country list spent more time drawing its options than the page spent
reading its rows (issue #15). `Select` writes the same HTML in Python.
"""

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe


def _attributes(attrs: dict) -> SafeString:
    """The attributes as Django's "django/forms/widgets/attrs.html" writes them, in order."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value),)
            for name, value in attrs.items()
            if value is not False
        ),
    )


class Select(forms.Select):
    """`forms.Select` with the HTML of Django's own templates, written in Python; choices in
    groups are left to Django's templates."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        if any(group is not None for group, _options, _index in widget["optgroups"]):
            return super().render(name, value, attrs, renderer)
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (option["value"], _attributes(option["attrs"]), option["label"])
                for _group, group_options, _index in widget["optgroups"]
                for option in group_options
            ),
        )
        return mark_safe(  # noqa: S308 - every part above is escaped by format_html
            format_html('<select name="{}"{}>', widget["name"], _attributes(widget["attrs"]))
            + options
            + "</select>"
        )
