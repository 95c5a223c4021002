"""The accounts app's dashboard panel: the person's organisations and SME declarations."""

from django.http import HttpRequest

from minegap.core import slots


def organisations_panel(request: HttpRequest) -> dict:
    # The template reads the memberships through the accounts_tags tag it already uses.
    return {}


def register() -> None:
    slots.register(
        "dashboard:applicant",
        "accounts-organisations",
        "accounts/dashboard_panel.html",
        organisations_panel,
        order=10,
    )
