"""After the deadline, what was submitted is what counts: an application submitted, then edited
without submitting again, is checked and evaluated as submitted, everywhere downstream."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from calls import services
from calls.models import Application, ApplicationState, Call, CallState, MemberRole
from calls.records import submitted_profiles
from calls.selectors import submitted_record
from evaluation.esr import call_reports
from evaluation.models import EligibilityCheck
from evaluation.results import call_results
from evaluation.selectors import AnswerView, evaluator_rows, proposal_view
from evaluation.services.assignment import build_problem
from evaluation.services.decision import award_requested_amounts
from evaluation.services.eligibility import run_eligibility_checks
from evaluation.services.publication import publish_results
from tests.auth import sign_in
from tests.calls.factories import PDF_BYTES, CallFactory, complete_application
from tests.evaluation.factories import accepted_assignment, evaluator
from tests.evaluation.results_factories import decided_call

pytestmark = pytest.mark.django_db

LATER_PDF = b"%PDF-1.4\n% an edited work plan, never submitted\ntrailer<<>>\n%%EOF\n"
SUBMITTED_ANSWERS = (
    AnswerView("What problem does the project solve?", "A clear answer."),
    AnswerView("What is the expected impact?", "A clear answer."),
)


def submitted_then_edited(*, blind: bool = False):
    """Submitted (each member with the SME declaration its factory signs), then edited in every
    part without submitting again, then the deadline passes. Returns (application, the
    submitted attachment)."""
    call = CallFactory(blind_evaluation=blind)
    application, lead_admin = complete_application(call)
    submitted_file = application.attachments.get()
    services.submit_application(
        application=application, actor=lead_admin, now=timezone.now() - timedelta(hours=2)
    )
    services.update_overview(
        application=application,
        actor=lead_admin,
        title="A title typed after the submission",
        acronym="LATER",
        summary="A summary typed after the submission.",
        voucher_type=call.voucher_types.get(name="Proof of concept"),
    )
    first = call.questions.order_by("order").first()
    services.save_answer(
        application=application, question=first, text="An answer never submitted.", actor=lead_admin
    )
    services.add_attachment(
        application=application,
        requirement=submitted_file.requirement,
        upload=SimpleUploadedFile("later.pdf", LATER_PDF),
        actor=lead_admin,
    )
    services.update_member_budget(
        member=application.members.get(is_lead=True),
        actor=lead_admin,
        role=MemberRole.ADOPTER,
        requested_amount=Decimal("45000.00"),
    )
    Call.objects.filter(pk=call.pk).update(closes_at=timezone.now() - timedelta(hours=1))
    application.refresh_from_db()
    application.call.refresh_from_db()
    return application, submitted_file


def test_the_record_is_the_last_submitted_version():
    application, submitted_file = submitted_then_edited()
    assert application.has_unsubmitted_changes is True
    record = submitted_record(application)
    assert record.version == 1
    assert (record.title, record.acronym) == ("Sensor-driven ore sorting", "SENSORT")
    assert record.summary == "Real-time ore sorting with wireless sensors at a Lapland mine."
    assert record.voucher_type.name == "Demonstration"
    assert [a.text for a in record.answers] == ["A clear answer.", "A clear answer."]
    assert [(a.id, a.name) for a in record.attachments] == [(submitted_file.pk, "plan.pdf")]
    assert [(m.is_lead, m.role, m.requested_amount) for m in record.members] == [
        (True, "adopter", Decimal("30000.00")),
        (False, "provider", Decimal("20000.00")),
    ]
    assert record.requested_total == Decimal("50000.00")


def test_eligibility_checks_the_submitted_version_not_the_later_edits(staff):
    application, _file = submitted_then_edited()
    assert run_eligibility_checks(call=application.call, actor=staff) == 1
    check = EligibilityCheck.objects.get(application=application)
    assert {i.code: i.passed for i in check.items.all()} == {
        "on_time": True,
        "complete": True,
        "countries": True,
        "sme_status": True,
        "consortium": True,
        "caps": True,
        "declarations": True,
        "double_funding": True,
    }
    assert check.items.get(code="caps").evidence == (
        "€50,000.00 requested in total (cap per project €150,000.00); every share within "
        "the caps per SME and per third party."
    )


def test_the_evaluator_reads_the_submitted_version():
    application, submitted_file = submitted_then_edited()
    assignment = accepted_assignment(application, evaluator())
    view = proposal_view(assignment)
    assert (view.title, view.acronym, view.voucher_type) == (
        "Sensor-driven ore sorting",
        "SENSORT",
        "Demonstration",
    )
    assert view.summary == "Real-time ore sorting with wireless sensors at a Lapland mine."
    assert view.answers == SUBMITTED_ANSWERS
    assert [(a.id, a.file_name) for a in view.attachments] == [(submitted_file.pk, "plan.pdf")]
    assert [row.title for row in evaluator_rows(assignment.evaluator)] == [
        "Sensor-driven ore sorting"
    ]


def test_the_evaluator_pages_and_api_serve_the_submitted_text_and_file(client):
    application, submitted_file = submitted_then_edited(blind=True)
    user = evaluator()
    assignment = accepted_assignment(application, user)
    sign_in(client, user)
    page = client.get(reverse("evaluation:assignment", args=[assignment.pk])).content.decode()
    assert "Sensor-driven ore sorting" in page
    assert "after the submission" not in page
    assert "never submitted" not in page
    api = client.get(reverse("api-evaluator-assignment", args=[assignment.pk])).json()
    assert (api["title"], api["acronym"]) == ("Sensor-driven ore sorting", "SENSORT")
    assert [a["text"] for a in api["answers"]] == ["A clear answer.", "A clear answer."]
    assert [a["id"] for a in api["attachments"]] == [submitted_file.pk]
    download = client.get(
        reverse("evaluation:assignment-file", args=[assignment.pk, submitted_file.pk])
    )
    assert b"".join(download.streaming_content) == PDF_BYTES
    later = application.attachments.get(removed_at__isnull=True)
    refused = client.get(reverse("evaluation:assignment-file", args=[assignment.pk, later.pk]))
    assert refused.status_code == 404


def test_the_ranking_reads_the_submitted_budget_and_consortium():
    application, _file = submitted_then_edited()
    Application.objects.filter(pk=application.pk).update(state=ApplicationState.UNDER_EVALUATION)
    (result,) = call_results(application.call)
    assert result.requested == Decimal("50000.00")
    assert result.countries == frozenset({"FI", "PT"})


def test_a_selected_application_is_awarded_the_submitted_amounts():
    application, _file = submitted_then_edited()
    award_requested_amounts(application, None)
    assert sorted(
        application.members.values_list("is_lead", "requested_amount", "awarded_amount")
    ) == [
        (False, Decimal("20000.00"), Decimal("20000.00")),
        (True, Decimal("45000.00"), Decimal("30000.00")),
    ]


def test_the_applicant_sees_the_later_edits_as_a_draft_that_does_not_count(client):
    application, _file = submitted_then_edited()
    lead_admin = application.created_by
    client.force_login(lead_admin)
    page = client.get(reverse("calls:apply-step", args=[application.pk, "overview"]))
    text = page.content.decode()
    assert "A title typed after the submission" in text
    version = application.versions.get()
    local = version.submitted_at.astimezone(application.call.tz)
    at = f"{local.day} {local:%B %Y, %H:%M}"
    assert (
        "Draft, not counted: the call closed before these changes were submitted. Version 1, "
        f"submitted on {at} (Europe/Brussels), is what is evaluated."
    ) in text
    assert "submit again for the changes to count" not in text
    dashboard = client.get(reverse("calls:apply-dashboard")).content.decode()
    assert "Your later changes were not submitted: the last submitted version is evaluated." in (
        dashboard
    )
    assert "Submit your changes again" not in dashboard


def test_the_public_pages_show_the_submitted_texts_of_a_funded_project(client):
    application, _file = submitted_then_edited()
    award_requested_amounts(application, None)
    Application.objects.filter(pk=application.pk).update(state=ApplicationState.FUNDED)
    Call.objects.filter(pk=application.call_id).update(state=CallState.RESULTS_PUBLISHED)
    detail = client.get(reverse("public:project-detail", args=[application.pk]))
    text = detail.content.decode()
    assert "SENSORT: Sensor-driven ore sorting" in text
    assert "Real-time ore sorting with wireless sensors at a Lapland mine." in text
    assert "after the submission" not in text
    for name in ("public:projects", "public:beneficiaries", "public:home"):
        listing = client.get(reverse(name)).content.decode()
        assert "Sensor-driven ore sorting" in listing, name
        assert "after the submission" not in listing, name
    (project,) = client.get(reverse("api-public-projects")).json()["results"]
    assert (project["acronym"], project["title"], project["summary"]) == (
        "SENSORT",
        "Sensor-driven ore sorting",
        "Real-time ore sorting with wireless sensors at a Lapland mine.",
    )
    awards = client.get(reverse("api-public-beneficiaries")).json()["results"]
    assert {(a["project_acronym"], a["project_title"]) for a in awards} == {
        ("SENSORT", "Sensor-driven ore sorting")
    }
    csv = client.get(reverse("api-public-projects"), {"format": "csv"}).content.decode()
    assert "SENSORT,Sensor-driven ore sorting" in csv
    assert "LATER" not in csv


def test_staff_pages_name_the_submitted_project(client, staff):
    application, _file = submitted_then_edited()
    run_eligibility_checks(call=application.call, actor=staff)
    sign_in(client, staff)
    slug = application.call.slug
    for url in (
        reverse("evaluation:eligibility", args=[slug]),
        reverse("evaluation:eligibility-detail", args=[slug, application.pk]),
    ):
        page = client.get(url).content.decode()
        assert "Sensor-driven ore sorting" in page, url
        assert "after the submission" not in page, url
    Application.objects.filter(pk=application.pk).update(state=ApplicationState.ELIGIBLE)
    page = client.get(reverse("evaluation:assignments", args=[slug])).content.decode()
    assert "Sensor-driven ore sorting" in page
    assert "after the submission" not in page


def test_assignment_matches_expertise_on_the_submitted_texts():
    application, _file = submitted_then_edited()
    Call.objects.filter(pk=application.call_id).update(thematic_areas=["Ore sorting", "Tailings"])
    Application.objects.filter(pk=application.pk).update(
        state=ApplicationState.ELIGIBLE, title="Tailings reprocessing"
    )
    application.call.refresh_from_db()
    (proposal,) = build_problem(application.call).proposals
    assert proposal.expertise == frozenset({"area:ore sorting"})


def test_the_assignment_reads_the_submitted_texts_and_consortium():
    """`submitted_profiles` (the assignment's lean read of 2,000 records at once) gives what
    `submitted_records` gives: the submitted texts, not the later edits; the live rows for a
    submitted application without a version (imported results); nothing for a draft."""
    application, _file = submitted_then_edited()
    lead = application.members.get(is_lead=True).organisation_id
    partner = application.members.get(is_lead=False).organisation_id
    unversioned, _admin = complete_application(lead_country="SE")
    Application.objects.filter(pk=unversioned.pk).update(
        state=ApplicationState.ELIGIBLE,
        title="Tailings reprocessing",
        reference="IMPORTED-1",
        submitted_at=timezone.now(),
    )
    unversioned.refresh_from_db()
    draft, _admin = complete_application()

    profiles = submitted_profiles([application, unversioned, draft])

    assert set(profiles) == {application.pk, unversioned.pk}
    assert profiles[application.pk].texts == (
        "Sensor-driven ore sorting",
        "SENSORT",
        "Real-time ore sorting with wireless sensors at a Lapland mine.",
        "A clear answer.",
        "A clear answer.",
    )
    assert sorted(profiles[application.pk].members) == sorted([(lead, "FI"), (partner, "PT")])
    assert profiles[unversioned.pk].texts[:2] == ("Tailings reprocessing", "SENSORT")
    assert sorted(c for _o, c in profiles[unversioned.pk].members) == ["PT", "SE"]


def test_the_summary_report_names_the_submitted_project():
    application, _file = submitted_then_edited()
    Application.objects.filter(pk=application.pk).update(state=ApplicationState.INELIGIBLE)
    (report,) = call_reports(application.call)
    assert (report.title, report.acronym, report.display_name) == (
        "Sensor-driven ore sorting",
        "SENSORT",
        "SENSORT",
    )


def test_the_staff_list_says_later_edits_do_not_count(client, staff):
    application, _file = submitted_then_edited()
    sign_in(client, staff)
    page = client.get(reverse("calls:manage-applications", args=[application.call.slug]))
    assert (
        "Edited after its last submission: the edits were never submitted and do not count"
        in page.content.decode()
    )


def test_the_applicant_results_page_names_the_submitted_project(
    client, staff, django_capture_on_commit_callbacks
):
    decided = decided_call()
    with django_capture_on_commit_callbacks(execute=True):
        publish_results(call=decided.call, actor=staff)
    # A live edit that never became a version (the rows say so; the services no longer allow it).
    Application.objects.filter(pk=decided.selected.pk).update(title="Retitled after the deadline")
    client.force_login(decided.admin)
    page = client.get(reverse("evaluation:applicant-results", args=[decided.selected.pk]))
    text = page.content.decode()
    assert "SENSORT · Selected project" in text
    assert "Retitled after the deadline" not in text
