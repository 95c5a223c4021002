"""The Transparency Committee's pages under /committee/ (MFA enforced by the middleware):
sessions, the ranking with its budget line, the proposal, attendance, votes, minutes; staff open,
run and close sessions and vacate a selection after the decision. Thin: services do the work."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from calls.models import Call, CallState
from calls.selectors import with_submitted_texts
from evaluation import selectors_decision as selectors
from evaluation import tasks
from evaluation.forms_committee import (
    AttendanceForm,
    OpenSessionForm,
    ProposeForm,
    VacateForm,
    VoteForm,
    VotingForm,
    error_messages,
)
from evaluation.models import DecisionEntry, DecisionOutcome, DecisionState, VoteChoice
from evaluation.preconditions import (
    decision_session_refusal,
    open_voting_refusal,
    ranking_facts_refusal,
    vote_refusal,
)
from evaluation.ranking_pages import StoredRanking, ranking_error_text
from evaluation.services import decision as services
from evaluation.services import reserve
from evaluation.views.common import PAGE_SIZE
from minegap.core.mfa import require_recent_second_factor

#: Calls staff may open a session on (shown on the sessions page).
OPENABLE_STATES = (CallState.CLOSED, CallState.EVALUATING)


def open_session_refusal(call: Call, now) -> str | None:
    """What the service checks before opening a session on `call` (state, then ranking)."""
    refusal = decision_session_refusal(call, now)
    if refusal:
        return refusal
    summary = StoredRanking(call).summary
    if summary.error:
        return ranking_error_text(summary.error)
    return ranking_facts_refusal(
        pending=summary.pending, ranked=summary.count, not_evaluated=summary.not_evaluated
    )


class CommitteeView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """Committee members and staff."""

    permission_required = "evaluation.view_ranking"

    def get_session(self, pk: int):
        session = selectors.session_for_page(pk)
        if session is None:
            raise Http404
        return session

    def refuse(self, request: HttpRequest, form, to: str, **kwargs) -> HttpResponse:
        """The form's errors as messages, back to the page it came from."""
        for message in error_messages(form):
            messages.error(request, message)
        return redirect(to, **kwargs)

    def act(self, request: HttpRequest, pk: int, service, success, **kwargs) -> HttpResponse:
        """Run a service and go back to the session: a refusal becomes an error message (a
        permission refusal stays a 403), a success the `success` message (a callable is given
        the service's result)."""
        try:
            result = service(**kwargs)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, success(result) if callable(success) else success)
        return redirect("evaluation:committee-session", pk=pk)


class SessionListView(CommitteeView):
    def get(self, request: HttpRequest) -> HttpResponse:
        page = Paginator(selectors.sessions_list(), PAGE_SIZE).get_page(request.GET.get("page"))
        openable = []
        if request.user.has_perm("evaluation.manage"):
            now = timezone.now()
            openable = [
                (c, open_session_refusal(c, now))
                for c in Call.objects.exclude(state=CallState.DRAFT).order_by("-closes_at", "pk")[
                    :PAGE_SIZE
                ]
                if c.effective_state in OPENABLE_STATES
            ]
        return render(
            request,
            "evaluation/committee/sessions.html",
            {
                "page": page,
                "openable": openable,
                "default_quorum": selectors.default_quorum(),
            },
        )


