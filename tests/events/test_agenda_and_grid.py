"""A participant's agenda (page, .ics, PDF) and staff's grid with moving meetings."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from icalendar import Calendar

from accounts import roles
from events import brokerage, meeting_outcomes
from events.models import Meeting, MeetingSeat
from minegap.ledger.models import AuditEntry
from minegap.notifications.models import Notification
from tests.auth import sign_in
from tests.events.brokerage_factories import BrokerageEventFactory, at, grid, participant
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _meet(a, b) -> Meeting:
    request = brokerage.request_meeting(requester=a, addressee=b, actor=a.user)
    brokerage.accept_meeting(meeting_request=request, actor=b.user)
    return Meeting.objects.get(request=request)


@pytest.fixture
def staff():
    return UserFactory(roles=[roles.STAFF])


def test_my_agenda_lists_my_meetings_with_the_other_side_table_and_time(client):
    event = BrokerageEventFactory(place="Oulu Arena")
    grid(event, tables=2)
    me, first, second = participant(event), participant(event), participant(event)
    _meet(me, first)
    _meet(second, me)
    sign_in(client, me.user, mfa=False)

    page = client.get(reverse("events:agenda", args=[event.pk])).content.decode()

    day = at(10, 9).strftime("%-d %B %Y")
    rows = [
        (f"{day}, 09:00–09:20 (Helsinki time)", "1", first.organisation.legal_name),
        (f"{day}, 09:20–09:40 (Helsinki time)", "1", second.organisation.legal_name),
    ]
    for when, table, organisation in rows:
        assert f"<td>{when}</td>\n          <td>{table}</td>" in page
        assert f'<span class="muted">{organisation}</span>' in page


def test_the_agenda_ics_holds_one_event_per_meeting_in_the_event_s_zone(client):
    event = BrokerageEventFactory(place="Oulu Arena")
    grid(event, tables=2)
    me, first, second = participant(event), participant(event), participant(event)
    one, two = _meet(me, first), _meet(second, me)
    sign_in(client, me.user, mfa=False)

    response = client.get(reverse("events:agenda-ics", args=[event.pk]))

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    entries = Calendar.from_ical(response.content).walk("VEVENT")
    assert [
        (str(e["uid"]), e.decoded("dtstart"), e.decoded("dtend"), str(e["location"]))
        for e in entries
    ] == [
        (f"meeting-{one.request_id}@minegap", at(10, 9), at(10, 9, 20), "Oulu Arena, table 1"),
        (f"meeting-{two.request_id}@minegap", at(10, 9, 20), at(10, 9, 40), "Oulu Arena, table 1"),
    ]
    assert entries[0]["dtstart"].params["TZID"] == "Europe/Helsinki"
    assert str(entries[0]["summary"]) == f"{event.title}: {first.organisation.legal_name} (table 1)"


def test_the_agenda_pdf_is_a_pdf_and_the_agenda_is_only_for_participants(client):
    event = BrokerageEventFactory()
    grid(event)
    me, other = participant(event), participant(event)
    _meet(me, other)
    outsider = UserFactory()

    sign_in(client, me.user, mfa=False)
    pdf = client.get(reverse("events:agenda-pdf", args=[event.pk]))
    sign_in(client, outsider, mfa=False)
    refused = [
        client.get(reverse(name, args=[event.pk])).status_code
        for name in ("events:agenda", "events:agenda-ics", "events:agenda-pdf")
    ]

    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    assert refused == [404, 404, 404]


def test_staff_move_a_meeting_to_a_free_slot_and_both_sides_are_told(staff):
    event = BrokerageEventFactory()
    grid(event, tables=2)
    a, b = participant(event), participant(event)
    meeting = _meet(a, b)

    meeting_outcomes.move_meeting(meeting=meeting, actor=staff, slot=2, table=2)

    meeting.refresh_from_db()
    assert (meeting.slot, meeting.table, meeting.starts_at) == (2, 2, at(10, 9, 40))
    assert sorted(MeetingSeat.objects.values_list("participant_id", "slot")) == [
        (a.pk, 2),
        (b.pk, 2),
    ]
    entry = AuditEntry.objects.latest("seq")
    assert (entry.action, entry.data) == (
        "events.meeting.moved",
        {"event": event.pk, "from": {"slot": 0, "table": 1}, "to": {"slot": 2, "table": 2}},
    )
    mails = Notification.objects.filter(template="events/meeting_moved")
    assert sorted(mails.values_list("email", flat=True)) == sorted([a.user.email, b.user.email])
    day = at(10, 9).strftime("%-d %B %Y")
    assert mails.first().context["when"] == f"{day}, 09:40–10:00 (Helsinki time)"


def test_a_move_onto_a_taken_table_or_a_busy_person_is_refused_with_a_message(staff):
    event = BrokerageEventFactory()
    grid(event, tables=2)
    a, b, c, d = (participant(event) for _ in range(4))
    first = _meet(a, b)  # slot 0, table 1
    second = _meet(c, d)  # slot 0, table 2
    third = _meet(a, c)  # slot 1, table 1

    with pytest.raises(ValidationError) as taken:
        meeting_outcomes.move_meeting(meeting=third, actor=staff, slot=0, table=1)
    with pytest.raises(ValidationError) as busy:
        meeting_outcomes.move_meeting(meeting=second, actor=staff, slot=1, table=2)
    with pytest.raises(PermissionDenied):
        meeting_outcomes.move_meeting(meeting=first, actor=a.user, slot=2, table=1)

    assert taken.value.messages == ["Table 1 is taken at that time by another meeting."]
    assert busy.value.messages == [
        f"{c.organisation.legal_name} already has another meeting at that time."
    ]
    assert [(m.slot, m.table) for m in Meeting.objects.order_by("pk")] == [(0, 1), (0, 2), (1, 1)]


def test_staff_see_the_grid_and_a_refused_move_comes_back_as_a_message(client, staff):
    event = BrokerageEventFactory()
    grid(event, tables=2)
    a, b, c, d = (participant(event) for _ in range(4))
    _meet(a, b)
    second = _meet(c, d)
    sign_in(client, staff)

    page = client.get(reverse("events:grid", args=[event.pk])).content.decode()
    moved = client.post(
        reverse("events:meeting-move", args=[event.pk]),
        {"meeting": second.pk, "slot": 0, "table": 1},
        follow=True,
    )

    assert '<th scope="col">Table 2</th>' in page
    cell = f"{c.organisation.legal_name} · {d.organisation.legal_name}"
    assert f"<td>{cell}</td>" in page
    assert page.count('<span class="muted">free</span>') == 4
    assert "Table 1 is taken at that time by another meeting." in moved.content.decode()


def test_the_grid_reads_its_meetings_once_and_offers_each_in_the_move_form(
    client, staff, django_assert_num_queries
):
    event = BrokerageEventFactory()
    grid(event, tables=2)
    a, b, c, d = (participant(event) for _ in range(4))
    first = _meet(a, b)
    sign_in(client, staff)
    url = reverse("events:grid", args=[event.pk])
    client.get(url)

    # 8 until issue #15 read the session from the cache and the person with roles and memberships in one query.
    with django_assert_num_queries(5) as one:
        client.get(url)
    second = _meet(c, d)
    third = _meet(a, c)
    with django_assert_num_queries(len(one.captured_queries)) as three:
        page = client.get(url).content.decode()

    meeting_reads = [
        q["sql"] for q in three.captured_queries if 'FROM "events_meeting"' in q["sql"]
    ]
    assert len(meeting_reads) == 1
    name = {p: p.organisation.legal_name for p in (a, b, c, d)}
    assert [
        f'<option value="{m.pk}">{label}</option>' in page
        for m, label in [
            (first, f"09:00, table 1: {name[a]} and {name[b]}"),
            (second, f"09:00, table 2: {name[c]} and {name[d]}"),
            (third, f"09:20, table 1: {name[a]} and {name[c]}"),
        ]
    ] == [True, True, True]
