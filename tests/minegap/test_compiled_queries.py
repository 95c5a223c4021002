"""ORM queries compiled once, run with new ids (`minegap.core.compiled_queries`)."""

from datetime import UTC, datetime

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from minegap.core.compiled_queries import CompiledQuery, model_columns
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

JOINED = datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)


def _people(first, second):
    return (
        User.objects.filter(Q(pk=first) | Q(pk=second))
        .order_by("full_name")
        .values_list("full_name", "is_active", "date_joined")
    )


def test_each_run_reads_the_rows_of_its_own_ids_converted_as_the_orm_converts_them():
    ana = UserFactory(full_name="ana", date_joined=JOINED)
    bo = UserFactory(full_name="bo", date_joined=JOINED, is_active=False)
    cy = UserFactory(full_name="cy", date_joined=JOINED)
    query = CompiledQuery(_people, "first", "second")

    assert query.rows(first=ana.pk, second=bo.pk) == [
        ("ana", True, JOINED),
        ("bo", False, JOINED),
    ]
    assert query.rows(first=cy.pk, second=-1) == [("cy", True, JOINED)]
    assert query.first(first=bo.pk, second=bo.pk) == ("bo", False, JOINED)
    assert query.first(first=-1, second=-2) is None


def test_the_query_is_built_once_and_again_only_when_forgotten():
    built = []

    def names(person):
        built.append(person)
        return User.objects.filter(pk=person).values_list("full_name")

    ana, bo = UserFactory(full_name="ana"), UserFactory(full_name="bo")
    query = CompiledQuery(names, "person")

    assert [query.first(person=ana.pk), query.first(person=bo.pk)] == [("ana",), ("bo",)]
    assert len(built) == 1
    query.forget()
    assert query.first(person=ana.pk) == ("ana",)
    assert len(built) == 2


def test_a_parameter_used_twice_takes_the_id_in_both_places():
    def same_person_with_a_staff_twin(person):
        twin = User.objects.filter(pk=person, is_staff=True)
        return (
            User.objects.filter(pk=person)
            .annotate(staff=Exists(twin.filter(pk=OuterRef("pk"))))
            .values_list("full_name", "staff")
        )

    staff, member = UserFactory(full_name="st", is_staff=True), UserFactory(full_name="me")
    query = CompiledQuery(same_person_with_a_staff_twin, "person")

    assert query.rows(person=staff.pk) == [("st", True)]
    assert query.rows(person=member.pk) == [("me", False)]


def test_a_query_that_ignores_a_parameter_is_refused():
    query = CompiledQuery(lambda person: User.objects.values_list("full_name"), "person")

    with pytest.raises(ImproperlyConfigured):
        query.rows(person=1)


def test_every_parameter_and_no_other_must_be_given():
    query = CompiledQuery(_people, "first", "second")

    with pytest.raises(TypeError):
        query.rows(first=1)
    with pytest.raises(TypeError):
        query.rows(first=1, second=2, third=3)


def test_a_list_parameter_takes_any_number_of_ids_up_to_its_length():
    ana, bo, cy = (UserFactory(full_name=name) for name in ("ana", "bo", "cy"))
    query = CompiledQuery(
        lambda people: (
            User.objects.filter(pk__in=people).order_by("full_name").values_list("full_name")
        ),
        lists={"people": 3},
    )

    assert query.rows(people=[cy.pk, ana.pk]) == [("ana",), ("cy",)]
    assert query.rows(people=[ana.pk, bo.pk, cy.pk]) == [("ana",), ("bo",), ("cy",)]
    assert query.rows(people=[bo.pk]) == [("bo",)]
    assert query.rows(people=[]) == []
    with pytest.raises(ValueError):
        query.rows(people=[ana.pk, bo.pk, cy.pk, ana.pk])


def test_ids_and_lists_together():
    ana, bo, cy = (UserFactory(full_name=name) for name in ("ana", "bo", "cy"))
    query = CompiledQuery(
        lambda person, people: (
            User.objects.filter(Q(pk=person) | Q(pk__in=people))
            .order_by("full_name")
            .values_list("full_name")
        ),
        "person",
        lists={"people": 2},
    )

    assert query.rows(person=bo.pk, people=[cy.pk]) == [("bo",), ("cy",)]
    assert query.rows(person=ana.pk, people=[]) == [("ana",)]


def test_a_text_parameter_is_compared_as_given():
    UserFactory(email="ana@example.eu", full_name="ana")
    UserFactory(email="bo@example.eu", full_name="bo")
    query = CompiledQuery(
        lambda email: User.objects.filter(email=email).values_list("full_name"), texts=("email",)
    )

    assert query.first(email="bo@example.eu") == ("bo",)
    assert query.first(email="ana@example.eu") == ("ana",)
    assert query.first(email="%@example.eu") is None


def test_a_lookup_that_rewrites_its_text_is_refused():
    query = CompiledQuery(
        lambda part: User.objects.filter(email__icontains=part).values_list("full_name"),
        texts=("part",),
    )

    with pytest.raises(ImproperlyConfigured):
        query.rows(part="ana")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements: PostgreSQL")
def test_on_postgresql_the_statement_is_prepared_once_then_run_with_each_id():
    ana, bo = UserFactory(full_name="ana"), UserFactory(full_name="bo")
    query = CompiledQuery(
        lambda person: User.objects.filter(pk=person).values_list("full_name"), "person"
    )

    with CaptureQueriesContext(connection) as captured:
        assert [query.first(person=ana.pk), query.first(person=bo.pk)] == [("ana",), ("bo",)]
        assert query.first(person=-1) is None

    assert _prepared_names() == [
        'SELECT "accounts_user"."full_name" AS "full_name" FROM "accounts_user"'
        ' WHERE "accounts_user"."id" = $1'
    ]
    # Logged with the values in place, as Django logs its own statements.
    assert [q["sql"].rsplit("=", 1)[1].strip() for q in captured.captured_queries] == [
        str(ana.pk),
        str(bo.pk),
        "-1",
    ]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements: PostgreSQL")
def test_a_rollback_that_forgets_the_prepared_statements_costs_nothing_but_preparing_again():
    ana = UserFactory(full_name="ana")
    query = CompiledQuery(
        lambda person: User.objects.filter(pk=person).values_list("full_name"), "person"
    )
    assert query.first(person=ana.pk) == ("ana",)

    assert len(_prepared_names()) == 1

    with pytest.raises(ValueError), transaction.atomic():
        assert query.first(person=ana.pk) == ("ana",)
        raise ValueError("rolled back")  # psycopg deallocates every prepared statement

    assert _prepared_names() == []
    assert query.first(person=ana.pk) == ("ana",)
    assert len(_prepared_names()) == 1


def _prepared_names() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall() if '"full_name"' in row[0]]


def test_a_models_columns_come_in_the_order_from_db_takes_them():
    assert model_columns(User, "email", "id", "is_active") == ("id", "email", "is_active")
    assert model_columns(User, "id", "email", path="owner__") == ("owner__id", "owner__email")
    assert len(model_columns(User)) == len(User._meta.concrete_fields)
