"""The staff list's filter form draws its fields once for each language, set of voucher types
and query (`ApplicationFilterForm.drawn_fields`): the HTML is Django's own, whichever comes
first, and a change of any of them draws it again."""

import pytest
from django.template import engines
from django.utils import translation

from calls.forms.staff import ApplicationFilterForm
from calls.models import VoucherType
from tests.calls.factories import CallFactory

pytestmark = pytest.mark.django_db

# What the list's template drew before the fields were kept.
DJANGO_DRAWING = engines["django"].from_string(
    '{% for field in form %}<div class="form-row">{{ field.as_field_group }}</div>{% endfor %}'
)


def _form(call, data=None) -> ApplicationFilterForm:
    return ApplicationFilterForm(data, voucher_types=list(call.voucher_types.all()))


def _both(call, data=None) -> tuple[str, str]:
    """(drawn by the form, drawn by Django's templates) for the same data, each a new form."""
    drawn = str(_form(call, data).drawn_fields())
    return drawn, DJANGO_DRAWING.render({"form": _form(call, data)})


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"page": "2"},
        {"q": "ore <b>", "state": "submitted", "country": "PT", "sort": "-requested"},
        {"state": "bogus", "voucher_type": "x"},
    ],
)
def test_the_fields_are_drawn_as_djangos_templates_draw_them_first_time_and_after(data):
    call = CallFactory()

    first, expected = _both(call, data)
    again, _expected = _both(call, data)

    assert first == expected
    assert again == expected


def test_the_query_s_values_and_errors_show():
    call = CallFactory()

    plain = str(_form(call).drawn_fields())
    chosen = str(_form(call, {"state": "submitted", "q": "ore <b>"}).drawn_fields())
    wrong = str(_form(call, {"state": "bogus"}).drawn_fields())

    assert '<option value="submitted" selected>Submitted</option>' not in plain
    assert '<option value="submitted" selected>Submitted</option>' in chosen
    assert 'value="ore &lt;b&gt;"' in chosen
    assert "Select a valid choice. bogus is not one of the available choices." in wrong
    assert "Select a valid choice." not in chosen


def test_a_renamed_voucher_type_and_another_language_are_drawn_anew():
    call = CallFactory()
    voucher_type = call.voucher_types.first()
    before = str(_form(call).drawn_fields())
    VoucherType.objects.filter(pk=voucher_type.pk).update(name="Renamed voucher")

    after = str(_form(call).drawn_fields())
    with translation.override("es"):
        spanish = str(_form(call).drawn_fields())

    assert f'<option value="{voucher_type.pk}">{voucher_type.name}</option>' in before
    assert f'<option value="{voucher_type.pk}">Renamed voucher</option>' in after
    assert '<label for="id_state">State:</label>' in after
    assert '<label for="id_state">Estado:</label>' in spanish
