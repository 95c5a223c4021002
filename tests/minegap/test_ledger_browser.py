"""The staff ledger browser at /manage/ledger/: access, filters, pagination, detail and CSV."""

import csv
import io
from datetime import timedelta

import pytest
from allauth.mfa.models import Authenticator
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accounts import roles
from minegap.ledger.labels import action_label, register_action_labels
from minegap.ledger.services import record
from minegap.ledger.views import data_summary
from tests.auth import sign_in
from tests.factories import UserFactory
from tests.minegap.ledger_helpers import raw_execute

pytestmark = pytest.mark.django_db


def staff_with_mfa(**kwargs):
    user = UserFactory(roles=[roles.STAFF], **kwargs)
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    return user


@pytest.fixture
def staff_client(client):
    user = staff_with_mfa(full_name="Stella Staff", email="stella@example.eu")
    sign_in(client, user)
    client.user = user
    return client


def write(action: str, *, actor=None, target_type="calls.application", target_id="1", data=None):
    with transaction.atomic():
        return record(
            action=action,
            actor=actor,
            target_type=target_type,
            target_id=target_id,
            data=data or {},
        )


def listed_seqs(response) -> list[int]:
    return [entry.seq for entry in response.context["entries"]]


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("ledger:list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_applicants_are_refused(client):
    client.force_login(UserFactory())
    assert client.get(reverse("ledger:list")).status_code == 403
    assert client.get(reverse("ledger:export")).status_code == 403


def test_staff_without_mfa_are_sent_to_turn_it_on(client):
    client.force_login(UserFactory(roles=[roles.STAFF]))
    response = client.get(reverse("ledger:list"))
    assert (response.status_code, response.url) == (302, reverse("mfa_activate_totp"))


def test_list_shows_newest_first_with_labels_and_short_hashes(staff_client):
    register_action_labels({"tests.application.submitted": "Application submitted"})
    first = write("tests.application.submitted", actor=staff_client.user, data={"ref": "A-1"})
    second = write("tests.application.withdrawn")

    response = staff_client.get(reverse("ledger:list"))

    assert listed_seqs(response) == [second.seq, first.seq]
    html = response.content.decode()
    assert "Application submitted" in html
    assert "Tests: application withdrawn" in html
    assert f'href="{reverse("ledger:detail", args=[first.seq])}"' in html
    assert f"{first.hash[:12]}…" in html


def test_empty_ledger_shows_an_empty_state(staff_client):
    response = staff_client.get(reverse("ledger:list"))
    assert list(response.context["entries"]) == []
    assert "The ledger is empty" in response.content.decode()


def test_filters_combine(staff_client):
    other = UserFactory(full_name="Otto Other", email="otto@example.eu")
    a = write("calls.application.submitted", actor=other, target_id="7")
    write("calls.application.submitted", actor=staff_client.user, target_id="7")
    write("calls.call.published", actor=other, target_type="calls.call", target_id="7")
    write("evaluation.score.submitted", actor=other, target_id="7")

    response = staff_client.get(
        reverse("ledger:list"),
        {"action": "calls.", "actor": "otto", "target_type": "calls.application", "target_id": "7"},
    )

    assert listed_seqs(response) == [a.seq]


def test_date_range_is_inclusive_and_oldest_first_order_works(staff_client):
    old = write("calls.call.published")
    recent = write("calls.call.closed")
    today = timezone.localdate()

    response = staff_client.get(
        reverse("ledger:list"),
        {"date_from": today.isoformat(), "date_to": today.isoformat(), "order": "oldest"},
    )
    assert listed_seqs(response) == [old.seq, recent.seq]

    response = staff_client.get(
        reverse("ledger:list"), {"date_to": (today - timedelta(days=1)).isoformat()}
    )
    assert listed_seqs(response) == []
    assert "No entries match these filters." in response.content.decode()


def test_an_invalid_filter_shows_the_error_and_no_entries(staff_client):
    write("calls.call.published")
    today = timezone.localdate()

    response = staff_client.get(
        reverse("ledger:list"),
        {"date_from": today.isoformat(), "date_to": (today - timedelta(days=2)).isoformat()},
    )

    assert response.status_code == 200
    assert listed_seqs(response) == []
    assert response.context["form"].non_field_errors() == [
        "The start date must not be after the end date."
    ]


def test_pagination_keeps_the_filters(staff_client):
    for n in range(52):
        write("calls.call.published", target_id=str(n))

    response = staff_client.get(reverse("ledger:list"), {"action": "calls.", "page": 2})

    assert listed_seqs(response) == [2, 1]
    assert 'href="?action=calls.&amp;page=1"' in response.content.decode()


def ledger_queries(staff_client) -> tuple[int, int, int]:
    """(all queries, queries on the ledger table, entries listed) for one list page."""
    with CaptureQueriesContext(connection) as captured:
        response = staff_client.get(reverse("ledger:list"))
    on_ledger = [q for q in captured.captured_queries if "ledger_auditentry" in q["sql"]]
    return len(captured), len(on_ledger), len(response.context["entries"])


def test_list_query_count_does_not_grow_with_entries(staff_client):
    write("calls.call.published", actor=UserFactory(), target_id="0")
    staff_client.get(reverse("ledger:list"))  # warm the session
    total_for_one, ledger_for_one, listed = ledger_queries(staff_client)
    assert listed == 1
    for n in (1, 2):
        write("calls.call.published", actor=UserFactory(), target_type=f"t{n}", target_id=str(n))

    total_for_three, ledger_for_three, listed = ledger_queries(staff_client)

    assert listed == 3
    # target types, count, page (with actors joined)
    assert (ledger_for_one, ledger_for_three) == (3, 3)
    assert total_for_three == total_for_one


def test_detail_shows_the_whole_entry(staff_client):
    first = write("calls.call.published")
    second = write("calls.application.submitted", actor=staff_client.user, data={"ref": "MG-1"})

    response = staff_client.get(reverse("ledger:detail", args=[second.seq]))

    html = response.content.decode()
    assert response.context["entry"].pk == second.pk
    assert second.hash in html
    assert f'href="{reverse("ledger:detail", args=[first.seq])}"' in html
    assert "&quot;ref&quot;: &quot;MG-1&quot;" in html
    assert '<span class="badge ok">Recomputes correctly</span>' in html
    assert f"<pre><code>{escape(second.canonical_json())}</code></pre>" in html


def test_detail_shows_the_time_as_every_other_page_does(staff_client, time_machine):
    # 09:05:07 UTC on 3 March 2026 is 10:05:07 in Brussels (CET), the platform's time zone.
    time_machine.move_to("2026-03-03T09:05:07.250+00:00", tick=False)
    entry = write("calls.call.published")

    html = staff_client.get(reverse("ledger:detail", args=[entry.seq])).content.decode()

    assert ">3 March 2026 10:05:07 CET</time></dd>" in html


def test_detail_flags_an_altered_entry(staff_client):
    entry = write("calls.call.published", data={"title": "Call 1"})
    raw_execute(
        "UPDATE ledger_auditentry SET data = %s WHERE seq = %s", ['{"title": "X"}', entry.seq]
    )

    html = staff_client.get(reverse("ledger:detail", args=[entry.seq])).content.decode()

    assert '<span class="badge bad">Does not match its contents: run verify_ledger</span>' in html


def test_detail_of_a_missing_entry_is_404(staff_client):
    assert staff_client.get(reverse("ledger:detail", args=[999])).status_code == 404


def test_csv_export_follows_the_filters_and_defuses_formulas(staff_client):
    published = write("calls.call.published", data={"title": '=HYPERLINK("http://evil")'})
    write("calls.application.submitted", actor=staff_client.user, data={"ref": "MG-1"})

    response = staff_client.get(reverse("ledger:export"), {"action": "calls.call"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="minegap-ledger-')
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == [
        "seq", "time", "actor", "action", "label", "target_type", "target_id", "data", "prev_hash", "hash",
    ]  # fmt: skip
    assert [row[0] for row in rows[1:]] == ["1"]
    assert rows[1][7] == '{"title": "=HYPERLINK(\\"http://evil\\")"}'  # JSON starts with "{"
    assert rows[1][8:] == [published.prev_hash, published.hash]


def test_csv_export_neutralises_a_leading_formula(staff_client):
    write("=cmd|' /C calc'!A0", target_type="x", target_id="1")
    response = staff_client.get(reverse("ledger:export"))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[1][3] == "'=cmd\\|' /C calc'!A0"  # quoted and the pipe escaped: inert text


def test_unlabelled_codes_read_well():
    assert action_label("tests.widget.polished") == "Tests: widget polished"
    assert action_label("plain") == "plain"


def test_data_summary_is_short_and_readable():
    assert data_summary({"reference": "MG-1", "amount": "12000.00", "ok": True}) == (
        "reference: MG-1, amount: 12000.00, ok: true"
    )
    assert data_summary({"note": "x" * 40}) == "note: " + "x" * 23 + "…"
    assert len(data_summary({f"k{n}": "v" * 20 for n in range(10)})) == 90
