"""Permission predicates of the mentoring app (django-rules).

A mentor reads a consortium's contacts and log: the mentor's access is a role's access, so it
holds only once the session passed the second factor (`by_role`), like the evaluators'."""

import rules
from django.utils.translation import gettext_lazy as _

from accounts.rules import by_role, is_consortium_staff, is_evaluator
from evaluation.rules import has_accepted_declaration
from minegap.ledger.labels import register_action_labels
from vouchers.rules import is_voucher_beneficiary


@rules.predicate
def is_eligible_mentor(user) -> bool:
    """Staff, or an external expert of the evaluator pool who accepted its declaration (staff
    invite experts through the evaluator invitations)."""
    return bool(is_consortium_staff(user)) or (
        bool(is_evaluator(user)) and has_accepted_declaration(user)
    )


@rules.predicate
def is_proposed_mentor(user, assignment) -> bool:
    """The person asked to mentor, who has not declared yet."""
    return (
        assignment is not None
        and getattr(user, "is_authenticated", False)
        and assignment.mentor_id == user.pk
        and assignment.state == "proposed"
    )


@rules.predicate
def is_active_mentor(user, assignment) -> bool:
    """The mentor who declared no conflict and is still mentoring the project."""
    return (
        assignment is not None
        and getattr(user, "is_authenticated", False)
        and assignment.mentor_id == user.pk
        and assignment.state == "accepted"
    )


@rules.predicate
def mentors_anything(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return user.mentor_assignments.filter(state__in=["proposed", "accepted"]).exists()


rules.add_perm("mentoring.manage_mentoring", by_role(is_consortium_staff))
rules.add_perm("mentoring.view_mentor_home", by_role(is_eligible_mentor | mentors_anything))
rules.add_perm("mentoring.declare", by_role(is_proposed_mentor))
rules.add_perm("mentoring.mentor_project", by_role(is_active_mentor))
# The consortium's read-only mentoring page (staff read every log on the /manage/ pages).
rules.add_perm("mentoring.view_voucher_mentoring", is_voucher_beneficiary)

register_action_labels(
    {
        "mentoring.mentor.assigned": _("Mentor assigned"),
        "mentoring.mentor.accepted": _("Mentor declared no conflict of interest"),
        "mentoring.mentor.declined": _("Mentor declared a conflict of interest"),
        "mentoring.mentor.ended": _("Mentoring ended"),
        "mentoring.meeting.recorded": _("Mentoring meeting recorded"),
        "mentoring.report.submitted": _("Mentor's milestone report submitted"),
    }
)
