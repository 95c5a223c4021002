"""Assignment of evaluators: the optimal automatic assignment, changes by hand, declarations.

The only module (with its task) that imports the solver (`evaluation.assignment`, OR-Tools).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import roles
from accounts.models import Membership, User
from calls.models import Application, ApplicationState, Call, ConsortiumMember
from calls.records import SubmittedProfile, submitted_profiles
from calls.results_cache import results_changed
from calls.services import application_transition, applications_transition
from evaluation.assignment import (
    AssignmentProblem,
    AssignmentResult,
    EvaluatorSpec,
    InvalidProblem,
    ProposalSpec,
    exclusion,
    match_score,
    result_messages,
    solve,
)
from evaluation.models import (
    Assignment,
    AssignmentRun,
    AssignmentRunStage,
    AssignmentRunStatus,
    AssignmentState,
    CallEvaluationSettings,
    ConflictDeclaration,
    EvaluatorProfile,
)
from evaluation.models.runs import RUN_STAGE_SECONDS, run_stage_key
from evaluation.preconditions import ASSIGNABLE_STATES, auto_assignment_refusal
from evaluation.proposal_tags import proposal_tagger
from evaluation.rules import has_accepted_declaration
from evaluation.selectors_assignment import active_evaluators
from evaluation.services.assignment_rows import insert_proposed
from evaluation.services.common import require_staff
from minegap.ledger.services import record
from minegap.notifications.services import enqueue


@dataclass(frozen=True)
class AutoAssignmentOutcome:
    result: AssignmentResult
    created: int
    messages: tuple[str, ...]


def _pool(call: Call, extra_user_ids: set[int]) -> list[EvaluatorProfile]:
    """Evaluators who accepted the declaration, plus those already assigned in the call."""
    return list(
        EvaluatorProfile.objects.filter(
            Q(user__in=active_evaluators()) | Q(user_id__in=extra_user_ids),
            user__is_active=True,
        )
        .distinct()
        .select_related("user")
        .prefetch_related("expertise")
        .annotate(
            other_load=Count(
                "user__assignments",
                filter=Q(user__assignments__state__in=AssignmentState.active())
                & ~Q(user__assignments__application__call=call),
            )
        )
        .order_by("pk")
    )


def _evaluator_spec(profile: EvaluatorProfile, manual_count: int) -> EvaluatorSpec:
    return EvaluatorSpec(
        id=profile.user_id,
        max_load=max(profile.max_proposals - profile.other_load, manual_count, 0),
        country=profile.country,
        employer_id=profile.employer_id,
        expertise={row.tag: row.weight for row in profile.expertise.all()},
        label=profile.user.full_name or profile.user.email,
    )


def _proposal_spec(
    application: Application,
    live: list[tuple[int, str]],
    profile: SubmittedProfile,
    reviewers: int,
    tags: Callable[[Iterable[str]], frozenset[str]],
) -> ProposalSpec:
    """Conflicts count the submitted consortium and anyone in the live one (`live`: its
    members' organisations and their countries; a partner that joined or left after the last
    submission still keeps its people away); the expertise is matched on the submitted texts."""
    return ProposalSpec(
        id=application.pk,
        reviewers=reviewers,
        countries=frozenset(country for _o, country in live)
        | frozenset(country for _o, country in profile.members),
        organisation_ids=frozenset(o for o, _c in live) | frozenset(o for o, _c in profile.members),
        expertise=tags(profile.texts),
        label=application.reference or str(application.pk),
    )


def _live_consortia(applications: list[Application]) -> dict[int, list[tuple[int, str]]]:
    """application id -> (organisation id, country) of each member of its live consortium, in
    one query of three columns (no model instances: 2,000 applications have 5,000 members)."""
    consortia: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for application_id, organisation_id, country in ConsortiumMember.objects.filter(
        application__in=[a.pk for a in applications], organisation__isnull=False
    ).values_list("application_id", "organisation_id", "organisation__country"):
        consortia[application_id].append((organisation_id, country))
    return consortia


def build_problem(call: Call) -> AssignmentProblem:
    """The call's assignment problem as the database says it now.

    Every active assignment of the call (by hand, or accepted from an earlier run) is kept as a
    manual choice; declined ones (declared conflicts) and memberships of an evaluator in a
    consortium organisation are forbidden pairs.
    """
    applications = list(
        Application.objects.filter(call=call, state__in=ASSIGNABLE_STATES)
        .only("pk", "call_id", "state", "reference")
        .order_by("pk")
    )
    live = _live_consortia(applications)
    submitted = submitted_profiles(applications)
    existing = list(
        Assignment.objects.filter(application__call=call).values_list(
            "application_id", "evaluator_id", "state"
        )
    )
    manual = {(a, e) for a, e, state in existing if state in AssignmentState.active()}
    forbidden = {(a, e) for a, e, state in existing if state == AssignmentState.DECLINED}
    per_application: dict[int, int] = defaultdict(int)
    per_evaluator: dict[int, int] = defaultdict(int)
    for a, e in manual:
        per_application[a] += 1
        per_evaluator[e] += 1
    profiles = _pool(call, {e for _a, e in manual})
    user_ids = [p.user_id for p in profiles]
    organisations_by_user: dict[int, set[int]] = defaultdict(set)
    for user_id, organisation_id in Membership.objects.filter(user_id__in=user_ids).values_list(
        "user_id", "organisation_id"
    ):
        organisations_by_user[user_id].add(organisation_id)
    tags = proposal_tagger(call)
    proposals = [
        _proposal_spec(
            application,
            live[application.pk],
            submitted[application.pk],
            max(call.evaluators_per_proposal, per_application[application.pk]),
            tags,
        )
        for application in applications
    ]
    for proposal in proposals:
        for user_id, organisation_ids in organisations_by_user.items():
            if organisation_ids & proposal.organisation_ids:
                forbidden.add((proposal.id, user_id))
    known = {p.id for p in proposals}
    return AssignmentProblem(
        proposals=tuple(proposals),
        evaluators=tuple(_evaluator_spec(p, per_evaluator[p.user_id]) for p in profiles),
        manual=frozenset(pair for pair in manual if pair[0] in known),
        forbidden=frozenset(forbidden - manual),
        exclude_same_country=CallEvaluationSettings.for_call(call).exclude_same_country,
    )


def _no_progress(stage: str) -> None:
    """`run_auto_assignment` called without a run to tell."""


def run_auto_assignment(
    *, call: Call, actor: User, progress: Callable[[str], None] = _no_progress
) -> AutoAssignmentOutcome:
    """Assign N evaluators to every eligible application, optimally, keeping manual choices.

    All or nothing: when no feasible assignment exists nothing is saved and the messages say
    exactly what is missing. `progress` is told each stage (`AssignmentRunStage`) as it starts.
    Staff run it through `request_auto_assignment` (a Celery task): at 2,000 applications it
    takes longer than a request should.
    """
    require_staff(actor)
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        refusal = auto_assignment_refusal(call)
        if refusal:
            raise ValidationError(refusal)
        progress(AssignmentRunStage.READING)
        problem = build_problem(call)
        progress(AssignmentRunStage.SOLVING)
        try:
            result = solve(problem)
        except InvalidProblem as error:
            raise ValidationError(list(error.errors)) from None
        if not result.feasible:
            return AutoAssignmentOutcome(result, 0, tuple(result_messages(result)))
        progress(AssignmentRunStage.WRITING)
        new = [a for a in result.assignments if not a.manual]
        results_changed(call.pk)  # evaluators needed per application
        insert_proposed(pairs=new, created_by=actor)
        applications_transition(
            call=call,
            from_state=ApplicationState.ELIGIBLE,
            to_state=ApplicationState.UNDER_EVALUATION,
            actor=actor,
            reason=_("Evaluators assigned."),
        )
        evaluator_ids = sorted({a.evaluator_id for a in new})
        enqueue(
            template="evaluation/new_assignments",
            subject=_("New proposals to evaluate on MineGap"),
            recipients=list(User.objects.filter(pk__in=evaluator_ids).order_by("pk")),
            context={"call": call.title},
        )
        record(
            action="evaluation.assignment.automatic",
            target=call,
            actor=actor,
            data={
                "created": len(new),
                "kept": len(problem.manual),
                "total_match": result.total_match,
                "load_penalty": result.load_penalty,
                "objective": result.objective,
                "pairs": [[a.proposal_id, a.evaluator_id, a.score] for a in new],
            },
        )
    return AutoAssignmentOutcome(result, len(new), ())


def perform_assignment_run(*, run_id: int) -> AssignmentRun | None:
    """The task's work: run the automatic assignment a staff member asked for
    (`request_auto_assignment`), telling the page its stage through the cache, and keep the
    outcome on the run (assignments made, or why none was). A run already taken (a second
    delivery of the task) is left alone: returns None. An unexpected error marks the run failed,
    with a ledger entry, and is raised again for the worker's log."""
    with transaction.atomic():
        run = (
            AssignmentRun.objects.select_for_update(of=("self",))
            .select_related("call", "requested_by")
            .filter(pk=run_id, status=AssignmentRunStatus.QUEUED)
            .first()
        )
        if run is None:
            return None
        run.status = AssignmentRunStatus.RUNNING
        run.started_at = timezone.now()
        run.save(update_fields=["status", "started_at"])
    key = run_stage_key(run.pk)

    def progress(stage: str) -> None:
        cache.set(key, str(stage), timeout=RUN_STAGE_SECONDS)

    try:
        outcome = run_auto_assignment(call=run.call, actor=run.requested_by, progress=progress)
    except (ValidationError, PermissionDenied) as error:
        problems = list(getattr(error, "messages", [str(error)]))
        _finish(run, AssignmentRunStatus.DONE, problems=problems)
    except Exception:
        with transaction.atomic():
            _finish(run, AssignmentRunStatus.FAILED, problems=[])
            record(
                action="evaluation.assignment.failed",
                target=run.call,
                actor=None,
                data={"run": run.pk},
            )
        raise
    else:
        _finish(
            run,
            AssignmentRunStatus.DONE,
            problems=list(outcome.messages),
            created=outcome.created if outcome.result.feasible else None,
            total_match=outcome.result.total_match if outcome.result.feasible else None,
        )
    finally:
        cache.delete(key)
    return run


