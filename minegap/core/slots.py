"""Named places in a page that later apps fill, so the core and earlier apps know no later app.

An app registers a fragment (a template and the function that builds its context) for a slot in
its ``AppConfig.ready()``; a page draws a slot with ``{% render_slot "name" %}``. The dashboard's
sections are slots (``dashboard:applicant``, ``dashboard:staff``, ...), and so are the places
where a page of an earlier app links to a later app's work (``calls:application-row``).

A registered fragment that fails raises, like any template error: a slot never hides a broken
panel behind a placeholder. A fragment whose context function answers ``None`` does not apply
to this person or object and is left out on purpose.

A tab of a page's tab bar (``register_tab``) is drawn in Python, not by a template: a call's
bar has ten on every staff page of the call, and ten template renderings cost more than the
rest of the bar (issue #15).
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from django.template import Context, engines
from django.template.loader import get_template
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from minegap.core.page_cache import rendering_for_cache

ContextBuilder = Callable[..., dict | None]


@dataclass(frozen=True)
class Fragment:
    slot: str
    name: str
    template: str | None  # None: a tab, which draws itself (`Tab.__html__`)
    context: ContextBuilder
    order: int = 100


_fragments: dict[str, dict[str, Fragment]] = defaultdict(dict)


def register(
    slot: str, name: str, template: str, context: ContextBuilder, *, order: int = 100
) -> Fragment:
    """Add a fragment to ``slot``; its template must exist now, not on the first request."""
    if name in _fragments[slot]:
        raise ImproperlyConfigured(f"Slot {slot!r} already has a fragment named {name!r}.")
    get_template(template)  # raises TemplateDoesNotExist at start-up, not behind a placeholder
    return _add(Fragment(slot=slot, name=name, template=template, context=context, order=order))


def register_tab(
    slot: str, name: str, build: Callable[..., "Tab | None"], *, order: int = 100
) -> Fragment:
    """Add a tab to the tab bar ``slot``: ``build(request, **kwargs)`` answers its ``tab()``."""
    if name in _fragments[slot]:
        raise ImproperlyConfigured(f"Slot {slot!r} already has a fragment named {name!r}.")
    return _add(Fragment(slot=slot, name=name, template=None, context=build, order=order))


def _add(fragment: Fragment) -> Fragment:
    _fragments[fragment.slot][fragment.name] = fragment
    return fragment


def fragments(slot: str) -> list[Fragment]:
    return sorted(_fragments.get(slot, {}).values(), key=lambda f: (f.order, f.name))


_PAGE_CONTEXT = "_minegap_slot_page_context"


def _page_context(request: HttpRequest) -> dict:
    """What the context processors give a template for this request, computed once per request
    (a page with a slot in each of its 50 table rows ran every processor 50 times). Kept apart
    for a page rendered for the page cache (its CSRF token is a placeholder) and per language."""
    by_mode = getattr(request, _PAGE_CONTEXT, None)
    if by_mode is None:
        by_mode = {}
        setattr(request, _PAGE_CONTEXT, by_mode)
    mode = (rendering_for_cache(request), get_language())
    if mode not in by_mode:
        values: dict = {}
        for processor in engines["django"].engine.template_context_processors:
            values.update(processor(request))
        by_mode[mode] = values
    return by_mode[mode]


def render(slot: str, request: HttpRequest, **kwargs) -> list[SafeString]:
    """The HTML of each fragment of ``slot`` that applies, in order. A fragment sees what a
    template rendered with this request sees (the processors' values), then its own context."""
    rendered = []
    for fragment in fragments(slot):
        context = fragment.context(request, **kwargs)
        if context is None:
            continue
        if fragment.template is None:
            rendered.append(mark_safe(context.__html__()))  # noqa: S308 - escaped by Tab
            continue
        template = get_template(fragment.template)
        engine = template.backend.engine
        values = Context({**_page_context(request), **context}, autoescape=engine.autoescape)
        html = template.template.render(values)
        rendered.append(mark_safe(html))  # noqa: S308 - rendered by the template engine, escaped there
    return rendered


@dataclass(frozen=True)
class Tab:
    """One tab of a page's tab bar: a link, marked as the current page when it is, with an
    optional count (and what it counts, for screen readers) and the mark of the stage now."""

    url: str
    label: str
    current: bool = False
    count: int | None = None
    count_label: str = ""
    stage: bool = False

    def __html__(self) -> str:
        # Escaped and localised as a template prints a variable ({{ count }}: localize).
        html = ['<li class="stage-now">' if self.stage else "<li>"]
        html += ['<a href="', conditional_escape(self.url), '"']
        if self.current:
            html.append(' aria-current="page"')
        html += [">", conditional_escape(self.label)]
        if self.count is not None:
            count_label = conditional_escape(self.count_label)
            html += [' <span class="tab-count" title="', count_label, '">']
            html += [conditional_escape(localize(self.count)), '<span class="visually-hidden"> ']
            html += [count_label, "</span></span>"]
        if self.stage:
            stage_now = conditional_escape(gettext("current stage"))
            html += ['<span class="visually-hidden"> (', stage_now, ")</span>"]
        html.append("</a></li>\n")  # one tab a line in the page's source
        return "".join(html)


def tab(
    request: HttpRequest,
    *,
    url: str,
    label: str,
    url_names: tuple[str, ...],
    count: int | None = None,
    count_label: str = "",
    stage: bool = False,
) -> Tab:
    """One tab of a page's tab bar (registered with ``register_tab``).

    ``url_names`` are the namespaced names of the pages that belong to the tab, so it shows as
    current on its sub-pages too; ``stage`` marks the tab of the stage the object is in now.
    """
    match = getattr(request, "resolver_match", None)
    current = bool(match) and match.view_name in url_names
    return Tab(
        url=url, label=label, current=current, count=count, count_label=count_label, stage=stage
    )
