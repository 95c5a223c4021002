"""Parts of the layout rendered once per process for each variant, then filled in per request.

The menu and the footer are on every page and barely change: for one language and one set of
roles their HTML is the same on every request but for three things, the CSRF token of their
forms, the page's own address (the language form's ``next``) and which menu link is the
current page. Rendering their templates every time cost a signed-in page about a millisecond
of CPU (issue #15). So a template given to ``render`` is rendered once per *variant* (the
values it is given, and what changes an address: `minegap.core.addresses.address_context`)
with *holes* where those per-request parts go, split at the holes, and every request joins
the pieces with its own.

What the template may use, since it is not rendered with the request's context:
- the ``values`` it is given (their ``variant`` names them: the caller keeps the two in step);
- ``{% csrf_token %}`` (filled with what the tag prints for this request's context);
- the names of ``fills``, printed plainly as ``{{ name }}`` (escaped like any variable);
- ``{% nav_link %}`` (its ``aria-current`` decided per request from the path);
- anything the same for every request of the variant (``{% url %}``, ``{% translate %}``).
Anything else (``request``, ``user``) is absent, and a template that reads it is refused when
it is first prerendered (`_SeeingOnlyItsValues`): silently printing nothing would hide it.
"""

import re
from weakref import WeakKeyDictionary

from django.core.exceptions import ImproperlyConfigured
from django.template import Context
from django.template.base import Template
from django.template.defaulttags import CsrfTokenNode
from django.template.loader import get_template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from minegap.core.addresses import address_context

#: Set in the context while a template is being prerendered (`nav_link` leaves a hole then).
PRERENDERING = "_minegap_prerendering"

# A hole is its description between two NUL characters, which no template, translation or
# address holds (a request's own values are filled in after the split, never split).
_HOLE = re.compile("\x00([^\x00]*)\x00")
_KINDS = {"csrf-token", "fill", "current"}
# The token alone has no hole of its own: only the whole `{% csrf_token %}` input is one.
_CSRF_VALUE = "\x00csrf-value\x00"
_CSRF_INPUT = format_html(
    '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', _CSRF_VALUE
)
_CSRF_NODE = CsrfTokenNode()

# Keyed by the compiled template: a reloaded template (development, a test's TEMPLATES) is new.
_pieces: WeakKeyDictionary[Template, dict[tuple, tuple[str, ...]]] = WeakKeyDictionary()


def current_link_hole(url: str, section: bool) -> SafeString:
    """What `nav_link` prints instead of its `aria-current` while prerendering."""
    return mark_safe(f"\x00current {int(section)} {url}\x00")  # noqa: S308 - no markup in it


def current_link_attribute(path: str | None, url: str, section: bool) -> str:
    """A menu link's mark: the current page, or (``section``) a page under it."""
    if path == url:
        return ' aria-current="page"'
    if section and path is not None and path.startswith(url):
        return ' aria-current="true"'
    return ""


def render(
    template_name: str,
    context: Context,
    *,
    variant: tuple,
    values: dict,
    fills: dict[str, object] | None = None,
) -> SafeString:
    """The HTML of ``template_name`` for this request (``context``: the page's)."""
    fills = fills or {}
    template = get_template(template_name).template
    key = (variant, *address_context())
    by_variant = _pieces.setdefault(template, {})
    pieces = by_variant.get(key)
    if pieces is None:
        pieces = by_variant[key] = _prerender(template, values, fills)
    request = context.get("request")
    path = request.path if request is not None else None
    html = []
    for index, piece in enumerate(pieces):
        if index % 2 == 0:
            html.append(piece)
            continue
        kind, _, argument = piece.partition(" ")
        if kind == "csrf-token":
            html.append(_CSRF_NODE.render(context))
        elif kind == "fill":
            html.append(conditional_escape(fills[argument]))
        else:  # "current"
            section, _, url = argument.partition(" ")
            html.append(current_link_attribute(path, url, section == "1"))
    return mark_safe("".join(html))  # noqa: S308 - rendered by the template engine, escaped there


class _SeeingOnlyItsValues(Context):
    """A context that refuses a variable it does not hold (the engine would print nothing):
    a prerendered template sees only its values, its fills and what it sets itself."""

    def __getitem__(self, key):
        try:
            return super().__getitem__(key)
        except KeyError:
            raise ImproperlyConfigured(
                f"A prerendered template reads {key!r}, which it cannot see: give it as one of "
                "its values or fills."
            ) from None


def _prerender(template: Template, values: dict, fills: dict) -> tuple[str, ...]:
    holes = {name: mark_safe(f"\x00fill {name}\x00") for name in fills}  # noqa: S308
    context = _SeeingOnlyItsValues(
        {**values, **holes, "csrf_token": _CSRF_VALUE, PRERENDERING: True},
        autoescape=template.engine.autoescape,
    )
    html = template.render(context).replace(_CSRF_INPUT, "\x00csrf-token\x00")
    pieces = tuple(_HOLE.split(html))
    kinds = {hole.partition(" ")[0] for hole in pieces[1::2]}
    if html.count("\x00") % 2 or not kinds <= _KINDS:
        # A hole printed through a filter or an attribute, or the bare token: not fillable.
        raise ImproperlyConfigured(f"{template.name}: a hole is used other than as documented.")
    return pieces
