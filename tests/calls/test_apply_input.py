"""What the wizard's buttons post is read by forms: an id that is not a number, someone else's
or missing answers 400 on the step with a message that says what is wrong (before, a
non-numeric id was a 500), and nothing is written. The happy paths still work."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from calls import services
from calls.models import Answer, ConsortiumMember, MemberRole, MemberStatus
from tests.auth import sign_in
from tests.calls.factories import PDF_BYTES, complete_application
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

NOT_A_MEMBER = "This organisation is not a confirmed member of the consortium."


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def _post(client, application, step, data):
    return client.post(reverse("calls:apply-step", args=[application.pk, step]), data)


@pytest.fixture
def lead(client):
    """A complete application of the signed-in lead administrator, and someone else's."""
    application, admin = complete_application()
    other, _other_admin = complete_application()
    sign_in(client, admin)
    return application, other


@pytest.mark.parametrize(
    "data, expected",
    [
        ({"action": "invite", "organisation": "abc"}, "This organisation is not registered: "),
        ({"action": "invite", "organisation": "999999"}, "This organisation is not registered: "),
        ({"action": "invite"}, "Choose the organisation to invite."),
        ({"action": "remove", "member": "1e3"}, "This organisation is not in the consortium "),
        ({"action": "remove"}, "Choose the member to remove."),
        ({"action": "promote"}, "Unknown action."),
        ({}, "Unknown action."),
    ],
)
def test_a_bad_consortium_post_is_400_with_its_reason(client, lead, data, expected):
    application, _other = lead
    members_before = list(application.members.values_list("pk", "status"))

    response = _post(client, application, "consortium", data)

    assert response.status_code == 400
    assert [m[: len(expected)] for m in _messages(response)] == [expected]
    assert list(application.members.values_list("pk", "status")) == members_before


def test_removing_another_applications_member_is_refused(client, lead):
    application, other = lead
    theirs = other.members.get(is_lead=False)

    response = _post(client, application, "consortium", {"action": "remove", "member": theirs.pk})

    assert response.status_code == 400
    assert _messages(response) == [
        "This organisation is not in the consortium of this application."
    ]
    theirs.refresh_from_db()
    assert theirs.status == MemberStatus.CONFIRMED


def test_the_lead_invites_and_removes_a_partner(client, lead):
    application, _other = lead
    newcomer = OrganisationFactory(country="SE", legal_name="Boliden Sensors AB")

    invited = _post(
        client, application, "consortium", {"action": "invite", "organisation": newcomer.pk}
    )
    member = application.members.get(organisation=newcomer)
    removed = _post(client, application, "consortium", {"action": "remove", "member": member.pk})

    step = reverse("calls:apply-step", args=[application.pk, "consortium"])
    assert (invited.status_code, invited["Location"]) == (302, step)
    assert (removed.status_code, removed["Location"]) == (302, step)
    member.refresh_from_db()
    assert member.status == MemberStatus.WITHDRAWN


@pytest.mark.parametrize(
    "data, expected",
    [
        ({"action": "remove", "attachment": "abc"}, "This file is not one of this application's."),
        ({"action": "remove"}, "Choose the file to remove."),
        ({"requirement": "abc"}, "This call does not ask for that file."),
        ({}, "Choose which file this is."),
        ({"action": "delete"}, "Unknown action."),
    ],
)
def test_a_bad_attachments_post_is_400_with_its_reason(client, lead, data, expected):
    application, _other = lead

    response = _post(client, application, "attachments", data)

    assert response.status_code == 400
    assert _messages(response) == [expected]
    assert application.attachments.filter(removed_at__isnull=True).count() == 1


def test_another_applications_file_and_requirement_are_refused(client, lead):
    application, other = lead
    their_file = other.attachments.get()
    their_requirement = other.call.attachment_requirements.get()

    remove = _post(
        client, application, "attachments", {"action": "remove", "attachment": their_file.pk}
    )
    upload = _post(
        client,
        application,
        "attachments",
        {
            "requirement": their_requirement.pk,
            f"req{their_requirement.pk}-file": SimpleUploadedFile("plan.pdf", PDF_BYTES),
        },
    )

    assert (remove.status_code, _messages(remove)) == (
        400,
        ["This file is not one of this application's."],
    )
    assert (upload.status_code, _messages(upload)) == (
        400,
        ["This call does not ask for that file."],
    )
    their_file.refresh_from_db()
    assert their_file.removed_at is None
    assert (application.attachments.count(), other.attachments.count()) == (1, 1)


def test_the_lead_removes_and_uploads_a_file(client, lead):
    application, _other = lead
    requirement = application.call.attachment_requirements.get()
    current = application.attachments.get()

    removed = _post(
        client, application, "attachments", {"action": "remove", "attachment": current.pk}
    )
    uploaded = _post(
        client,
        application,
        "attachments",
        {
            "requirement": requirement.pk,
            f"req{requirement.pk}-file": SimpleUploadedFile("plan.pdf", PDF_BYTES),
        },
    )

    assert (removed.status_code, uploaded.status_code) == (302, 302)
    current.refresh_from_db()
    assert current.removed_at is not None
    assert application.attachments.filter(removed_at__isnull=True).count() == 1


