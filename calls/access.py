"""Who may open an application's pages and files, checked the same way everywhere."""

from django.http import Http404
from django.utils.translation import gettext as _

from accounts.rules import require_second_factor
from calls.models import Application
from calls.rules import is_consortium_member, views_application_by_role


def check_application_access(user, application: Application) -> None:
    """404 for outsiders (they do not learn the application exists); 403 for staff whose session
    has not passed the second factor: they read other people's data."""
    if is_consortium_member(user, application):
        return
    if not views_application_by_role(user, application):
        raise Http404
    require_second_factor(
        user, _("Sign in with your authenticator app to read other organisations' applications.")
    )
