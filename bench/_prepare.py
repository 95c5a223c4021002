"""Run under the bench settings against the cloned database: signed-in sessions (second factor
passed, as allauth leaves them: `bench._builders.session_cookie`) and the URLs to load. Prints
one JSON object."""

import json

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.urls import reverse  # noqa: E402

from accounts.models import (  # noqa: E402
    Membership,
    User,
)
from bench._builders import session_cookie  # noqa: E402
from calls.models import Application, Call  # noqa: E402
from evaluation.models import Assignment, AssignmentState  # noqa: E402


def _cookie(user) -> str:
    return session_cookie(user)


def main() -> None:
    call = Call.objects.get(slug="bench-evaluation")
    staff = User.objects.get(email="bench-staff@example.org")
    busiest = (
        Assignment.objects.filter(application__call=call)
        .values("evaluator")
        .annotate(n=Count("id"))
        .order_by("-n", "evaluator")
        .first()
    )
    person = User.objects.get(pk=busiest["evaluator"])
    open_assignment = (
        Assignment.objects.filter(evaluator=person, state=AssignmentState.ACCEPTED)
        .order_by("pk")
        .first()
    )
    application = call.applications.order_by("pk").first()
    # An SME member: signed out, the directory's search is a teaser with two counts, no search.
    memberships = Membership.objects.order_by("pk")
    member = (
        memberships.filter(organisation__partner_profile__isnull=False).first()
        or memberships.first()
    )
    cookies = {
        "staff": _cookie(staff),
        "evaluator": _cookie(person),
        "member": _cookie(member.user),
    }
    pages = {
        "trivial": ("/__bench__/trivial/", None),
        # The layout alone (base.html around an empty page), anonymous and signed in as staff.
        "layout_anonymous": ("/__bench__/layout/", None),
        "layout_staff": ("/__bench__/layout/", "staff"),
        "ranking_page": (reverse("evaluation:ranking", args=[call.slug]), "staff"),
        "ranking_api": (reverse("api-call-ranking", args=[call.slug]), "staff"),
        "staff_list": (reverse("calls:manage-applications", args=[call.slug]), "staff"),
        "application_detail": (
            reverse("evaluation:eligibility-detail", args=[call.slug, application.pk]),
            "staff",
        ),
        "evaluator_home": (reverse("evaluation:evaluator-home"), "evaluator"),
        "scoring_page": (reverse("evaluation:assignment", args=[open_assignment.pk]), "evaluator"),
        "home": ("/", None),
        "projects": (reverse("public:projects"), None),
        "partner_search": (reverse("matchmaking:directory") + "?q=sensor", "member"),
        "partner_teaser": (reverse("matchmaking:directory") + "?q=sensor", None),
        "public_stats_api": (reverse("api-public-stats"), None),
    }
    rush = []
    for draft in Application.objects.filter(call__slug="bench-rush").order_by("pk"):
        applicant = Membership.objects.filter(organisation=draft.lead_organisation).first().user
        question = draft.call.questions.order_by("order").first()
        rush.append(
            {
                "application": draft.pk,
                "question": question.pk,
                "cookie": _cookie(applicant),
                "autosave": reverse("calls:apply-autosave", args=[draft.pk, question.pk]),
                "submit": reverse("calls:apply-submit", args=[draft.pk]),
            }
        )
    print(
        json.dumps(
            {
                "rush": rush,
                "cookie_name": settings.SESSION_COOKIE_NAME,
                "cookies": cookies,
                "assignments_of_evaluator": busiest["n"],
                "pages": pages,
            }
        )
    )


if __name__ == "__main__":
    main()
