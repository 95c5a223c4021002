"""The mentoring pages: staff assign and read every log; the mentor declares, then sees the
consortium's contacts and records meetings and reports; the consortium reads its log. Bad input
answers 400 with the message; outsiders get 404."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mentoring.models import AssignmentState, Meeting, MentorAssignment, MilestoneReport
from tests.auth import sign_in
from tests.factories import UserFactory
from tests.mentoring.factories import accepted, expert, mentored_project
from tests.vouchers.conftest import signed_in
from tests.vouchers.factories import active_voucher, selected_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def mentor_client(client, mentor):
    sign_in(client, mentor, mfa=True)
    return client


def _text(response) -> str:
    return response.content.decode()


def test_staff_assign_a_mentor_from_the_project_page(client, staff, project, mentor):
    signed_in(client, staff)
    voucher = project.voucher

    page = client.get(f"/manage/mentoring/vouchers/{voucher.pk}/")
    assert page.status_code == 200
    assert "Marta Mentor &lt;marta.mentor@example.eu&gt;" in _text(page)  # offered

    response = client.post(
        f"/manage/mentoring/vouchers/{voucher.pk}/assign/", {"mentor": mentor.pk, "reason": ""}
    )

    assert response.status_code == 302
    assert list(MentorAssignment.objects.values_list("mentor", "state")) == [
        (mentor.pk, AssignmentState.PROPOSED)
    ]


def test_assigning_bad_input_answers_400_with_the_message(client, staff, project):
    signed_in(client, staff)
    applicant = project.consortium.admins[0]
    url = f"/manage/mentoring/vouchers/{project.voucher.pk}/assign/"

    not_offered = client.post(url, {"mentor": applicant.pk})
    garbage = client.post(url, {"mentor": "x' OR 1=1"})

    assert (not_offered.status_code, garbage.status_code) == (400, 400)
    assert "Select a valid choice" in _text(garbage)
    assert MentorAssignment.objects.count() == 0


def test_a_refused_assignment_shows_the_service_s_reason(client, staff, project, mentor):
    signed_in(client, staff)
    accepted(project.voucher, mentor, staff)

    response = client.post(
        f"/manage/mentoring/vouchers/{project.voucher.pk}/assign/", {"mentor": mentor.pk}
    )

    assert response.status_code == 400
    assert "Marta Mentor is already this project&#x27;s mentor." in _text(response)


def test_staff_lists_count_mentored_projects(client, staff, project, mentor):
    signed_in(client, staff)
    accepted(project.voucher, mentor, staff)
    call = project.voucher.call

    home = client.get("/manage/mentoring/")
    listing = client.get(f"/manage/mentoring/calls/{call.slug}/")

    assert home.status_code == listing.status_code == 200
    assert f'<a href="/manage/mentoring/calls/{call.slug}/">{call.title}</a>' in _text(home)
    assert "Marta Mentor" in _text(listing)


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_call_list_runs_the_same_queries_for_one_and_three_projects(client, staff, mentor):
    first = mentored_project(staff)
    accepted(first.voucher, mentor, staff)
    call = first.voucher.call
    signed_in(client, staff)
    url = f"/manage/mentoring/calls/{call.slug}/"
    client.get(url)  # the first request may rotate the session
    with_one = _queries(client, url)
    for _n in range(2):
        accepted(active_voucher(selected_application(call), staff), expert(), staff)

    assert _queries(client, url) == with_one


def test_the_mentor_declares_before_seeing_the_project(mentor_client, staff, project, mentor):
    assignment = MentorAssignment.objects.create(
        voucher=project.voucher, mentor=mentor, assigned_by=staff
    )
    admin_email = project.consortium.admins[0].email

    assert mentor_client.get(f"/mentoring/{assignment.pk}/").status_code == 403
    declare = mentor_client.get(f"/mentoring/{assignment.pk}/declare/")
    assert declare.status_code == 200
    assert admin_email not in _text(declare)

    missing_note = mentor_client.post(
        f"/mentoring/{assignment.pk}/declare/", {"declaration": "conflict", "note": ""}
    )
    assert missing_note.status_code == 400
    assert "Say briefly what the conflict is" in _text(missing_note)

    done = mentor_client.post(f"/mentoring/{assignment.pk}/declare/", {"declaration": "none"})
    assert done.status_code == 302
    page = mentor_client.get(f"/mentoring/{assignment.pk}/")
    assert page.status_code == 200
    assert admin_email in _text(page)


def test_a_mentor_who_declared_a_conflict_sees_nothing(mentor_client, staff, project, mentor):
    assignment = MentorAssignment.objects.create(
        voucher=project.voucher, mentor=mentor, assigned_by=staff
    )
    mentor_client.post(
        f"/mentoring/{assignment.pk}/declare/", {"declaration": "conflict", "note": "Former CEO."}
    )

    assert MentorAssignment.objects.get().state == AssignmentState.DECLINED
    for url in (f"/mentoring/{assignment.pk}/", f"/mentoring/{assignment.pk}/declare/"):
        assert mentor_client.get(url).status_code == 404
    assert mentor_client.get(f"/apply/vouchers/{project.voucher.pk}/mentoring/").status_code == 404


def test_the_mentor_records_a_meeting_and_bad_input_answers_400(
    mentor_client, staff, project, mentor
):
    assignment = accepted(project.voucher, mentor, staff)
    url = f"/mentoring/{assignment.pk}/meetings/"
    today = timezone.localdate().isoformat()

    bad_date = mentor_client.post(url, {"held_on": "31/02/2026", "topics": "a", "advice": "b"})
    no_advice = mentor_client.post(url, {"held_on": today, "topics": "a", "advice": ""})
    good = mentor_client.post(
        url, {"held_on": today, "topics": "Market entry", "advice": "Talk to two mines first."}
    )

    assert (bad_date.status_code, no_advice.status_code, good.status_code) == (400, 400, 302)
    assert "Enter a valid date." in _text(bad_date)
    assert list(Meeting.objects.values_list("topics", flat=True)) == ["Market entry"]
    assert mentor_client.get(url).status_code == 405


def test_the_mentor_approves_a_milestone_from_its_report_page(
    mentor_client, staff, project, mentor
):
    assignment = accepted(project.voucher, mentor, staff)
    milestone = project.voucher.milestones.get(sequence=1)
    url = f"/mentoring/{assignment.pk}/milestones/{milestone.pk}/report/"

    assert mentor_client.get(url).status_code == 200
    off_scale = mentor_client.post(url, {"rating": "9", "report": "Fine.", "approve": "on"})
    done = mentor_client.post(url, {"rating": "4", "report": "Ahead.", "approve": "on"})

    assert (off_scale.status_code, done.status_code) == (400, 302)
    assert list(MilestoneReport.objects.values_list("rating", "approved")) == [(4, True)]
    assert project.voucher.instalments.get(sequence=2).state == "due"
    final_page = mentor_client.get(url)
    assert "You approved this milestone: its report is final." in _text(final_page)
    other_voucher_milestone = mentored_project(staff).voucher.milestones.first()
    foreign = f"/mentoring/{assignment.pk}/milestones/{other_voucher_milestone.pk}/report/"
    assert mentor_client.get(foreign).status_code == 404


def test_the_consortium_reads_its_mentor_and_log_read_only(client, staff, project, mentor):
    assignment = accepted(project.voucher, mentor, staff)
    Meeting.objects.create(
        assignment=assignment,
        held_on=timezone.localdate(),
        topics="Hiring a process engineer",
        advice="Use the regional mining cluster's job board.",
    )
    member = project.consortium.admins[1]
    sign_in(client, member, mfa=False)

    page = client.get(f"/apply/vouchers/{project.voucher.pk}/mentoring/")
    voucher_page = client.get(f"/apply/vouchers/{project.voucher.pk}/")

    text = _text(page)
    assert page.status_code == 200
    assert "marta.mentor@example.eu" in text
    assert "Use the regional mining cluster&#x27;s job board." in text
    assert "<form" not in text.split("<main")[-1].split("</main>")[0]
    assert f'href="/apply/vouchers/{project.voucher.pk}/mentoring/"' in _text(voucher_page)


def test_outsiders_get_404_on_the_consortium_s_and_the_mentor_s_pages(
    client, staff, project, mentor
):
    assignment = accepted(project.voucher, mentor, staff)
    stranger = expert(full_name="Sam Stranger")
    sign_in(client, stranger, mfa=True)

    assert client.get(f"/mentoring/{assignment.pk}/").status_code == 404
    assert client.get(f"/apply/vouchers/{project.voucher.pk}/mentoring/").status_code == 404
    assert client.get("/mentoring/").status_code == 200  # an expert of the pool: empty home


def test_the_mentor_home_lists_projects_and_their_next_milestone(
    mentor_client, staff, project, mentor
):
    accepted(project.voucher, mentor, staff)

    text = _text(mentor_client.get("/mentoring/"))

    assert project.voucher.agreement_number in text
    assert "Mid-term review" in text


def test_applicants_are_refused_the_mentor_home(client):
    sign_in(client, UserFactory(), mfa=False)
    assert client.get("/mentoring/").status_code == 403


def test_the_mentor_s_dashboard_panel_gives_the_next_step(mentor_client, staff, project, mentor):
    assignment = accepted(project.voucher, mentor, staff)
    milestone = project.voucher.milestones.get(sequence=1)

    text = _text(mentor_client.get("/dashboard/"))

    assert text.count("Projects I mentor") == 1
    assert f'href="/mentoring/{assignment.pk}/milestones/{milestone.pk}/report/"' in text


def test_a_staff_member_who_is_also_an_expert_sees_the_panel_once(client, staff, project):
    both = expert(full_name="Both Roles")
    both.groups.add(staff.groups.get())
    accepted(project.voucher, both, staff)
    signed_in(client, both)

    text = _text(client.get("/dashboard/"))

    assert text.count("Projects I mentor") == 1
