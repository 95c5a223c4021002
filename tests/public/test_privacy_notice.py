"""The privacy notice: public, names the controller, states the periods the platform applies."""

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


def test_the_notice_is_public_and_names_the_controller_from_settings(client):
    with override_settings(
        PRIVACY_CONTROLLER_NAME="Raw Materials Test Agency",
        PRIVACY_CONTROLLER_ADDRESS="Testweg 5, 3000 Leuven",
        PRIVACY_CONTACT_EMAIL="ask@rmta.example",
        PRIVACY_DPO_EMAIL="dpo@rmta.example",
    ):
        response = client.get("/privacy/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Raw Materials Test Agency" in html
    assert "Testweg 5, 3000 Leuven" in html
    assert 'href="mailto:ask@rmta.example"' in html
    assert 'href="mailto:dpo@rmta.example"' in html


def test_the_notice_lists_the_purposes_with_their_legal_basis(client):
    html = client.get("/privacy/").content.decode()

    assert "Publication of the beneficiaries" in html
    assert "Legal obligation to publish who receives funding (art. 6(1)(c))" in html
    assert "Evaluation by independent experts" in html


def test_the_outbox_period_follows_the_setting(client):
    with override_settings(RETENTION_OUTBOX_DAYS=90):
        before = client.get("/privacy/").content.decode()
    with override_settings(RETENTION_OUTBOX_DAYS=45):
        after = client.get("/privacy/").content.decode()

    assert "90 days after sending" in before
    assert "45 days after sending" in after
    assert "90 days after sending" not in after


def test_the_footer_links_to_the_notice(client):
    html = client.get("/open-data/").content.decode()

    assert '<a href="/privacy/">Privacy notice</a>' in html


def test_the_sign_up_form_links_to_the_notice(client):
    response = client.get("/accounts/signup/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Read the privacy notice</a>" in html
    assert html.count('href="/privacy/"') == 2  # the form's note and the footer
    assert 'name="email"' in html  # allauth's form is still there
