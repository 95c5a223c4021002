"""Who may do what with impact indicators and reports (django-rules)."""

import rules
from django.utils.translation import gettext_lazy as _

from accounts.rules import by_role, is_consortium_staff, is_organisation_member
from minegap.ledger.labels import register_action_labels


@rules.predicate
def is_beneficiary_member(user, share) -> bool:
    """Member of the organisation whose share of a voucher it is: reports its figures."""
    return share is not None and is_organisation_member(user, share.organisation)


# Staff define a call's indicators, follow who reported, reopen a report and export the data.
rules.add_perm("impact.manage_impact", by_role(is_consortium_staff))
rules.add_perm("impact.report_impact", is_beneficiary_member)

register_action_labels(
    {
        "impact.indicator.created": _("Impact indicator added"),
        "impact.indicator.changed": _("Impact indicator changed"),
        "impact.indicator.removed": _("Impact indicator removed"),
        "impact.report.submitted": _("Impact report submitted"),
        "impact.report.reopened": _("Impact report reopened for a correction"),
        "impact.reminders.sent": _("Late impact reports reminded"),
    }
)
