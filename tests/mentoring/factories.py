"""Mentoring test helpers: an active voucher whose call plans an instalment on the mentor's
milestone report, and the two kinds of mentors (staff, an expert of the evaluator pool)."""

from dataclasses import dataclass

from django.utils import timezone

from accounts import roles
from accounts.models import User
from evaluation.models import EvaluatorProfile
from mentoring import services
from mentoring.models import MentorAssignment
from tests.calls.factories import CallFactory
from tests.factories import UserFactory
from tests.vouchers.factories import Consortium, active_voucher, selected_application
from vouchers.models import Voucher

#: 40 % at signature, 30 % when the mentor approves milestone 1, 30 % on the final report.
MENTORED_PLAN = [
    {"percent": 40, "label": "Pre-financing", "trigger": "signature"},
    {"percent": 30, "label": "Mid-term review", "trigger": "mentor_report"},
    {"percent": 30, "label": "Final payment", "trigger": "final_deliverable"},
]


@dataclass
class Project:
    voucher: Voucher
    consortium: Consortium


def mentored_project(staff: User, *, plan=None) -> Project:
    call = CallFactory(state="decided", instalment_plan=plan or MENTORED_PLAN)
    consortium = selected_application(call)
    return Project(voucher=active_voucher(consortium, staff), consortium=consortium)


def expert(**kwargs) -> User:
    """An external expert of the evaluator pool who accepted its declaration."""
    user = UserFactory(roles=[roles.EVALUATOR], **kwargs)
    EvaluatorProfile.objects.create(user=user, declaration_accepted_at=timezone.now())
    return user


def accepted(voucher: Voucher, mentor: User, staff: User) -> MentorAssignment:
    assignment = services.assign_mentor(voucher=voucher, mentor=mentor, actor=staff)
    return services.declare_conflict(assignment=assignment, actor=mentor, conflict=False)
