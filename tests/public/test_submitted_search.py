"""The public lists search and sort a project by its texts as submitted: an edit made after the
last submission (never submitted) neither finds it nor moves it."""

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from calls.models import Application, ApplicationVersion
from calls.services.applications import snapshot_of
from tests.public.factories import project, results_call, sme

pytestmark = pytest.mark.django_db


def submitted_then_renamed(call, acronym: str, title: str, later_acronym: str, later_title: str):
    application = project(call, [(sme("FI"), "40000.00")], acronym=acronym, title=title)
    ApplicationVersion.objects.create(
        application=application,
        number=1,
        submitted_at=timezone.now(),
        snapshot=snapshot_of(application),
    )
    Application.objects.filter(pk=application.pk).update(
        acronym=later_acronym, title=later_title, summary="A summary typed later."
    )
    return application


@pytest.fixture
def two_projects():
    call = results_call()
    alpha = submitted_then_renamed(call, "ALPHA", "Ore sorting", "ZULU", "Typed later")
    beta = submitted_then_renamed(call, "BETA", "Tailings reuse", "AARDVARK", "Also later")
    return alpha, beta


def acronyms(page) -> list[str]:
    return [row.submitted_acronym for row in page]


def test_projects_are_found_and_sorted_by_their_submitted_texts(client, two_projects):
    url = reverse("public:projects")

    found = client.get(url, {"search": "ore sorting"}).context["page_obj"]
    not_found = client.get(url, {"search": "typed later"}).context["page_obj"]
    by_summary = client.get(url, {"search": "summary typed later"}).context["page_obj"]
    sorted_page = client.get(url, {"sort": "acronym"}).context["page_obj"]

    assert acronyms(found) == ["ALPHA"]
    assert acronyms(not_found) == []
    assert acronyms(by_summary) == []
    assert acronyms(sorted_page) == ["ALPHA", "BETA"]


def test_the_open_data_api_searches_the_submitted_texts(two_projects):
    api = APIClient()

    found = api.get("/api/v1/public/projects/", {"search": "tailings"}).json()["results"]
    not_found = api.get("/api/v1/public/projects/", {"search": "aardvark"}).json()["results"]

    assert [row["acronym"] for row in found] == ["BETA"]
    assert not_found == []


def test_beneficiaries_are_found_and_sorted_by_their_projects_submitted_texts(client, two_projects):
    url = reverse("public:beneficiaries")

    found = client.get(url, {"search": "BETA"}).context["page_obj"]
    not_found = client.get(url, {"search": "AARDVARK"}).context["page_obj"]
    by_project = client.get(url, {"sort": "project"}).context["page_obj"]

    assert acronyms(found) == ["BETA"]
    assert acronyms(not_found) == []
    assert acronyms(by_project) == ["ALPHA", "BETA"]
