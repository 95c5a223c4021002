"""The one next step of an application for the people of its consortium.

Shown on the applicant's dashboard panel and on "My applications", so both always say the same.
The evaluation and vouchers apps take over after the decision (results, voucher): their own
panels say what to do there; this module only says where to look.
"""

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
            return NextStep(_("Complete and submit it before the deadline."), home, urgent=True)
        return NextStep(_("The call closed before it was submitted: it will not be evaluated."))
    if state == ApplicationState.SUBMITTED:
        if application.has_unsubmitted_changes:
            if call.closes_at is not None and call.is_open_at(now):
                return NextStep(
                    _("Submit your changes again: until then the last submitted version counts."),
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
            _("Selected for funding: sign the voucher agreement in My vouchers."),
            reverse("vouchers:my-vouchers"),
            urgent=True,
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
