"""Issue #13: the wizard's voucher-type choice read "≤ EUR 25000.00"; it reads as money."""

import pytest
from django.utils import translation

from calls.forms.apply import OverviewForm
from tests.calls.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def test_the_voucher_type_choices_show_their_cap_as_money():
    application = ApplicationFactory()
    with translation.override("en"):
        form = OverviewForm(application=application)
        labels = [label for value, label in form.fields["voucher_type"].choices if value]
    assert labels == [
        "Proof of concept (at most €25,000.00 per SME)",
        "Demonstration (at most €50,000.00 per SME)",
    ]
