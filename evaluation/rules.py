"""Who may do what in the evaluation (django-rules)."""

import rules

from accounts.rules import is_committee_member, is_consortium_staff, is_evaluator
from evaluation.models import Assignment, AssignmentState


@rules.predicate
def has_accepted_declaration(user) -> bool:
    """The evaluator accepted the confidentiality and no-conflict declaration."""
    if not getattr(user, "is_authenticated", False):
        return False
    profile = getattr(user, "evaluator_profile", None)
    return profile is not None and profile.declaration_accepted_at is not None


@rules.predicate
def can_read_proposal(user, application) -> bool:
    """Assigned to it, declared no conflict (accepted), and not removed since."""
    if not getattr(user, "is_authenticated", False) or application is None:
        return False
    return Assignment.objects.filter(
        application=application,
        evaluator=user,
        state__in=[AssignmentState.ACCEPTED, AssignmentState.SCORED],
    ).exists()


is_active_evaluator = is_evaluator & has_accepted_declaration

rules.add_perm("evaluation.manage", is_consortium_staff)
rules.add_perm("evaluation.view_ranking", is_consortium_staff | is_committee_member)
rules.add_perm("evaluation.evaluate", is_evaluator)
rules.add_perm("evaluation.read_proposal", is_active_evaluator & can_read_proposal)
