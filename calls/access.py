"""Who may open an application's pages and files, checked the same way everywhere."""

from django.http import Http404
from django.utils.translation import gettext as _

from calls.models import Application
from calls.rules import views_application_by_role
from minegap.core.mfa import SecondFactorRequired


def check_application_access(user, application: Application) -> None:
    """404 for outsiders (they do not learn the application exists); 403 for staff whose session
    has not passed the second factor: they read other people's data."""
    if user.has_perm("calls.view_application", application):
        return
    if views_application_by_role(user, application):  # the role would let them in
        raise SecondFactorRequired(
            _("Sign in with your authenticator app to read other organisations' applications.")
        )
    raise Http404
