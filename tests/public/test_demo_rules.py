"""The demo obeys the rules it shows: every submitted or funded demo application passes its
call's submission rules as submitted (consortium, countries, caps, answers, attachments,
declarations), and the eligibility check passed each of them without a staff override."""

from io import StringIO

import pytest
from django.core.management import call_command

from calls.models import Application, ApplicationState
from calls.selectors import submitted_record
from calls.validation import record_problems
from evaluation.models import EligibilityCheck

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=StringIO())


def test_every_submitted_demo_application_obeys_its_calls_rules(demo):
    applications = (
        Application.objects.exclude(state=ApplicationState.DRAFT)
        .filter(call__imported_at__isnull=True)
        .select_related("call")
        .order_by("reference")
    )
    assert [a.acronym for a in applications] == [
        "ORESENSE",
        "TAILBLOCK",
        "WEARPRINT",
        "FLUOREFF",
        "LITHTWIN",
        "BAUXCORE",
        "NICKELWATCH",
    ]
    broken = {
        a.acronym: [p.message for p in record_problems(a.call, submitted_record(a))]
        for a in applications
    }
    assert {acronym: problems for acronym, problems in broken.items() if problems} == {}


def test_the_demo_eligibility_checks_all_passed_on_their_own(demo):
    checks = EligibilityCheck.objects.order_by("application__reference")
    assert [(c.application.acronym, c.automatic_passed) for c in checks] == [
        ("ORESENSE", True),
        ("TAILBLOCK", True),
        ("WEARPRINT", True),
        ("FLUOREFF", True),
        ("LITHTWIN", True),
        ("BAUXCORE", True),
    ]
