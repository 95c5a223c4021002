"""An evaluator declares a conflict of interest knowing with whom: the organisations' legal names
and countries when the call is not blind; in a blind call, what they may declare and how staff
check the rest."""

import pytest
from django.urls import reverse

from evaluation.models import Assignment, AssignmentState
from tests.auth import sign_in
from tests.evaluation.factories import closed_call, evaluator, submitted_application

pytestmark = pytest.mark.django_db

NAMES = ("Lapland Ore Analytics Oy", "Porto Digital Twin Lda")


def _declaration_page(client, *, blind: bool) -> str:
    call = closed_call(blind_evaluation=blind)
    application = submitted_application(call, countries=("FI", "PT"), names=NAMES)
    user = evaluator()
    assignment = Assignment.objects.create(
        application=application, evaluator=user, state=AssignmentState.PROPOSED
    )
    sign_in(client, user)
    page = client.get(reverse("evaluation:assignment", args=[assignment.pk])).content.decode()
    assert "I have no conflict of interest" in page
    return page.split('id="consortium-before-declaration">')[1].split("</ul>")[0]


def test_the_organisations_are_named_before_the_declaration_when_the_call_is_not_blind(client):
    consortium = _declaration_page(client, blind=False)
    assert consortium == (
        "<li>Lapland Ore Analytics Oy · FI · Technology adopter (lead)</li>"
        "<li>Porto Digital Twin Lda · PT · Technology provider</li>"
    )


def test_a_blind_call_says_what_to_declare_and_how_staff_check_the_names(client):
    consortium = _declaration_page(client, blind=True)
    assert consortium == (
        "<li>FI · Technology adopter (lead)</li><li>PT · Technology provider</li>"
    )
    page = client.get(
        reverse("evaluation:assignment", args=[Assignment.objects.get().pk])
    ).content.decode()
    assert "Lapland Ore Analytics Oy" not in page
    assert (
        "Staff see the organisations' names and check them against your declared employer "
        "and your memberships" in page
    )