class OpenSessionView(CommitteeView):
    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        call = get_object_or_404(Call, slug=slug)
        form = OpenSessionForm(request.POST)
        if not form.is_valid():
            return self.refuse(request, form, "evaluation:committee")
        try:
            session = services.open_decision_session(
                call=call,
                actor=request.user,
                quorum=form.cleaned_data["quorum"],
                meeting_date=form.cleaned_data["meeting_date"],
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("evaluation:committee")
        messages.success(request, _("Decision session opened."))
        return redirect("evaluation:committee-session", pk=session.pk)


class SessionView(CommitteeView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        session = self.get_session(pk)
        entries = selectors.session_entries(session)
        rows, line = selectors.budget_line(entries, session.call.total_budget)
        attendance = selectors.session_attendance(session)
        votes = selectors.session_votes(session)
        present_ids = {a.member_id for a in attendance}
        counts = selectors.Tally(
            present=len(attendance),
            votes_for=sum(v.choice == VoteChoice.FOR for v in votes),
            votes_against=sum(v.choice == VoteChoice.AGAINST for v in votes),
            abstentions=sum(v.choice == VoteChoice.ABSTAIN for v in votes),
            quorum=session.quorum,
        )
        user = request.user
        staff = user.has_perm("evaluation.manage")
        member = user.has_perm("evaluation.vote")
        own_vote = next((v for v in votes if v.member_id == user.pk), None)
        voted_ids = {v.member_id for v in votes}
        missing = sorted(
            (a.member for a in attendance if a.member_id not in voted_ids),
            key=lambda m: (m.full_name or m.email, m.pk),
        )
        context = {
            "session": session,
            "rows": rows,
            "line": line,
            "deviating": selectors.deviating_ids(entries),
            "problems": selectors.proposal_problems(entries, session.call.total_budget)
            if session.state == DecisionState.OPEN
            else [],
            "attendance": attendance,
            "votes": votes,
            "tally": counts,
            "staff": staff,
            "members": list(selectors.committee_members()) if staff else [],
            "present_ids": present_ids,
            "member": member,
            # The rules the services check: a button only when they allow it, else the reason.
            "vote_refusal": vote_refusal(session, user, present_ids) if member else None,
            "can_vote": member and vote_refusal(session, user, present_ids) is None,
            "open_refusal": open_voting_refusal(session, len(attendance), entries)
            if staff and session.state == DecisionState.OPEN
            else None,
            "missing": missing,
            # The consortium as submitted is awarded: staff are told of members gone since.
            "gone_members": selectors.funded_members_gone(entries)
            if staff and not session.is_adopted
            else [],
            "own_vote": own_vote,
            "outcomes": DecisionOutcome.choices,
            "choices": VoteChoice.choices,
            "min_reason": services.MIN_REASON,
            "moves": selectors.reserve_moves(session) if session.is_adopted else [],
            "verified": selectors.verify_decision(session) if session.is_adopted else None,
        }
        return render(request, "evaluation/committee/session.html", context)


class AttendanceView(CommitteeView):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        session = self.get_session(pk)
        form = AttendanceForm(request.POST)
        if not form.is_valid():
            return self.refuse(request, form, "evaluation:committee-session", pk=pk)
        return self.act(
            request,
            pk,
            services.record_attendance,
            _("Attendance recorded."),
            session=session,
            actor=request.user,
            present=list(form.cleaned_data["present"]),
        )


class ProposeView(CommitteeView):
    def post(self, request: HttpRequest, pk: int, entry_id: int) -> HttpResponse:
        session = self.get_session(pk)
        entry = get_object_or_404(DecisionEntry, session=session, pk=entry_id)
        form = ProposeForm(request.POST)
        if not form.is_valid():
            return self.refuse(request, form, "evaluation:committee-session", pk=pk)
        return self.act(
            request,
            pk,
            services.propose_outcome,
            _("Proposal updated."),
            entry=entry,
            outcome=form.cleaned_data["outcome"],
            reserve_position=form.cleaned_data["reserve_position"],
            reason=form.cleaned_data["reason"],
            actor=request.user,
        )


class VotingView(CommitteeView):
    """Staff: open the vote, return to the proposal (votes cleared) or close the session."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        session = self.get_session(pk)
        form = VotingForm(request.POST)
        if not form.is_valid():
            return self.refuse(request, form, "evaluation:committee-session", pk=pk)
        action = form.cleaned_data["action"]
        if action == "close":  # adopts the decision (or records that it was not)
            require_recent_second_factor(request)
        if action == "return":
            return self.act(
                request,
                pk,
                services.return_to_proposal,
                self.state_message,
                session=session,
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        if action == "close":
            return self.act(
                request,
                pk,
                services.close_session,
                self.state_message,
                session=session,
                actor=request.user,
                confirmed_missing=[m.pk for m in form.cleaned_data["confirm_missing"]],
            )
        return self.act(
            request,
            pk,
            services.open_voting,
            self.state_message,
            session=session,
            actor=request.user,
        )

    @staticmethod
    def state_message(session) -> str:
        session.refresh_from_db()
        return {
            DecisionState.OPEN: _("The session is back at the proposal stage; votes cleared."),
            DecisionState.VOTING: _("Voting is open."),
            DecisionState.ADOPTED: _("The decision is adopted."),
            DecisionState.NOT_ADOPTED: _("The decision was not adopted."),
        }[session.state]


class VoteView(CommitteeView):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        session = self.get_session(pk)
        form = VoteForm(request.POST)
        if not form.is_valid():
            return self.refuse(request, form, "evaluation:committee-session", pk=pk)
        return self.act(
            request,
            pk,
            services.cast_vote,
            _("Your vote is recorded."),
            session=session,
            member=request.user,
            choice=form.cleaned_data["choice"],
        )


class MinutesView(CommitteeView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        session = self.get_session(pk)
        if not request.user.has_perm("evaluation.view_minutes", session):
            raise PermissionDenied(
                _("Only staff and the members present at this session can read its minutes.")
            )
        if session.state not in (DecisionState.ADOPTED, DecisionState.NOT_ADOPTED):
            raise Http404
        if not session.minutes_pdf:
            tasks.render_minutes.delay(session.pk)
            session.refresh_from_db(fields=["minutes_pdf"])
            if not session.minutes_pdf:
                messages.info(request, _("The minutes are being prepared; try again shortly."))
                return redirect("evaluation:committee-session", pk=pk)
        return FileResponse(
            session.minutes_pdf.open("rb"),
            as_attachment=True,
            filename=f"{session.call.slug}-minutes-{session.meeting_date:%Y-%m-%d}.pdf",
            content_type="application/pdf",
        )


class VacateView(CommitteeView):
    """Staff: a selected application of a decided call leaves the funded list."""

    permission_required = "evaluation.manage"

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        call = get_object_or_404(Call, slug=slug)
        decision = selectors.adopted_decision(call)
        if decision is None:
            raise Http404
        page = Paginator(selectors.vacatable_applications(call), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        page.object_list = with_submitted_texts(page.object_list)
        return render(
            request,
            "evaluation/committee/vacate.html",
            {
                "call": call,
                "decision": decision,
                "page": page,
                "moves": selectors.reserve_moves(decision),
            },
        )

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        call = get_object_or_404(Call, slug=slug)
        form = VacateForm(request.POST, call=call)
        if not form.is_valid():
            if "application" in form.errors:  # not a selected application of this call
                raise Http404
            return self.refuse(request, form, "evaluation:committee-vacate", slug=slug)
        application = form.cleaned_data["application"]
        try:
            move = reserve.vacate_selection(
                application=application, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("evaluation:committee-vacate", slug=slug)
        if move is not None and move.promoted is not None:
            messages.success(
                request,
                _("%(vacated)s left the funded list; %(promoted)s moved up from the reserve.")
                % {"vacated": application.reference, "promoted": move.promoted.reference},
            )
        else:
            messages.warning(
                request,
                _("%(vacated)s left the funded list; no reserve fitted the budget now free.")
                % {"vacated": application.reference},
            )
        return redirect("evaluation:committee-vacate", slug=slug)
