"""The two reads the public site uses: an organisation's published facets as an expression, and
the organisations having a facet value as a subquery."""

import pytest

from accounts.models import Organisation
from matchmaking import selectors
from tests.factories import OrganisationFactory
from tests.matchmaking.factories import make_profile

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisations():
    published = make_profile(
        stages=["exploration", "recycling"], sectors=["ict"], raw_materials=["cobalt"]
    ).organisation
    draft = make_profile(stages=["exploration"], sectors=["ict"], published=False).organisation
    other = make_profile(stages=["refining"], raw_materials=["cobalt", "lithium"]).organisation
    return {"published": published, "draft": draft, "other": other, "none": OrganisationFactory()}


def test_published_facet_reads_only_published_profiles_in_one_query(
    organisations, django_assert_num_queries
):
    with django_assert_num_queries(1):
        rows = {
            o.pk: (o.stages, o.sectors, o.raw_materials)
            for o in Organisation.objects.annotate(
                **{
                    f: selectors.published_facet(f, organisation="")
                    for f in selectors.PUBLIC_FACETS
                }
            )
        }

    assert [rows[organisations[key].pk] for key in ("published", "draft", "other", "none")] == [
        (["exploration", "recycling"], ["ict"], ["cobalt"]),
        ([], [], []),
        (["refining"], [], ["cobalt", "lithium"]),
        ([], [], []),
    ]


def test_published_facet_refuses_other_fields():
    with pytest.raises(ValueError, match="Not a public facet"):
        selectors.published_facet("keywords")


@pytest.mark.parametrize(
    ("wanted", "expected"),
    [
        ({"stage": "exploration"}, {"published"}),
        ({"sector": "ict"}, {"published"}),
        ({"raw_material": "cobalt"}, {"published", "other"}),
        ({"raw_material": "cobalt", "stage": "refining"}, {"other"}),
        ({"stage": "manufacturing"}, set()),
    ],
)
def test_organisations_with_is_a_subquery_of_published_profiles(
    organisations, django_assert_num_queries, wanted, expected
):
    names = {o.pk: key for key, o in organisations.items()}
    with django_assert_num_queries(1):
        found = set(
            Organisation.objects.filter(pk__in=selectors.organisations_with(**wanted)).values_list(
                "pk", flat=True
            )
        )

    assert {names[pk] for pk in found} == expected
