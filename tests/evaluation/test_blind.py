"""Blind evaluation: a walk through every evaluator page and API response finds no name."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from calls.models import Answer, ApplicationState, Attachment
from evaluation.models import Assignment
from tests.auth import sign_in
from tests.calls.factories import PDF_BYTES
from tests.evaluation.factories import (
    closed_call,
    evaluator,
    freeze,
    scored_assignment,
    submitted_application,
)
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db
NAMES = (
    "Zyxwq Minerals Oy",
    "ZYXWQ",
    "Quentin Blindspot",
    "Ostrava Vortex Labs",
    "quentin@zyxwq.example",
)
TEXT = "The work plan is realistic and the partners bring the skills the project needs."


def _seeded(blind: bool):
    call = closed_call(blind_evaluation=blind)
    application = submitted_application(
        call,
        names=("Zyxwq Minerals Oy", "Ostrava Vortex Labs"),
        state=ApplicationState.UNDER_EVALUATION,
        title="Zyxwq Minerals Oy sorts ore",
    )
    lead = application.lead_organisation
    lead.short_name = "ZYXWQ"
    lead.save()
    MembershipFactory(
        user=UserFactory(full_name="Quentin Blindspot", email="quentin@zyxwq.example"),
        organisation=lead,
    )
    application.summary = (
        "Quentin Blindspot (quentin@zyxwq.example) of zyxwq minerals oy leads; "
        "Ostrava Vortex Labs builds."
    )
    application.save()
    question = call.questions.first()
    Answer.objects.create(
        application=application, question=question, text="Ask Quentin Blindspot at ZYXWQ."
    )
    Attachment.objects.create(
        application=application,
        requirement=call.attachment_requirements.first(),
        file=SimpleUploadedFile("Zyxwq-Minerals-Oy-plan.pdf", PDF_BYTES),
        original_name="Zyxwq Minerals Oy plan.pdf",
        kind="pdf",
        size=len(PDF_BYTES),
        sha256="0" * 64,
    )
    freeze(application)
    other = scored_assignment(
        application, evaluator(), {"Excellence": "4", "Impact": "4", "Implementation": "4"}
    )
    user = evaluator()
    assignment = Assignment.objects.create(application=application, evaluator=user)
    return application, assignment, user, other


def _walk(client, assignment, user) -> tuple[list[str], str]:
    """Every page and API response the evaluator reaches, through the whole journey."""
    sign_in(client, user)
    seen = []

    def get(url):
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode(errors="replace") if not response.streaming else ""
        seen.append(text + " " + str(response.headers))
        return response

    page = reverse("evaluation:assignment", args=[assignment.pk])
    api_list = reverse("api-evaluator-assignments")
    api_detail = reverse("api-evaluator-assignment", args=[assignment.pk])
    for url in (reverse("evaluation:evaluator-home"), page, api_list, api_detail):
        get(url)
    client.post(page, {"action": "no_conflict"})
    for url in (reverse("evaluation:evaluator-home"), page, api_list, api_detail):
        get(url)
    attachment = Attachment.objects.get(application=assignment.application)
    response = get(reverse("evaluation:assignment-file", args=[assignment.pk, attachment.pk]))
    disposition = response["Content-Disposition"]
    seen.append(disposition)
    criteria = assignment.application.call.criteria.all()
    data = {"action": "submit"}
    for criterion in criteria:
        data[f"score-{criterion.pk}"] = "3"
        data[f"justification-{criterion.pk}"] = TEXT
    assert client.post(page, data).status_code == 302
    for url in (reverse("evaluation:evaluator-home"), page, api_list, api_detail):
        get(url)
    get(reverse("evaluation:profile"))
    return seen, disposition


def test_no_name_reaches_an_evaluator_of_a_blind_call(client):
    application, assignment, user, _other = _seeded(blind=True)
    seen, disposition = _walk(client, assignment, user)
    leaks = [
        (name, i) for i, text in enumerate(seen) for name in NAMES if name.lower() in text.lower()
    ]
    assert leaks == []
    assert disposition == f'attachment; filename="{application.reference}-1.pdf"'


def test_the_same_walk_shows_names_when_the_call_is_not_blind(client):
    """The control: without blind evaluation the names are there, so the walk can find them."""
    _application, assignment, user, _other = _seeded(blind=False)
    seen = " ".join(_walk(client, assignment, user)[0])
    assert [name for name in NAMES if name.lower() in seen.lower()] == list(NAMES)


def test_api_refuses_unassigned_and_conflicted_proposals(client):
    _application, assignment, user, _other = _seeded(blind=True)
    sign_in(client, evaluator())
    url = reverse("api-evaluator-assignment", args=[assignment.pk])
    assert client.get(url).status_code == 404
    attachment = Attachment.objects.get(application=assignment.application)
    file_url = reverse("evaluation:assignment-file", args=[assignment.pk, attachment.pk])
    assert client.get(file_url).status_code == 404
    sign_in(client, user)  # assigned, but has not declared yet
    assert client.get(file_url).status_code == 404
    sign_in(client, user)
    client.post(
        reverse("evaluation:assignment", args=[assignment.pk]),
        {"action": "conflict", "note": "Former colleague."},
    )
    assert client.get(url).status_code == 404
    assert client.get(reverse("api-evaluator-assignments")).json() == []
    client.force_login(UserFactory())
    assert client.get(reverse("api-evaluator-assignments")).status_code == 403
