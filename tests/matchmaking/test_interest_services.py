import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from matchmaking import selectors, services
from matchmaking.models import ExpressionOfInterest, OrganisationBlock
from minegap.ledger.models import AuditEntry
from minegap.notifications.models import Notification
from tests.factories import OrganisationFactory
from tests.matchmaking.factories import admin_of, make_profile, member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair():
    a = make_profile(role_sought="adopter").organisation
    b = make_profile(role_sought="provider").organisation
    return a, b


def send(a, b, message="Shall we apply together?"):
    return services.send_interest(sender=a, receiver=b, actor=admin_of(a), message=message)


def test_send_notifies_the_receivers_contact_and_writes_the_ledger(pair):
    a, b = pair
    interest = send(a, b)
    assert interest.status == ExpressionOfInterest.Status.PENDING
    assert list(Notification.objects.values_list("email", "template")) == [
        (admin_of(b).email, "matchmaking/interest_received")
    ]
    assert AuditEntry.objects.latest("seq").action == "matchmaking.interest.sent"


def test_no_contact_details_before_acceptance_and_both_after(pair):
    a, b = pair
    interest = send(a, b)
    assert selectors.revealed_contact(viewer=a, other=b) is None
    assert selectors.revealed_contact(viewer=b, other=a) is None
    services.accept_interest(interest=interest, actor=member_of(b))
    assert selectors.revealed_contact(viewer=a, other=b) == {
        "name": admin_of(b).full_name,
        "email": admin_of(b).email,
    }
    assert selectors.revealed_contact(viewer=b, other=a) == {
        "name": admin_of(a).full_name,
        "email": admin_of(a).email,
    }
    # A third organisation sees nothing.
    c = make_profile().organisation
    assert selectors.revealed_contact(viewer=c, other=a) is None


def test_acceptance_notifies_both_sides(pair):
    a, b = pair
    interest = send(a, b)
    Notification.objects.all().delete()
    answerer = member_of(b)
    services.accept_interest(interest=interest, actor=answerer)
    assert sorted(Notification.objects.values_list("email", flat=True)) == sorted(
        [admin_of(a).email, admin_of(b).email, answerer.email]
    )
    assert set(Notification.objects.values_list("template", flat=True)) == {
        "matchmaking/interest_accepted"
    }


def test_chosen_contact_person_is_revealed_instead_of_the_admin(pair):
    a, b = pair
    colleague = member_of(b)
    services.save_profile(
        organisation=b,
        actor=admin_of(b),
        summary="x",
        role_sought="provider",
        contact_person=colleague,
    )
    services.accept_interest(interest=send(a, b), actor=admin_of(b))
    assert selectors.revealed_contact(viewer=a, other=b) == {
        "name": colleague.full_name,
        "email": colleague.email,
    }


def test_decline_hides_contacts_and_tells_the_sender(pair):
    a, b = pair
    interest = send(a, b)
    Notification.objects.all().delete()
    services.decline_interest(interest=interest, actor=admin_of(b))
    assert selectors.revealed_contact(viewer=a, other=b) is None
    assert list(Notification.objects.values_list("email", "template")) == [
        (admin_of(a).email, "matchmaking/interest_declined")
    ]
    with pytest.raises(ValidationError):
        services.accept_interest(interest=interest, actor=admin_of(b))


def test_only_the_receiver_answers(pair):
    a, b = pair
    interest = send(a, b)
    with pytest.raises(PermissionDenied):
        services.accept_interest(interest=interest, actor=admin_of(a))
    interest.refresh_from_db()
    assert interest.status == ExpressionOfInterest.Status.PENDING


def test_no_repeat_while_one_is_pending_either_way(pair):
    a, b = pair
    interest = send(a, b)
    with pytest.raises(ValidationError, match="waiting for an answer"):
        send(a, b)
    with pytest.raises(ValidationError, match="waiting for an answer"):
        send(b, a)
    services.decline_interest(interest=interest, actor=admin_of(b))
    assert send(a, b).status == ExpressionOfInterest.Status.PENDING
    assert ExpressionOfInterest.objects.count() == 2


def test_daily_limit_per_sending_organisation(settings):
    settings.MATCHMAKING_DAILY_INTEREST_LIMIT = 3
    a = make_profile().organisation
    receivers = [make_profile().organisation for _ in range(4)]
    for receiver in receivers[:3]:
        send(a, receiver)
    with pytest.raises(ValidationError, match="last 24 hours"):
        send(a, receivers[3])
    assert ExpressionOfInterest.objects.filter(sender=a).count() == 3
    # Another organisation has its own allowance.
    assert send(receivers[3], receivers[0]).sender == receivers[3]


def test_daily_limit_counts_only_the_last_24_hours(settings, time_machine):
    settings.MATCHMAKING_DAILY_INTEREST_LIMIT = 1
    time_machine.move_to("2026-03-01 09:00Z")
    a = make_profile().organisation
    b, c = make_profile().organisation, make_profile().organisation
    send(a, b)
    with pytest.raises(ValidationError):
        send(a, c)
    time_machine.move_to("2026-03-02 09:01Z")
    assert send(a, c).receiver == c


def test_unpublished_sender_or_receiver_cannot_use_contact():
    a = make_profile(published=False).organisation
    b = make_profile().organisation
    with pytest.raises(ValidationError, match="Publish your organisation"):
        send(a, b)
    c = make_profile(published=False).organisation
    with pytest.raises(ValidationError, match="not in the directory"):
        send(b, c)
    assert ExpressionOfInterest.objects.count() == 0


def test_outsider_cannot_write_for_an_organisation(pair):
    a, b = pair
    outsider = member_of(OrganisationFactory())
    with pytest.raises(PermissionDenied):
        services.send_interest(sender=a, receiver=b, actor=outsider, message="hi")


def test_message_is_required_and_bounded(pair):
    a, b = pair
    with pytest.raises(ValidationError):
        send(a, b, message="   ")
    with pytest.raises(ValidationError):
        send(a, b, message="x" * 1001)
    assert ExpressionOfInterest.objects.count() == 0


def test_blocked_organisation_cannot_contact_and_its_pending_interest_is_declined(pair):
    a, b = pair
    pending = send(a, b)
    blocker = member_of(b)
    services.block_organisation(blocker=b, blocked=a, actor=blocker)
    pending.refresh_from_db()
    assert pending.status == ExpressionOfInterest.Status.DECLINED
    with pytest.raises(ValidationError, match="does not accept messages"):
        send(a, b)
    with pytest.raises(ValidationError, match="unblock it first"):
        send(b, a)
    with pytest.raises(ValidationError):
        services.block_organisation(blocker=b, blocked=a, actor=blocker)
    services.unblock_organisation(blocker=b, blocked=a, actor=blocker)
    assert OrganisationBlock.objects.count() == 0
    assert send(a, b).status == ExpressionOfInterest.Status.PENDING


def test_cannot_block_for_someone_elses_organisation(pair):
    a, b = pair
    with pytest.raises(PermissionDenied):
        services.block_organisation(blocker=b, blocked=a, actor=admin_of(a))
    assert OrganisationBlock.objects.count() == 0
