"""The ledger entries of a call's configuration hold the rules themselves, before and after each
change, so the ledger alone proves which rules a call was evaluated under."""

import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from django.urls import reverse

from calls import services
from calls.models import CallState, Criterion
from minegap.ledger.models import AuditEntry
from tests.auth import sign_in
from tests.calls.factories import CallFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2029, 11, 1, 10, 0, tzinfo=UTC)
OPENS = datetime(2030, 1, 10, 9, 0, tzinfo=UTC)
CLOSES = datetime(2030, 4, 1, 15, 0, tzinfo=UTC)


@pytest.fixture
def staff():
    user = UserFactory(roles=["consortium-staff"], full_name="Stella Staff")
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    return user


@pytest.fixture
def call():
    return CallFactory(state=CallState.DRAFT, opens_at=OPENS, closes_at=CLOSES)


CRITERIA = [
    {"name": "Excellence", "weight": "1.00", "max_score": "5.0", "threshold": "3.0", "order": 0},
    {"name": "Impact", "weight": "1.50", "max_score": "5.0", "threshold": "3.0", "order": 1},
    {
        "name": "Implementation",
        "weight": "1.00",
        "max_score": "5.0",
        "threshold": "3.0",
        "order": 2,
    },
]


@time_machine.travel(NOW, tick=False)
def test_publication_records_every_rule_of_the_call(staff, call):
    services.publish_call(call=call, actor=staff)

    data = AuditEntry.objects.get(action="calls.call.published").data
    assert data["rules"] == {
        "settings": {
            "total_budget": "1500000.00",
            "cap_per_project": "150000.00",
            "cap_per_third_party": "60000.00",
            "lifetime_cap_per_sme": None,
            "min_members": 2,
            "max_members": 3,
            "min_countries": 2,
            "require_adopter_and_provider": True,
            "eligible_countries": ["BG", "FI", "FR", "DE", "GR", "PL", "PT", "ES", "SE"],
            "time_zone": "Europe/Brussels",
            "opens_at": "2030-01-10T09:00:00+00:00",
            "closes_at": "2030-04-01T15:00:00+00:00",
            "total_threshold": "10.00",
            "evaluators_per_proposal": 3,
            "blind_evaluation": False,
            "divergence_percent": 30,
            "divergence_points": "2.00",
            "divergence_settlement": "consensus",
            "extra_evaluator_rule": "",
            "tie_break_chain": [
                "criterion:Impact",
                "criterion:Excellence",
                "geographic_diversity",
                "submitted_at",
            ],
            "redress_window_days": 30,
            "instalment_plan": [
                {"label": "Pre-financing at signature", "percent": 50, "trigger": "signature"},
                {
                    "label": "After the final deliverable",
                    "percent": 50,
                    "trigger": "final_deliverable",
                },
            ],
        },
        "voucher_types": [
            {"name": "Proof of concept", "cap_per_sme": "25000.00", "order": 1},
            {"name": "Demonstration", "cap_per_sme": "50000.00", "order": 2},
        ],
        "criteria": CRITERIA,
        "questions": [
            {
                "label": "What problem does the project solve?",
                "char_limit": 500,
                "required": True,
                "criterion": "Excellence",
                "order": 1,
            },
            {
                "label": "What is the expected impact?",
                "char_limit": 500,
                "required": True,
                "criterion": "Impact",
                "order": 2,
            },
        ],
        "attachments": [
            {
                "label": "Work plan",
                "allowed_types": ["pdf", "docx"],
                "max_size_mb": 1,
                "required": True,
                "order": 1,
            }
        ],
    }
    assert "Stella" not in json.dumps(data)
    assert staff.email not in json.dumps(data)


@time_machine.travel(NOW, tick=False)
def test_a_settings_change_records_each_changed_value_before_and_after(staff, call):
    services.update_call(
        call=call,
        actor=staff,
        data={
            "cap_per_third_party": Decimal("50000"),
            "divergence_points": Decimal("1.5"),
            "tie_break_chain": ["criterion:Excellence", "submitted_at"],
            "total_threshold": Decimal("10.00"),  # unchanged: not recorded
            "closes_at": datetime(2030, 4, 2, 15, 0, tzinfo=UTC),
        },
    )

    assert AuditEntry.objects.get(action="calls.call.updated").data == {
        "fields": ["cap_per_third_party", "closes_at", "divergence_points", "tie_break_chain"],
        "before": {
            "cap_per_third_party": "60000.00",
            "closes_at": "2030-04-01T15:00:00+00:00",
            "divergence_points": "2.00",
            "tie_break_chain": [
                "criterion:Impact",
                "criterion:Excellence",
                "geographic_diversity",
                "submitted_at",
            ],
        },
        "after": {
            "cap_per_third_party": "50000.00",
            "closes_at": "2030-04-02T15:00:00+00:00",
            "divergence_points": "1.50",
            "tie_break_chain": ["criterion:Excellence", "submitted_at"],
        },
    }


@time_machine.travel(NOW, tick=False)
def test_a_change_of_criteria_records_the_list_before_and_after(client, staff, call):
    sign_in(client, staff)
    excellence, impact, implementation = Criterion.objects.filter(call=call)
    prefix = "criteria"
    rows = [
        (excellence, "Excellence", "1", "5", "3.5", "0", False),
        (impact, "Impact", "2", "5", "3", "1", False),
        (implementation, "Implementation", "1", "5", "3", "2", True),
        (None, "Sustainability", "0.5", "5", "2.5", "3", False),
    ]
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "3",
    }
    for i, (row, name, weight, max_score, threshold, order, delete) in enumerate(rows):
        data |= {
            f"{prefix}-{i}-id": str(row.pk) if row else "",
            f"{prefix}-{i}-call": str(call.pk),
            f"{prefix}-{i}-name": name,
            f"{prefix}-{i}-weight": weight,
            f"{prefix}-{i}-max_score": max_score,
            f"{prefix}-{i}-threshold": threshold,
            f"{prefix}-{i}-order": order,
        }
        if delete:
            data[f"{prefix}-{i}-DELETE"] = "on"

    response = client.post(reverse("calls:manage-items", args=[call.slug, "criteria"]), data)

    assert response.status_code == 302
    assert AuditEntry.objects.get(action="calls.call.configured").data == {
        "what": "criteria",
        "before": CRITERIA,
        "after": [
            {
                "name": "Excellence",
                "weight": "1.00",
                "max_score": "5.0",
                "threshold": "3.5",
                "order": 0,
            },
            {
                "name": "Impact",
                "weight": "2.00",
                "max_score": "5.0",
                "threshold": "3.0",
                "order": 1,
            },
            {
                "name": "Sustainability",
                "weight": "0.50",
                "max_score": "5.0",
                "threshold": "2.5",
                "order": 3,
            },
        ],
    }
