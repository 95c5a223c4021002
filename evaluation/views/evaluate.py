"""The evaluator's area (/evaluate/): their proposals, the conflict declaration, scoring."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from calls.downloads import file_download
from calls.models import Attachment
from evaluation import selectors
from evaluation.forms_committee import error_messages
from evaluation.forms_evaluate import (
    ActionForm,
    ConflictForm,
    ConsensusAnswerForm,
    ConsensusProposalForm,
    ScoreSheetForm,
)
from evaluation.models import AssignmentState, Consensus
from evaluation.services.assignment import declare_conflict
from evaluation.services.consensus import answer_consensus, propose_consensus
from evaluation.services.scoring import save_scores
from evaluation.views.evaluators import EvaluatorAreaView


def _criterion_ids(assignment) -> list[int]:
    """The call's criteria, whose posted fields a score or consensus form carries (not the
    whole proposal view: the services check the assignment's state themselves)."""
    return list(assignment.application.call.criteria.values_list("pk", flat=True))


class EvaluatorHomeView(EvaluatorAreaView):
    def get(self, request: HttpRequest) -> HttpResponse:
        rows = selectors.evaluator_rows(request.user)
        return render(request, "evaluation/evaluate/home.html", {"rows": rows})


class AssignmentView(EvaluatorAreaView):
    """One assigned proposal: declare first, then read and score. 404 for anyone else's."""

    def get_assignment(self, request, pk):
        assignment = selectors.readable_assignment(request.user, pk)
        if assignment is None:
            raise Http404
        return assignment

    def render_page(self, request, assignment, errors=None, posted=None) -> HttpResponse:
        proposal = selectors.proposal_view(assignment)
        posted = posted or {}
        sheet = [
            {
                "score": s,
                "value": posted.get(
                    f"score-{s.criterion_id}", s.value if s.value is not None else ""
                ),
                "justification": posted.get(f"justification-{s.criterion_id}", s.justification),
                "errors": (errors or {}).get(str(s.criterion_id), []),
            }
            for s in proposal.my_scores
        ]
        return render(
            request,
            "evaluation/evaluate/assignment.html",
            {
                "proposal": proposal,
                "consensus": selectors.consensus_view(assignment),
                "sheet": sheet,
                "errors": errors or {},
                "locked": assignment.state == AssignmentState.SCORED,
            },
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render_page(request, self.get_assignment(request, pk))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        assignment = self.get_assignment(request, pk)
        chosen = ActionForm(request.POST)
        if not chosen.is_valid():
            return self.refuse(request, chosen, pk)
        action = chosen.cleaned_data["action"]
        try:
            if action in ("no_conflict", "conflict"):
                form = ConflictForm(request.POST)
                if not form.is_valid():
                    return self.refuse(request, form, pk)
                declare_conflict(
                    assignment=assignment,
                    actor=request.user,
                    conflict=action == "conflict",
                    note=form.cleaned_data["note"],
                )
                if action == "conflict":
                    messages.success(
                        request, _("Conflict declared: the proposal goes back to the pool.")
                    )
                    return redirect("evaluation:evaluator-home")
                return redirect("evaluation:assignment", pk=pk)
            if action in ("consensus_propose", "consensus_answer"):
                try:
                    return self.consensus_action(request, assignment, action)
                except ValidationError as error:
                    messages.error(request, " ".join(error.messages))
                    return redirect("evaluation:assignment", pk=pk)
            form = ScoreSheetForm(request.POST, criterion_ids=_criterion_ids(assignment))
            if not form.is_valid():
                return self.refuse(request, form, pk)
            save_scores(
                assignment=assignment,
                actor=request.user,
                scores=form.scores(),
                submit=action == "submit",
            )
            messages.success(
                request, _("Scores submitted.") if action == "submit" else _("Draft saved.")
            )
            return redirect("evaluation:assignment", pk=pk)
        except PermissionDenied as error:
            messages.error(request, str(error))
        except ValidationError as error:
            assignment.refresh_from_db()
            if hasattr(error, "error_dict"):
                errors = {
                    k: [str(m) for e in v for m in e.messages] for k, v in error.error_dict.items()
                }
                return self.render_page(request, assignment, errors=errors, posted=request.POST)
            messages.error(request, " ".join(error.messages))
        return redirect("evaluation:assignment", pk=pk)

    @staticmethod
    def refuse(request: HttpRequest, form, pk: int) -> HttpResponse:
        for message in error_messages(form):
            messages.error(request, message)
        return redirect("evaluation:assignment", pk=pk)

    def consensus_action(self, request, assignment, action) -> HttpResponse:
        consensus = get_object_or_404(Consensus, application_id=assignment.application_id)
        if action == "consensus_answer":
            form = ConsensusAnswerForm(request.POST)
            if not form.is_valid():
                return self.refuse(request, form, assignment.pk)
            answer_consensus(
                consensus=consensus,
                actor=request.user,
                agreed=form.cleaned_data["agreed"],
                comment=form.cleaned_data["comment"],
            )
            messages.success(request, _("Answer recorded."))
        else:
            form = ConsensusProposalForm(request.POST, criterion_ids=_criterion_ids(assignment))
            if not form.is_valid():
                return self.refuse(request, form, assignment.pk)
            propose_consensus(
                consensus=consensus,
                actor=request.user,
                scores=form.scores(),
                comment=form.cleaned_data["comment"],
            )
            messages.success(request, _("Consensus proposed to the other evaluators."))
        return redirect("evaluation:assignment", pk=assignment.pk)


def attachment_download(request: HttpRequest, pk: int, attachment_id: int) -> FileResponse:
    """An attachment of an assigned proposal, under its blind name when the call is blind."""
    if not request.user.has_perm("evaluation.evaluate"):  # anonymous included
        raise Http404
    assignment = selectors.readable_assignment(request.user, pk)
    if assignment is None or not request.user.has_perm(
        "evaluation.read_proposal", assignment.application
    ):
        raise Http404
    proposal = selectors.proposal_view(assignment)
    view = next((a for a in proposal.attachments if a.id == attachment_id), None)
    if view is None:
        raise Http404
    attachment = get_object_or_404(Attachment, pk=attachment_id)
    return file_download(attachment.file, name=view.file_name, kind=attachment.kind)
