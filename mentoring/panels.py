"""The mentoring app's dashboard panel: a mentor's projects, each with its one next step (declare
conflicts, or the next milestone to report on). Mentors are staff or evaluator-pool experts, so
the panel sits in those sections (once, in the staff section for a person in both)."""

from django.http import HttpRequest

from accounts.rules import is_consortium_staff
from mentoring import selectors
from minegap.core import slots


def _panel(request: HttpRequest) -> dict | None:
    assignments = selectors.mentor_home(request.user)
    return {"assignments": assignments} if assignments else None


def staff_panel(request: HttpRequest) -> dict | None:
    return _panel(request)


def evaluator_panel(request: HttpRequest) -> dict | None:
    if is_consortium_staff(request.user):
        return None  # drawn in the staff section already
    return _panel(request)


def register() -> None:
    template = "mentoring/panels/mentor.html"
    slots.register("dashboard:staff", "mentoring-mine", template, staff_panel, order=80)
    slots.register("dashboard:evaluator", "mentoring-mine", template, evaluator_panel, order=80)
