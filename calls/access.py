"""Who may open an application's pages and files, checked the same way everywhere."""

from allauth.mfa.utils import is_mfa_enabled
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from calls.models import Application
from calls.rules import is_consortium_member


def check_application_access(user, application: Application) -> None:
    """404 for outsiders (they do not learn the application exists); 403 for staff or assigned
    evaluators without two-factor authentication, who read other people's data."""
    if not user.has_perm("calls.view_application", application):
        raise Http404
    if not is_consortium_member(user, application) and not is_mfa_enabled(user):
        raise PermissionDenied(
            _("Turn on two-factor authentication to read other organisations' applications.")
        )
