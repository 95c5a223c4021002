"""allauth account adapter: after sign-up or sign-in, people without an organisation go to
"create or join an organisation"; allauth keeps sending its own e-mails."""

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest
from django.urls import reverse

from accounts.login_limits import LoginLimitsMixin
from accounts.rules import is_privileged


class AccountAdapter(LoginLimitsMixin, DefaultAccountAdapter):
    def get_login_redirect_url(self, request: HttpRequest) -> str:
        user = request.user
        if user.is_authenticated and not user.memberships.exists() and not is_privileged(user):
            return reverse("accounts:organisations")
        return super().get_login_redirect_url(request)

    def get_reauthentication_methods(self, user) -> list[dict]:
        """A code from the authenticator app first, for whoever has one: re-authenticating is
        how a privileged session gets (back) its second factor; a password would not give it."""
        methods = super().get_reauthentication_methods(user)
        return sorted(methods, key=lambda method: method["id"] != "mfa_reauthenticate")

    def get_signup_redirect_url(self, request: HttpRequest) -> str:
        """A new person first creates an organisation or joins one they were invited to."""
        return reverse("accounts:organisations")
