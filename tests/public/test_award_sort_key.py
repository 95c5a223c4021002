"""The funded projects' sort key (`Application.awarded_on`): kept by the services that record an
award date, equal to the award date the public pages show, and the order of the lists."""

from datetime import UTC, date, datetime

import pytest
from django.urls import reverse

from accounts import roles
from calls.models import Application, ApplicationState, CallState
from calls.services.imports import ImportReport
from evaluation.services.publication import publish_results
from public import selectors
from public.services import store_import_details
from tests.factories import UserFactory
from tests.public.factories import imported_award, project, results_call, sme

pytestmark = pytest.mark.django_db


def test_publishing_results_dates_the_calls_projects_in_the_sites_time_zone(time_machine):
    # 23:30 UTC on 1 March is 00:30 on 2 March in Brussels, the site's time zone.
    time_machine.move_to(datetime(2026, 3, 1, 23, 30, tzinfo=UTC))
    call = results_call(state=CallState.DECIDED)
    selected = project(call, [(sme(), "1.00")], state=ApplicationState.SELECTED, acronym="SEL")
    rejected = project(call, [(sme(), "1.00")], state=ApplicationState.REJECTED, acronym="REJ")

    publish_results(call=call, actor=UserFactory(roles=[roles.STAFF]))

    dates = dict(Application.objects.filter(call=call).values_list("acronym", "awarded_on"))
    (shown,) = selectors.funded_projects()
    assert dates == {"SEL": date(2026, 3, 2), "REJ": date(2026, 3, 2)}
    assert (shown.pk, shown.award_date) == (selected.pk, date(2026, 3, 2))
    assert rejected.pk != shown.pk


def test_an_imported_award_date_is_the_sort_key_and_a_new_one_replaces_it():
    call = results_call()
    first = project(call, [(sme(), "1.00")], acronym="FIRST")
    second = project(call, [(sme(), "1.00")], acronym="SECOND")

    store_import_details(
        report=ImportReport(
            call=call, award_dates={first.pk: date(2022, 1, 5), second.pk: date(2023, 7, 1)}
        ),
        actor=None,
    )
    store_import_details(
        report=ImportReport(call=call, award_dates={first.pk: date(2024, 2, 9)}), actor=None
    )

    assert [
        (p.acronym, p.awarded_on, p.award_date) for p in selectors.funded_projects(sort="-date")
    ] == [
        ("FIRST", date(2024, 2, 9), date(2024, 2, 9)),
        ("SECOND", date(2023, 7, 1), date(2023, 7, 1)),
    ]


def test_the_lists_sort_by_the_key_newest_first_undated_last_ties_by_number(client):
    call = results_call()
    undated = project(call, [(sme(), "1.00")], acronym="UNDATED")
    older = project(call, [(sme(), "1.00")], acronym="OLDER")
    tie_low = project(call, [(sme(), "1.00")], acronym="TIELOW")
    tie_high = project(call, [(sme(), "1.00")], acronym="TIEHIGH")
    imported_award(older, "2021-01-01")
    imported_award(tie_low, "2023-01-01")
    imported_award(tie_high, "2023-01-01")

    newest_first = [p.acronym for p in selectors.funded_projects(sort="-date")]
    oldest_first = [p.acronym for p in selectors.funded_projects(sort="date")]
    page = client.get(reverse("public:projects")).content.decode()

    assert newest_first == ["TIEHIGH", "TIELOW", "OLDER", "UNDATED"]
    assert oldest_first == ["UNDATED", "OLDER", "TIELOW", "TIEHIGH"]
    assert (
        page.index("TIEHIGH") < page.index("TIELOW") < page.index("OLDER") < page.index("UNDATED")
    )
    assert undated.pk < older.pk < tie_low.pk < tie_high.pk