def _finish(run: AssignmentRun, status: str, *, problems: list[str], **figures) -> None:
    run.status = status
    run.problems = problems
    run.finished_at = timezone.now()
    for name, value in figures.items():
        setattr(run, name, value)
    run.save(update_fields=["status", "problems", "finished_at", *figures])


def add_assignment(*, application: Application, evaluator: User, actor: User) -> Assignment:
    """Staff assign an evaluator by hand (an extra evaluator too); the solver keeps it."""
    require_staff(actor)
    with transaction.atomic():
        application = (
            Application.objects.select_for_update(of=("self",))
            .select_related("call")
            .get(pk=application.pk)
        )
        if application.state not in ASSIGNABLE_STATES:
            raise ValidationError(_("Only eligible applications under evaluation take evaluators."))
        if Assignment.objects.filter(application=application, evaluator=evaluator).exists():
            raise ValidationError(_("This evaluator is already assigned or declined it."))
        problem = build_problem(application.call)
        proposal = next(p for p in problem.proposals if p.id == application.pk)
        profile = (
            EvaluatorProfile.objects.filter(user=evaluator, user__groups__name=roles.EVALUATOR)
            .prefetch_related("expertise")
            .annotate(
                other_load=Count(
                    "user__assignments",
                    filter=Q(user__assignments__state__in=AssignmentState.active()),
                )
            )
            .first()
        )
        if profile is None or not has_accepted_declaration(evaluator):
            raise ValidationError(
                _("This person is not an evaluator who accepted the declaration.")
            )
        spec = _evaluator_spec(profile, 0)
        reason = exclusion(
            proposal,
            spec,
            forbidden=problem.forbidden,
            exclude_same_country=problem.exclude_same_country,
        )
        if reason is not None:
            raise ValidationError(
                _("This evaluator cannot review this application (%(reason)s).")
                % {"reason": reason.value}
            )
        if profile.other_load >= profile.max_proposals:
            raise ValidationError(_("This evaluator has reached their maximum load."))
        score, matched = match_score(proposal, spec)
        results_changed(application.call_id)  # one more evaluator needed
        assignment = Assignment.objects.create(
            application=application,
            evaluator=evaluator,
            match_score=score,
            matched_expertise=list(matched),
            manual=True,
            created_by=actor,
        )
        if application.state == ApplicationState.ELIGIBLE:
            application_transition(
                application=application,
                to_state=ApplicationState.UNDER_EVALUATION,
                actor=actor,
                reason=_("Evaluators assigned."),
            )
        enqueue(
            template="evaluation/new_assignments",
            subject=_("New proposals to evaluate on MineGap"),
            recipients=[evaluator],
            context={"call": application.call.title},
        )
        record(
            action="evaluation.assignment.added",
            target=assignment,
            actor=actor,
            data={"application": application.pk, "evaluator": evaluator.pk, "match": score},
        )
    return assignment


