"""The one next step of an application for the people of its consortium.

Shown on the applicant's dashboard panel and on "My applications", so both always say the same.
After the decision the voucher says what comes next, and only the vouchers app knows it (and who
is reading: an administrator signs, a colleague waits for them): it registers a provider here
(`register_provider`, in its AppConfig.ready) that `next_steps` asks for the applications it
knows about; without one, this module only says where to look.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from calls.models import Application, ApplicationState


@dataclass(frozen=True)
class NextStep:
    text: str
    url: str = ""
    urgent: bool = False


def next_step(application: Application, now: datetime) -> NextStep:
    call = application.call
    state = application.state
    home = reverse("calls:apply-home", args=[application.pk])
    if call.imported_at is not None:
        return NextStep(_("Funded in a call run outside MineGap: shown here read-only."), home)
    if state == ApplicationState.DRAFT:
        if call.closes_at is not None and call.is_open_at(now):
            return NextStep(
                _("Next: complete and submit it before the deadline."), home, urgent=True
            )
        return NextStep(_("The call closed before it was submitted: it will not be evaluated."))
    if state == ApplicationState.SUBMITTED:
        if application.has_unsubmitted_changes:
            if call.closes_at is not None and call.is_open_at(now):
                return NextStep(
                    _(
                        "Next: submit your changes again: until then the last submitted "
                        "version counts."
                    ),
                    home,
                    urgent=True,
                )
            return NextStep(
                _("Your later changes were not submitted: the last submitted version is evaluated.")
            )
        return NextStep(_("Nothing to do: staff check eligibility after the deadline."))
    if state in (
        ApplicationState.ELIGIBLE,
        ApplicationState.UNDER_EVALUATION,
        ApplicationState.EVALUATED,
    ):
        return NextStep(_("Nothing to do: independent experts are evaluating it."))
    if state == ApplicationState.SELECTED:
        return NextStep(
            _("Selected for funding: the voucher agreement follows in My vouchers."),
            reverse("vouchers:my-vouchers"),
        )
    if state == ApplicationState.FUNDED:
        return NextStep(
            _("Funded: follow deliverables and payments in My vouchers."),
            reverse("vouchers:my-vouchers"),
        )
    if state == ApplicationState.RESERVE:
        return NextStep(_("On the reserve list: you are told if a place becomes free."))
    if state in (ApplicationState.REJECTED, ApplicationState.INELIGIBLE):
        return NextStep(_("Not funded: the evaluation summary report gives the reasons."))
    if state == ApplicationState.WITHDRAWN:
        return NextStep(_("Withdrawn: nothing to do."))
    raise ValueError(f"No next step for an application in state {state!r}")


#: A later app's next steps: (applications, reader) -> {application pk: step} for those it knows.
Provider = Callable[[Sequence[Application], object], dict[int, NextStep]]
_providers: list[Provider] = []


def register_provider(provider: Provider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def next_steps(applications: Sequence[Application], now: datetime, user) -> dict[int, NextStep]:
    """The next step of each application for `user`: a later app's word where it has one."""
    steps = {a.pk: next_step(a, now) for a in applications}
    for provider in _providers:
        steps.update(provider(applications, user))
    return steps
