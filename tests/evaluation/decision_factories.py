"""A call ready for the committee: five evaluated applications (four pass the thresholds), a
budget for two, three committee members with MFA; and a helper that adopts a session."""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from accounts import roles
from accounts.models import User
from calls.models import Application, ApplicationState, Call
from evaluation.models import DecisionSession
from evaluation.services import decision as services
from tests.evaluation.conftest import with_mfa
from tests.evaluation.factories import (
    closed_call,
    evaluator,
    freeze,
    scored_assignment,
    submitted_application,
)
from tests.factories import UserFactory

#: Best first; the last fails the total threshold. Each application asks EUR 40,000.
SCORES = ("5", "4.5", "4", "3.5", "3")


@dataclass
class Ready:
    call: Call
    apps: list[Application]  # in rank order
    committee: list[User]


def ready_call(*, budget: str = "80000.00", members: int = 3, count: int = 5) -> Ready:
    call = closed_call(total_budget=Decimal(budget))
    apps = []
    for index, value in enumerate(SCORES[:count]):
        application = submitted_application(
            call,
            state=ApplicationState.EVALUATED,
            submitted_at=call.closes_at - timedelta(days=1, minutes=-index),
        )
        application.acronym = f"APP{index}"
        application.save(update_fields=["acronym"])
        freeze(application)
        for country in ("BG", "HR"):
            scored_assignment(
                application,
                evaluator(country=country),
                {"Excellence": value, "Impact": value, "Implementation": value},
            )
        apps.append(application)
    committee = [
        with_mfa(UserFactory(roles=[roles.COMMITTEE], full_name=f"Member {i}"))
        for i in range(members)
    ]
    return Ready(call=call, apps=apps, committee=committee)


def adopt(ready: Ready, staff: User, *, votes=("for", "for", "against")) -> DecisionSession:
    session = services.open_decision_session(call=ready.call, actor=staff)
    services.record_attendance(session=session, actor=staff, present=ready.committee)
    services.open_voting(session=session, actor=staff)
    for member, choice in zip(ready.committee, votes, strict=False):
        services.cast_vote(session=session, member=member, choice=choice)
    # Members given no vote did not vote: staff confirm closing without them.
    silent = [member.pk for member in ready.committee[len(votes) :]]
    return services.close_session(session=session, actor=staff, confirmed_missing=silent)