@pytest.mark.parametrize("step", ["declarations", "budget"])
@pytest.mark.parametrize("member", ["abc", "²", "", "other"])
def test_a_member_the_step_does_not_show_is_400(client, lead, step, member):
    application, other = lead
    if member == "other":
        member = other.members.get(is_lead=False).pk
    amounts = list(ConsortiumMember.objects.order_by("pk").values_list("requested_amount"))

    response = _post(
        client, application, step, {"member": member, f"m{member}-requested_amount": "1.00"}
    )

    assert response.status_code == 400
    assert _messages(response) == (
        ["Choose the member this is for."] if member == "" else [NOT_A_MEMBER]
    )
    assert list(ConsortiumMember.objects.order_by("pk").values_list("requested_amount")) == (
        amounts
    )


def test_a_partner_signs_its_declaration_on_the_step(client, lead):
    application, _other = lead
    partner_admin = UserFactory()
    partner = OrganisationFactory(country="SE")
    MembershipFactory(user=partner_admin, organisation=partner)
    member = services.invite_partner(
        application=application,
        organisation=partner,
        invited_by=application.lead_organisation.memberships.get().user,
    )
    services.confirm_participation(
        member=member,
        actor=partner_admin,
        role=MemberRole.PROVIDER,
        requested_amount=Decimal("10000.00"),
    )
    sign_in(client, partner_admin)

    response = _post(client, application, "declarations", {"member": member.pk})

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.declaration_signed_by == partner_admin


def test_the_questions_step_refuses_a_nul_and_saves_what_is_posted(client, lead):
    application, _other = lead
    first, second = application.call.questions.order_by("order")

    refused = _post(client, application, "questions", {f"q{first.pk}": "bad\x00text"})
    saved = _post(client, application, "questions", {f"q{first.pk}": "  A new answer.\n"})

    assert (refused.status_code, _messages(refused)) == (
        400,
        ["An answer holds a character that cannot be saved (NUL): remove it."],
    )
    assert saved.status_code == 302
    texts = dict(Answer.objects.filter(application=application).values_list("question", "text"))
    # The posted box is saved as typed; the one left out keeps its answer.
    assert texts == {first.pk: "  A new answer.\n", second.pk: "A clear answer."}


def test_autosave_refuses_a_nul_without_writing(client, lead):
    application, _other = lead
    question = application.call.questions.order_by("order").first()
    url = reverse("calls:apply-autosave", args=[application.pk, question.pk])

    by_box = client.post(url, {f"q{question.pk}": "x\x00y"})
    by_text = client.post(url, {"text": "x\x00y"})

    expected = (400, b"An answer holds a character that cannot be saved (NUL): remove it.")
    assert (by_box.status_code, by_box.content) == expected
    assert (by_text.status_code, by_text.content) == expected
    assert Answer.objects.get(application=application, question=question).text == (
        "A clear answer."
    )


@pytest.fixture
def emailed(client):
    """An invitation by e-mail, and its invitee signed in, administering one organisation."""
    application, lead_admin = complete_application()
    member = services.invite_by_email(
        application=application, email="new.partner@example.eu", invited_by=lead_admin
    )
    newcomer = UserFactory(email="new.partner@example.eu")
    organisation = OrganisationFactory(country="ES")
    MembershipFactory(user=newcomer, organisation=organisation)
    sign_in(client, newcomer)
    return member, organisation


@pytest.mark.parametrize(
    "data, expected",
    [
        ({"action": "claim", "organisation": "abc"}, "Choose one of the organisations you "),
        ({"action": "claim", "organisation": "other"}, "Choose one of the organisations you "),
        ({"action": "claim"}, "Choose the organisation you join with."),
        ({"action": "join"}, "Unknown action."),
    ],
)
def test_a_bad_claim_is_400_with_its_reason(client, emailed, data, expected):
    member, _organisation = emailed
    if data.get("organisation") == "other":
        data["organisation"] = OrganisationFactory().pk  # one the invitee does not administer

    response = client.post(reverse("calls:invitation", args=[member.pk]), data)

    assert response.status_code == 400
    assert [m[: len(expected)] for m in _messages(response)] == [expected]
    member.refresh_from_db()
    assert member.organisation is None


def test_the_invitee_claims_with_their_organisation(client, emailed):
    member, organisation = emailed

    response = client.post(
        reverse("calls:invitation", args=[member.pk]),
        {"action": "claim", "organisation": organisation.pk},
    )

    assert (response.status_code, response["Location"]) == (
        302,
        reverse("calls:invitation", args=[member.pk]),
    )
    member.refresh_from_db()
    assert (member.organisation, member.status) == (organisation, MemberStatus.INVITED)
