"""A call's way of settling divergences: set by staff in the call's settings (validated, in the
ledger when changed), stated on the call's public page with the other scoring rules."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from calls.models import Call, CallState, DivergenceSettlement, ExtraEvaluatorRule
from minegap.ledger.models import AuditEntry
from tests.calls.factories import CallFactory
from tests.calls.test_manage_views import call_post_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    now = timezone.now()
    return CallFactory(
        slug="mtg-oc3",
        code="MTG-OC3",
        state=CallState.DRAFT,
        opens_at=now + timedelta(days=10),
        closes_at=now + timedelta(days=100),
    )


def _post(client, call, **overrides):
    local = lambda dt: dt.astimezone(call.tz).strftime("%Y-%m-%dT%H:%M:%S")  # noqa: E731
    data = call_post_data(
        opens_at=local(call.opens_at), closes_at=local(call.closes_at), **overrides
    )
    return client.post(reverse("calls:manage-edit", args=[call.slug]), data)


def test_staff_choose_an_additional_evaluator_and_its_rule_and_the_ledger_says_so(
    staff_client, draft
):
    response = _post(
        staff_client, draft, divergence_settlement="either", extra_evaluator_rule="median"
    )

    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.divergence_settlement, draft.extra_evaluator_rule) == ("either", "median")
    data = AuditEntry.objects.get(action="calls.call.updated").data
    changed = ("divergence_settlement", "extra_evaluator_rule")
    assert [[data[side][name] for name in changed] for side in ("before", "after")] == [
        ["consensus", ""],
        ["either", "median"],
    ]


@pytest.mark.parametrize(
    ("settlement", "rule", "message"),
    [
        (
            "extra_evaluator",
            "",
            "Choose how the final score is set when an additional evaluator settles a divergence.",
        ),
        (
            "consensus",
            "two_closest",
            "Only a call whose divergences an additional evaluator may settle has a rule for it.",
        ),
        ("vote", "", "Select a valid choice. vote is not one of the available choices."),
    ],
)
def test_an_inconsistent_choice_is_refused_with_the_reason(
    staff_client, draft, settlement, rule, message
):
    response = _post(
        staff_client, draft, divergence_settlement=settlement, extra_evaluator_rule=rule
    )

    assert response.status_code == 400
    form = response.context["form"]
    errors = form.errors.get("extra_evaluator_rule") or form.errors.get("divergence_settlement")
    assert list(errors) == [message]
    draft.refresh_from_db()
    assert (draft.divergence_settlement, draft.extra_evaluator_rule) == ("consensus", "")


def test_the_database_refuses_a_rule_without_an_additional_evaluator(draft):
    with pytest.raises(IntegrityError):
        Call.objects.filter(pk=draft.pk).update(extra_evaluator_rule=ExtraEvaluatorRule.MEDIAN)


def test_the_public_page_states_how_a_divergence_is_settled(client):
    call = CallFactory(
        divergence_settlement=DivergenceSettlement.EXTRA_EVALUATOR,
        extra_evaluator_rule=ExtraEvaluatorRule.TWO_CLOSEST,
    )

    page = client.get(reverse("calls:public-detail", args=[call.slug])).content.decode()

    assert (
        page.count(
            "The evaluators diverge when their totals differ by more than 30 % of the higher one, "
            "or their scores of one criterion by more than 2 points."
        )
        == 1
    )
    assert (
        page.count(
            "A divergence is settled by an additional evaluator: the final score of each criterion "
            "is then the mean of the two closest scores given by all the evaluators."
        )
        == 1
    )
    assert page.count("Final scores are rounded to two decimals (half up)") == 1


def chain(*steps: str) -> dict[str, str]:
    """The settings form's tie-break selects, place by place, the places after them empty."""
    places = [*steps, *[""] * (5 - len(steps))]
    return {f"tie_break_{i}": step for i, step in enumerate(places)}


@pytest.mark.parametrize(
    ("steps", "messages"),
    [
        (
            ("criterion:Impact", "alphabetical"),
            ["Select a valid choice. alphabetical is not one of the available choices."],
        ),
        (
            ("criterion:Impact", "geographic_diversity", "criterion:Impact"),
            ["“criterion:Impact” comes twice in the tie-break chain."],
        ),
        (
            ("criterion:Beauty", "submitted_at"),
            ["Select a valid choice. criterion:Beauty is not one of the available choices."],
        ),
        ((), ["Choose at least one tie-break step."]),
    ],
)
def test_a_tie_break_chain_the_ranking_cannot_follow_is_refused(
    staff_client, draft, steps, messages
):
    response = _post(staff_client, draft, **chain(*steps))

    assert response.status_code == 400
    assert list(response.context["form"].errors["tie_break"]) == messages
    draft.refresh_from_db()
    assert draft.tie_break_chain == [
        "criterion:Impact",
        "criterion:Excellence",
        "geographic_diversity",
        "submitted_at",
    ]


