"""How the call pages read: money with separators, the weights of the scoring, the wizard's steps."""

import re

import pytest
from django.urls import reverse

from tests.calls.factories import CallFactory, complete_application

pytestmark = pytest.mark.django_db


def test_public_call_page_shows_caps_as_money_and_the_impact_weight(client):
    call = CallFactory(slug="ore-call")

    text = client.get(reverse("calls:public-detail", args=[call.slug])).content.decode()

    assert "Proof of concept voucher: up to €25,000.00 per SME." in text
    assert "No SME receives more than €60,000.00 in this call." in text
    assert "Total budget of the call: €1,500,000.00." in text
    assert "EUR " not in text
    assert "Its score counts 1.5 times in the ranking." in text
    assert text.count("times in the ranking") == 1  # weight 1 goes without saying


def test_wizard_step_list_numbers_once_and_marks_the_current_step(client):
    application, admin = complete_application()
    client.force_login(admin)

    text = client.get(reverse("calls:apply-step", args=[application.pk, "budget"])).content.decode()

    steps = re.search(r'<ol class="steps">(.*?)</ol>', text, re.S).group(1)
    assert steps.count("<li>") == 7
    assert re.findall(r'aria-current="step">([^<]*<span[^>]*>\d</span> \w+)', steps) == [
        '<span class="step-number">3</span> Budget'
    ]
    assert "1. " not in steps


def test_scroll_regions_of_my_applications_are_focusable_and_named(client):
    _application, admin = complete_application()
    client.force_login(admin)

    text = client.get(reverse("calls:apply-dashboard")).content.decode()

    wraps = re.findall(r'<div class="table-wrap"[^>]*>', text)
    assert wraps
    for wrap in wraps:
        assert 'tabindex="0" role="region" aria-label' in wrap


def test_my_applications_name_each_cell_for_the_phone_layout(client):
    _application, admin = complete_application()
    client.force_login(admin)

    text = client.get(reverse("calls:apply-dashboard")).content.decode()

    assert '<table class="table table-stack">' in text
    assert '<td data-label="State">' in text
    assert '<td data-label="Next">' in text
    assert 'aria-label="My applications"' in text