def remove_assignment(*, assignment: Assignment, actor: User) -> None:
    """Staff take an evaluator off an application (not once their scores are submitted)."""
    require_staff(actor)
    with transaction.atomic():
        assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
        if assignment.state == AssignmentState.SCORED:
            raise ValidationError(_("Submitted scores cannot be removed: reopen them first."))
        data = {
            "application": assignment.application_id,
            "evaluator": assignment.evaluator_id,
            "state": assignment.state,
        }
        record(
            action="evaluation.assignment.removed",
            target=assignment.application,
            actor=actor,
            data=data,
        )
        results_changed(assignment.application.call_id)  # one evaluator fewer needed
        assignment.delete()


def release_open_assignments(*, evaluator: User) -> int:
    """The evaluator leaves the platform (erasure on request): their assignments still open
    (proposed, or accepted and not submitted) are removed, each with a ledger entry, so their
    applications go back to the pool and staff assign someone else. Submitted scores and declared
    conflicts stay: they are records. Returns how many were removed."""
    with transaction.atomic():
        open_assignments = list(
            Assignment.objects.select_for_update()
            .filter(
                evaluator=evaluator,
                state__in=[AssignmentState.PROPOSED, AssignmentState.ACCEPTED],
            )
            .select_related("application")
            .order_by("pk")
        )
        for assignment in open_assignments:
            record(
                action="evaluation.assignment.released",
                target=assignment.application,
                actor=evaluator,
                data={
                    "application": assignment.application_id,
                    "evaluator": evaluator.pk,
                    "state": assignment.state,
                },
            )
            results_changed(assignment.application.call_id)  # one evaluator fewer needed
            assignment.delete()
    return len(open_assignments)