def test_staff_choose_the_chain_from_the_calls_criteria_and_the_rules(staff_client, draft):
    """Staff typed internal codes ("criterion:Impact, geographic_diversity..."); a misspelt
    criterion surfaced only when the ranking answered 400."""
    page = staff_client.get(reverse("calls:manage-edit", args=[draft.slug]))
    field = page.context["form"]["tie_break"]
    options = [(value, str(label)) for value, label in field.field.widget.widgets[0].choices]
    assert options == [
        ("", "— (no further step)"),
        ("criterion:Excellence", "Higher score on Excellence"),
        ("criterion:Impact", "Higher score on Impact"),
        ("criterion:Implementation", "Higher score on Implementation"),
        ("geographic_diversity", "Geographic diversity: more countries not yet placed above first"),
        ("submitted_at", "Earlier submission first"),
    ]
    html = page.content.decode()
    assert 'name="tie_break_text"' not in html
    assert [f'<label for="id_tie_break_{i}">Step {i + 1}</label>' in html for i in range(5)] == [
        True
    ] * 5
    assert field.value() == [
        "criterion:Impact",
        "criterion:Excellence",
        "geographic_diversity",
        "submitted_at",
    ]

    # Reordering is choosing again, place by place; an empty place is skipped.
    response = _post(
        staff_client,
        draft,
        **chain("submitted_at", "", "criterion:Implementation", "geographic_diversity"),
    )

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.tie_break_chain == [
        "submitted_at",
        "criterion:Implementation",
        "geographic_diversity",
    ]
    data = AuditEntry.objects.get(action="calls.call.updated").data
    assert data["after"]["tie_break_chain"] == draft.tie_break_chain


def test_a_saved_chain_naming_a_missing_criterion_shows_and_is_refused_on_save(staff_client, draft):
    draft.tie_break_chain = ["criterion:Risk", "new_countries", "criterion:impact"]
    draft.save()
    page = staff_client.get(reverse("calls:manage-edit", args=[draft.slug]))
    field = page.context["form"]["tie_break"]
    assert field.value() == ["criterion:Risk", "geographic_diversity", "criterion:Impact"]
    assert ("criterion:Risk", "criterion:Risk (not a step this call can use)") in [
        (value, str(label)) for value, label in field.field.widget.widgets[0].choices
    ]

    response = _post(staff_client, draft, **chain(*field.value()))

    assert response.status_code == 400
    assert list(response.context["form"].errors["tie_break"]) == [
        "The tie-break chain names “Risk”, which is not a criterion of the call."
    ]


def test_renaming_a_criterion_the_chain_names_is_refused(staff_client, draft):
    criteria = list(draft.criteria.all())
    data = {"criteria-TOTAL_FORMS": "3", "criteria-INITIAL_FORMS": "3"}
    for i, criterion in enumerate(criteria):
        data |= {
            f"criteria-{i}-id": str(criterion.pk),
            f"criteria-{i}-call": str(draft.pk),
            f"criteria-{i}-name": "Societal impact"
            if criterion.name == "Impact"
            else criterion.name,
            f"criteria-{i}-weight": str(criterion.weight),
            f"criteria-{i}-max_score": str(criterion.max_score),
            f"criteria-{i}-threshold": str(criterion.threshold),
            f"criteria-{i}-order": str(criterion.order),
        }

    response = staff_client.post(reverse("calls:manage-items", args=[draft.slug, "criteria"]), data)

    assert response.status_code == 400
    assert list(response.context["formset"].non_form_errors()) == [
        "The tie-break chain names “Impact”, which is not a criterion of the call."
    ]
    assert sorted(draft.criteria.values_list("name", flat=True)) == [
        "Excellence",
        "Impact",
        "Implementation",
    ]


def test_publication_lists_a_chain_naming_a_missing_criterion(staff_client, draft):
    draft.tie_break_chain = ["criterion:Risk", "submitted_at"]
    draft.save()

    response = staff_client.post(reverse("calls:manage-publish", args=[draft.slug]))

    assert response.status_code == 400
    assert response.context["publish_errors"] == [
        "The tie-break chain names “Risk”, which is not a criterion of the call."
    ]


def test_the_divergence_rule_says_one_point_in_the_singular(client):
    call = CallFactory(divergence_points=Decimal("1.00"))

    page = client.get(reverse("calls:public-detail", args=[call.slug])).content.decode()

    assert "or their scores of one criterion by more than 1 point." in page
