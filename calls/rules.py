"""Who may see and change calls and applications (django-rules)."""

import rules
from django.utils.translation import gettext_lazy as _

from accounts.rules import by_role, is_consortium_staff, is_organisation_admin
from minegap.ledger.labels import register_action_labels


def _authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


@rules.predicate
def is_lead_admin(user, application) -> bool:
    if not _authenticated(user) or application is None:
        return False
    return is_organisation_admin(user, application.lead_organisation)


@rules.predicate
def is_consortium_member(user, application) -> bool:
    """A person of an organisation that is in the consortium or invited to it."""
    if not _authenticated(user) or application is None:
        return False
    return application.members.filter(
        status__in=["invited", "confirmed"], organisation__memberships__user=user
    ).exists()


@rules.predicate
def is_member_admin(user, member) -> bool:
    if not _authenticated(user) or member is None or member.organisation_id is None:
        return False
    return is_organisation_admin(user, member.organisation)


# Evaluators read an assigned proposal through the evaluation app's blind view
# (evaluation.selectors.proposal_view), never the applicant's pages. Staff, whom their role lets
# in, only with the second factor.
views_application_by_role = is_consortium_staff
can_view_application = is_consortium_member | views_application_by_role

rules.add_perm("calls.manage_calls", by_role(is_consortium_staff))
rules.add_perm("calls.view_application", is_consortium_member | by_role(views_application_by_role))
rules.add_perm("calls.change_application", is_lead_admin)
# A member's administrator answers the invitation, sets its share and signs its declaration.
rules.add_perm("calls.change_member", is_member_admin)

register_action_labels(
    {
        "calls.call.created": _("Call created"),
        "calls.call.updated": _("Call settings changed"),
        "calls.call.configured": _("Call form or criteria changed"),
        "calls.call.published": _("Call published"),
        "calls.call.open": _("Call opened"),
        "calls.call.closed": _("Call closed"),
        "calls.call.deadline_extended": _("Deadline extended"),
        "calls.call.document_added": _("Call document added"),
        "calls.call.document_removed": _("Call document removed"),
        "calls.call.evaluating": _("Call evaluation started"),
        "calls.call.decided": _("Call decided"),
        "calls.call.results_published": _("Call results published"),
        "calls.call.archived": _("Call archived"),
        "calls.application.created": _("Application started"),
        "calls.application.submitted": _("Application submitted"),
        "calls.application.withdrawn": _("Application withdrawn"),
        "calls.application.eligible": _("Application found eligible"),
        "calls.application.ineligible": _("Application found ineligible"),
        "calls.application.under_evaluation": _("Application under evaluation"),
        "calls.application.evaluated": _("Application evaluated"),
        "calls.application.selected": _("Application selected"),
        "calls.application.reserve": _("Application put on the reserve list"),
        "calls.application.rejected": _("Application not selected"),
        "calls.application.funded": _("Application funded"),
        "calls.member.invited": _("Partner invited"),
        "calls.member.claimed": _("E-mail invitation linked to an organisation"),
        "calls.member.confirmed": _("Partner confirmed"),
        "calls.member.declined": _("Partner declined"),
        "calls.member.withdrawn": _("Partner withdrew"),
        "calls.member.declaration_signed": _("Declaration of honour signed"),
        "calls.member.awarded": _("Awarded amount set"),
        "calls.results.imported": _("Results of a call run elsewhere imported"),
    }
)