def declare_conflict(
    *, assignment: Assignment, actor: User, conflict: bool, note: str = ""
) -> Assignment:
    """The evaluator declares, BEFORE reading the proposal, a conflict of interest or none.

    No conflict: the assignment is accepted and the proposal opens. Conflict: it is declined,
    the pair is forbidden from then on, and the application goes back to the pool.
    """
    with transaction.atomic():
        assignment = (
            Assignment.objects.select_for_update(of=("self",))
            .select_related("evaluator__evaluator_profile")
            .get(pk=assignment.pk)
        )
        if assignment.evaluator_id != actor.pk:
            raise PermissionDenied(_("This is not your assignment."))
        if not has_accepted_declaration(assignment.evaluator):
            raise PermissionDenied(_("Accept the evaluator's declaration first."))
        if assignment.state != AssignmentState.PROPOSED:
            raise ValidationError(_("You already declared for this proposal."))
        note = (note or "").strip()
        if conflict and not note:
            raise ValidationError(_("Say briefly what the conflict is (kept confidential)."))
        assignment.declaration = (
            ConflictDeclaration.CONFLICT if conflict else ConflictDeclaration.NO_CONFLICT
        )
        assignment.state = AssignmentState.DECLINED if conflict else AssignmentState.ACCEPTED
        assignment.declaration_note = note
        assignment.declared_at = timezone.now()
        assignment.save(update_fields=["declaration", "state", "declaration_note", "declared_at"])
        results_changed(assignment.application.call_id)  # a declined one is no longer needed
        record(
            action="evaluation.assignment.conflict_declared"
            if conflict
            else "evaluation.assignment.accepted",
            target=assignment,
            actor=actor,
            data={"application": assignment.application_id, "conflict": conflict},
        )
    return assignment


def update_evaluation_settings(
    *, call: Call, actor: User, exclude_same_country: bool, share_scores_after_submission: bool
) -> CallEvaluationSettings:
    """Staff change the call's evaluation rules (logged)."""
    require_staff(actor)
    with transaction.atomic():
        settings, _created = CallEvaluationSettings.objects.select_for_update().get_or_create(
            call=call
        )
        names = ("exclude_same_country", "share_scores_after_submission")
        before = {name: getattr(settings, name) for name in names}
        settings.exclude_same_country = exclude_same_country
        settings.share_scores_after_submission = share_scores_after_submission
        settings.save()
        record(
            action="evaluation.settings.changed",
            target=call,
            actor=actor,
            data={"before": before, "after": {name: getattr(settings, name) for name in names}},
        )
    return settings
