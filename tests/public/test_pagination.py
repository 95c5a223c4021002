"""Lists paginated page-first (`public.pagination`): the ids of a page are chosen with the
filters and sort keys only, then the page's details are read; the rows and order must be those
of the whole list sliced."""

import pytest
from django.core.cache import cache
from django.http import QueryDict

from calls.models import ConsortiumMember
from public import selectors
from public.filters import BeneficiaryFilter
from public.pagination import PageFirstPaginator
from tests.public.factories import imported_award, project, results_call, sme

pytestmark = pytest.mark.django_db


@pytest.fixture
def projects():
    """Seven funded projects with equal amounts and dates (ties broken by id) and one rejected."""
    call, other = results_call(slug="call-a"), results_call(slug="call-b")
    fi, se = sme("FI"), sme("SE")
    made = [
        project(call if n % 2 else other, [(fi, "10.00"), (se, f"{n % 3}.50")], acronym=f"P{n}")
        for n in range(7)
    ]
    for n, application in enumerate(made[:4]):
        imported_award(application, f"2024-0{1 + n % 2}-01")
    project(call, [(fi, "99.00")], state="rejected")
    return made


@pytest.mark.parametrize("sort", ["-date", "date", "-amount", "amount", "acronym", "call"])
@pytest.mark.parametrize("query", ["", "&country=SE", "&call=call-a"])
def test_api_pages_are_the_whole_list_sliced(client, projects, sort, query):
    country = "SE" if "SE" in query else ""
    call = "call-a" if "call-a" in query else ""
    expected = [
        (p.pk, f"{p.awarded_total:.2f}", p.award_date and p.award_date.isoformat())
        for p in selectors.funded_projects(sort=sort, country=country, call=call)
    ]
    seen = []
    for page in (1, 2, 3):
        cache.clear()
        body = client.get(f"/api/v1/public/projects/?page_size=3&page={page}&sort={sort}{query}")
        if body.status_code == 404:
            break
        seen += [(r["id"], r["amount"], r["award_date"]) for r in body.json()["results"]]

    assert seen == expected
    assert len(expected) == (3 if call else 7)


@pytest.mark.parametrize("sort", ["name", "-amount", "country", "project"])
def test_beneficiary_pages_are_the_whole_list_sliced(projects, sort):
    """Four a page (the page shows 50) through the filters and the paginator the page uses."""
    filterset = BeneficiaryFilter(
        QueryDict(f"sort={sort}"), queryset=ConsortiumMember.objects.none()
    )
    assert filterset.is_valid()
    paginator = PageFirstPaginator(filterset.qs, 4, details=selectors.beneficiary_page)
    expected = [(m.pk, m.award_date) for m in selectors.beneficiaries(sort=sort)]
    pages = [paginator.page(number) for number in (1, 2, 3, 4)]

    assert [(m.pk, m.award_date) for page in pages for m in page.object_list] == expected
    assert [len(page.object_list) for page in pages] == [4, 4, 4, 2]


def test_the_beneficiaries_page_shows_the_first_fifty(client, projects):
    page = client.get("/beneficiaries/?sort=name").context["page_obj"]
    assert (page.paginator.per_page, len(page.object_list)) == (50, 14)
