"""The platform's roles beyond 'applicant', held as Django groups; a person may hold several."""

from django.utils.translation import gettext_lazy as _

STAFF = "consortium-staff"
EVALUATOR = "evaluators"
COMMITTEE = "transparency-committee"

ROLE_LABELS = {
    STAFF: _("Consortium staff"),
    EVALUATOR: _("Evaluator"),
    COMMITTEE: _("Transparency Committee member"),
}

# Roles that see other people's data: their areas require multi-factor authentication.
PRIVILEGED_ROLES = (STAFF, EVALUATOR, COMMITTEE)
