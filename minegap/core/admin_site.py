"""The Django admin behind allauth's sign-in and the session's second factor.

The admin's own log-in form took a password alone, with no rate limit: its login now goes
through allauth's (secure_admin_login: rate-limited, then the TOTP step), and every admin page
asks that this session passed the second factor, however it was signed in.
"""

from allauth.account.decorators import secure_admin_login
from django.contrib import admin

from minegap.core.mfa import second_factor_redirect, user_passed_second_factor


class SecondFactorAdminSite(admin.AdminSite):
    def has_permission(self, request) -> bool:
        return super().has_permission(request) and user_passed_second_factor(request.user)

    def login(self, request, extra_context=None):
        user = request.user
        if user.is_authenticated and user.is_staff and not user_passed_second_factor(user):
            return second_factor_redirect(request)
        return secure_admin_login(super().login)(request, extra_context)
