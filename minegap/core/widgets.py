"""Form widgets drawn in Python where Django's templates cost more than the page can afford.

Django draws a `<select>` through one template include per option (about 0.1 ms each): a
filter form with the country list spent more time drawing its options than the page spent
reading its rows (issue #15). `Select` writes the same HTML in Python.
"""

from html import escape

from django import forms
from django.utils.html import conditional_escape, format_html, format_html_join
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
    groups are left to Django's templates. The options are written straight from the choices:
    Django's `optgroups` builds a dict of attributes per option, which cost the country list
    (about 40 options) more than drawing them."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        choices = list(self.choices)
        if any(isinstance(label, (list, tuple)) for _value, label in choices):
            return super().render(name, value, attrs, renderer)
        attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            attrs["multiple"] = True
        selected = set(self.format_value(value))
        options = []
        for option_value, label in choices:
            option_value = "" if option_value is None else str(option_value)
            # As Django's `optgroups`: a single select marks its first match only.
            chosen = option_value in selected
            if chosen and not self.allow_multiple_selected:
                selected = set()
            options.append(
                f'<option value="{escape(option_value)}"{" selected" if chosen else ""}>'
                f"{conditional_escape(label)}</option>"
            )
        return mark_safe(  # noqa: S308 - every value and label above is escaped
            format_html('<select name="{}"{}>', name, _attributes(attrs))
            + "".join(options)
            + "</select>"
        )
