"""Shared partials other apps include: pagination and form fields."""

import re

from django import forms
from django.core.paginator import Paginator
from django.template import Context, RequestContext, Template
from django.test import RequestFactory


def render_pagination(number: int, query: str = "", pages: int = 3) -> str:
    request = RequestFactory().get(f"/calls/?{query}")
    page_obj = Paginator(range(pages * 10), 10).page(number)
    template = Template('{% include "includes/pagination.html" %}')
    return template.render(RequestContext(request, {"page_obj": page_obj}))


def hrefs(html: str) -> list[str]:
    return [href.replace("&amp;", "&") for href in re.findall(r'href="([^"]+)"', html)]


def test_pagination_keeps_search_and_sort_parameters():
    html = render_pagination(2, "q=ore&sort=-deadline&page=2")

    assert hrefs(html) == [
        "?q=ore&sort=-deadline&page=1",  # previous
        "?q=ore&sort=-deadline&page=1",
        "?q=ore&sort=-deadline&page=3",
        "?q=ore&sort=-deadline&page=3",  # next
    ]
    assert re.findall(r'<span aria-current="page">.*?(\d+)</span>', html) == ["2"]


def test_pagination_first_page_has_no_previous_link():
    html = render_pagination(1)

    assert 'rel="prev"' not in html
    assert html.count('rel="next"') == 1


def test_pagination_elides_long_ranges():
    html = render_pagination(10, pages=20)

    numbers = re.findall(r"</span>(\d+)</(?:a|span)>", html)
    assert numbers == ["1", "8", "9", "10", "11", "12", "20"]
    assert html.count('<span aria-hidden="true">…</span>') == 2


def test_pagination_renders_nothing_for_a_single_page():
    assert render_pagination(1, pages=1).strip() == ""


class ExampleForm(forms.Form):
    name = forms.CharField(label="Organisation name", help_text="As in the trade register.")
    secret = forms.CharField(widget=forms.HiddenInput)

    def clean(self):
        raise forms.ValidationError("The whole form is wrong.")


def test_form_fields_show_label_help_and_errors_in_form_rows():
    form = ExampleForm(data={"name": "", "secret": "x"})
    form.is_valid()

    html = Template('{% include "includes/form_fields.html" %}').render(Context({"form": form}))

    assert html.count('<div class="form-row has-error">') == 1
    assert '<label for="id_name">Organisation name:</label>' in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_name_helptext id_name_error"' in html
    assert '<ul class="errorlist nonfield"><li>The whole form is wrong.</li></ul>' in html
    assert '<input type="hidden" name="secret" value="x" id="id_secret">' in html
