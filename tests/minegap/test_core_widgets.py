"""`minegap.core.widgets.Select` draws what Django's template-drawn `Select` draws (issue #15:
the same HTML, written in Python)."""

import re

from django import forms
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from minegap.core.widgets import Select

CHOICES = [("", "Any"), ("FI", "Finland"), ("PT", "Portugal & <Azores>"), ("SE", 'Sweden "SE"')]


class Fast(forms.Form):
    country = forms.ChoiceField(choices=CHOICES, required=False, widget=Select)


class Django(forms.Form):
    country = forms.ChoiceField(choices=CHOICES, required=False)


def _squeezed(html: str) -> str:
    """Django's template puts new lines and spaces between the options."""
    return re.sub(r">\s+<", "><", str(html)).strip()


def test_the_select_is_the_html_of_djangos_template_with_the_choice_selected():
    fast, django = Fast({"country": "PT"}), Django({"country": "PT"})

    html = _squeezed(fast["country"].as_widget())

    assert html == _squeezed(django["country"].as_widget())
    assert html == (
        '<select name="country" id="id_country">'
        '<option value="">Any</option>'
        '<option value="FI">Finland</option>'
        '<option value="PT" selected>Portugal &amp; &lt;Azores&gt;</option>'
        '<option value="SE">Sweden &quot;SE&quot;</option>'
        "</select>"
    )


def test_an_invalid_choice_keeps_the_error_attributes_of_the_field_group():
    fast, django = Fast({"country": "XX"}), Django({"country": "XX"})
    assert not fast.is_valid() and not django.is_valid()

    assert _squeezed(fast["country"].as_field_group()) == _squeezed(
        django["country"].as_field_group()
    )
    assert 'aria-invalid="true"' in str(fast["country"].as_widget())


def test_choices_in_groups_are_left_to_djangos_template():
    grouped = [("Nordic", [("FI", "Finland"), ("SE", "Sweden")]), ("PT", "Portugal")]
    field = forms.ChoiceField(choices=grouped, widget=Select)

    html = _squeezed(field.widget.render("country", "SE"))

    assert html == (
        '<select name="country"><optgroup label="Nordic">'
        '<option value="FI">Finland</option><option value="SE" selected>Sweden</option>'
        '</optgroup><option value="PT">Portugal</option></select>'
    )


def test_numbers_translated_labels_and_safe_labels_are_drawn_as_django_draws_them():
    choices = [(None, gettext_lazy("Any")), (7, mark_safe("<b>Seven</b>")), (12, "Twelve & co")]

    html = _squeezed(Select(choices=choices).render("type", 12, attrs={"id": "id_type"}))

    assert html == _squeezed(forms.Select(choices=choices).render("type", 12, {"id": "id_type"}))
    assert html == (
        '<select name="type" id="id_type">'
        '<option value="">Any</option>'
        '<option value="7"><b>Seven</b></option>'
        '<option value="12" selected>Twelve &amp; co</option>'
        "</select>"
    )
