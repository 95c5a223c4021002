"""Reads of the evaluation app. What evaluators see is built here, as view-models.

Blind evaluation is enforced in this module, not in templates: when the call runs blind, the
view-models evaluators receive carry no organisation or person name. Free text written by the
applicants (title, summary, answers) has every name of the consortium's organisations and
people replaced, and attachments get generated file names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.db import DEFAULT_DB_ALIAS
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from accounts.models import Membership
from calls.models import Application, Call, Criterion
from calls.records import ApplicationRecord, RecordAttachment, last_submitted_record
from calls.selectors import submitted_records, submitted_text_fields
from evaluation.models import (
    Assignment,
    AssignmentState,
    CallEvaluationSettings,
    Consensus,
    ConsensusState,
    Score,
)
from minegap.core.addresses import id_url
from minegap.core.compiled_queries import LARGEST_ID, CompiledQuery, model_columns

WITHHELD = "[…]"


@dataclass(frozen=True)
class MemberView:
    role: str
    country: str
    is_lead: bool
    name: str | None  # None when blind


@dataclass(frozen=True)
class AttachmentView:
    id: int
    label: str
    file_name: str
    kind: str
    size: int


@dataclass(frozen=True)
class AnswerView:
    question: str
    text: str


@dataclass(frozen=True)
class ScoreView:
    criterion_id: int
    criterion: str
    max_score: Decimal
    value: Decimal | None
    justification: str


@dataclass(frozen=True)
class OtherSheet:
    label: str  # "Evaluator 2": never a name
    scores: tuple[ScoreView, ...]


@dataclass(frozen=True)
class AssignmentRow:
    id: int
    reference: str
    call_title: str
    title: str  # empty until the evaluator declared no conflict
    state: str
    state_label: str
    match_score: int
    submitted_at: object
    url: str  # its scoring page


@dataclass(frozen=True)
class ProposalView:
    assignment_id: int
    state: str
    blind: bool
    reference: str
    call_title: str
    title: str
    acronym: str
    summary: str
    voucher_type: str
    members: tuple[MemberView, ...]
    answers: tuple[AnswerView, ...]
    attachments: tuple[AttachmentView, ...]
    my_scores: tuple[ScoreView, ...]
    others: tuple[OtherSheet, ...] = field(default=())


def _names(record: ApplicationRecord, memberships: list[Membership]) -> list[str]:
    """Every organisation and person name tied to the submitted consortium, longest first."""
    names: set[str] = set()
    for member in record.members:
        names |= {member.legal_name, member.organisation.legal_name}
        names.add(member.organisation.short_name)
    for membership in memberships:
        names |= {membership.user.full_name, membership.user.email}
    return sorted((n for n in names if n and len(n.strip()) > 1), key=len, reverse=True)


def _redactor(record: ApplicationRecord, memberships: list[Membership], blind: bool):
    if not blind:
        return lambda text: text
    names = _names(record, memberships)
    if not names:
        return lambda text: text
    pattern = re.compile("|".join(re.escape(n) for n in names), re.IGNORECASE)
    return lambda text: pattern.sub(WITHHELD, text or "")


def _memberships(records: list[ApplicationRecord]) -> dict[int, list[Membership]]:
    """organisation id -> its memberships with their people's names (nothing else of the
    users: no password hash), for the records' organisations."""
    ids = {i for r in records for i in r.organisation_ids}
    by_organisation: dict[int, list[Membership]] = {}
    memberships = (
        Membership.objects.filter(organisation_id__in=ids)
        .select_related("user")
        .only("organisation_id", "user__full_name", "user__email")
    )
    for membership in memberships:
        by_organisation.setdefault(membership.organisation_id, []).append(membership)
    return by_organisation


def _record_redactor(record, memberships: dict[int, list[Membership]], blind: bool):
    people = [m for i in sorted(record.organisation_ids) for m in memberships.get(i, [])]
    return _redactor(record, people, blind)


def evaluator_assignments(user) -> QuerySet[Assignment]:
    """The evaluator's assignments that are visible to them (declined ones are gone)."""
    return (
        Assignment.objects.filter(evaluator=user)
        .exclude(state=AssignmentState.DECLINED)
        .select_related("application__call")
        .order_by("application__call_id", "application__reference", "pk")
    )


# What the evaluator's list shows, and no more (no call texts, no application texts, no model
# instance: 50 rows of three models cost more to build than their query).
ROW_COLUMNS = (
    "pk",
    "state",
    "match_score",
    "submitted_at",
    "application_id",
    "application__state",
    "application__reference",
    "application__call__title",
    "application__call__blind_evaluation",
    "submitted_title",
)
# Built and compiled once per process: only the evaluator changes (issue #15: building and
# compiling it cost the page more than running it).
_EVALUATOR_ROWS = CompiledQuery(
    lambda evaluator: (
        evaluator_assignments(evaluator)
        .annotate(submitted_title=submitted_text_fields("application")["submitted_title"])
        .values_list(*ROW_COLUMNS)
    ),
    "evaluator",
)


def evaluator_rows(user) -> list[AssignmentRow]:
    """The evaluator's list, in one query whatever its length. The submitted title comes with
    the rows (in SQL); the consortium's names, which only a blind call's redaction needs, are
    read for the blind calls' readable proposals only (three queries more)."""
    readable_states = (AssignmentState.ACCEPTED, AssignmentState.SCORED)
    rows = _EVALUATOR_ROWS.rows(evaluator=user.pk)
    redactors = _blind_redactors(
        [(row[4], row[5]) for row in rows if row[8] and row[1] in readable_states]
    )
    labels = {state: str(label) for state, label in AssignmentState.choices}
    url = id_url("evaluation:assignment")
    result = []
    for pk, state, match, submitted_at, application_id, _s, reference, call, blind, title in rows:
        if state not in readable_states:
            title = ""
        elif blind:
            title = redactors[application_id](title)
        result.append(
            AssignmentRow(
                id=pk,
                reference=reference or "",
                call_title=call,
                title=title,
                state=state,
                state_label=labels[state],
                match_score=match,
                submitted_at=submitted_at,
                url=url(pk),
            )
        )
    return result


def _blind_redactors(applications: list[tuple[int, str]]) -> dict:
    """application id -> the redaction of its consortium's names, for the (id, state) of blind
    calls' proposals."""
    if not applications:
        return {}
    # What `submitted_records` reads of an application: its id, and its state when it has no
    # version (the other fields stay deferred: loaded only if read).
    records = submitted_records(
        Application.from_db(DEFAULT_DB_ALIAS, ["id", "state"], row) for row in applications
    )
    memberships = _memberships(list(records.values()))
    return {pk: _record_redactor(record, memberships, True) for pk, record in records.items()}


class CriterionRow(NamedTuple):
    """What a sheet shows of a criterion."""

    pk: int
    name: str
    max_score: Decimal


class ScoreRow(NamedTuple):
    criterion_id: int
    value: Decimal | None
    justification: str


# Built and compiled once per process (only the id changes): a scoring page read them with
# the ORM at ten times the cost of running them.
_CRITERIA = CompiledQuery(
    lambda call: Criterion.objects.filter(call=call).values_list(*CriterionRow._fields), "call"
)
_SCORES = CompiledQuery(
    lambda assignment: (
        Score.objects.filter(assignment=assignment).order_by().values_list(*ScoreRow._fields)
    ),
    "assignment",
)


def call_criteria(call_id: int) -> list[CriterionRow]:
    """The call's criteria, in their order."""
    return [CriterionRow(*row) for row in _CRITERIA.rows(call=call_id)]


def _score_views(
    criteria: list[CriterionRow], scores: list, text: str = "justification"
) -> tuple[ScoreView, ...]:
    """One view a criterion; `text` names the score's written field (a consensus score's is
    its comment)."""
    by_criterion = {s.criterion_id: s for s in scores}
    return tuple(
        ScoreView(
            criterion_id=c.pk,
            criterion=c.name,
            max_score=c.max_score,
            value=by_criterion[c.pk].value if c.pk in by_criterion else None,
            justification=getattr(by_criterion[c.pk], text) if c.pk in by_criterion else "",
        )
        for c in criteria
    )


def attachment_file_name(application: Application, attachment: RecordAttachment, index: int) -> str:
    return f"{application.reference}-{index}.{attachment.kind}"


#: What the scoring page and the services read of an assignment, its application and its call
#: (the call's and the live application's texts are never shown: the record's are).
ASSIGNMENT_FIELDS = model_columns(
    Assignment, "id", "application_id", "evaluator_id", "state", "submitted_at"
)
APPLICATION_FIELDS = model_columns(Application, "id", "call_id", "reference", "state")
CALL_FIELDS = model_columns(Call, "id", "title", "blind_evaluation")
READABLE_FIELDS = (
    *ASSIGNMENT_FIELDS,
    *(f"application__{name}" for name in APPLICATION_FIELDS),
    *(f"application__call__{name}" for name in CALL_FIELDS),
)
# Built and compiled once per process: only the two ids change.
_READABLE = CompiledQuery(
    lambda assignment, evaluator: (
        Assignment.objects.filter(pk=assignment, evaluator=evaluator)
        .exclude(state=AssignmentState.DECLINED)
        .order_by()
        .values_list(*READABLE_FIELDS)
    ),
    "assignment",
    "evaluator",
)


def readable_assignment(user, assignment_id: int) -> Assignment | None:
    """The assignment when `user` may open it (theirs, not declined), else None: with its
    application and call, as `select_related` and `only` would give them (the other fields
    deferred, read if asked for; the services lock and read the assignment again)."""
    if not 0 < assignment_id <= LARGEST_ID:  # what the ORM answers without asking the database
        return None
    row = _READABLE.first(assignment=assignment_id, evaluator=user.pk)
    if row is None:
        return None
    a, b = len(ASSIGNMENT_FIELDS), len(ASSIGNMENT_FIELDS) + len(APPLICATION_FIELDS)
    assignment = Assignment.from_db(DEFAULT_DB_ALIAS, ASSIGNMENT_FIELDS, row[:a])
    application = Application.from_db(DEFAULT_DB_ALIAS, APPLICATION_FIELDS, row[a:b])
    application.call = Call.from_db(DEFAULT_DB_ALIAS, CALL_FIELDS, row[b:])
    assignment.application = application
    return assignment


def proposal_view(assignment: Assignment) -> ProposalView:
    """What the evaluator sees of the assigned proposal: its last submitted version, never
    edits made after it without submitting again.

    Before the conflict declaration: the reference and the consortium (its organisations'
    names unless the call is blind, their roles and countries) only. The consortium's people
    are read only when a blind call's texts need redacting; the other evaluators' sheets and
    the call's sharing setting only once this evaluator submitted.
    """
    application = assignment.application
    call = application.call
    blind = call.blind_evaluation
    record = last_submitted_record(application)
    readable = assignment.state in (AssignmentState.ACCEPTED, AssignmentState.SCORED)
    members = tuple(
        MemberView(
            role=m.role_label,
            country=m.country,
            is_lead=m.is_lead,
            name=None if blind else m.legal_name,
        )
        for m in record.members
    )
    if not readable:
        return ProposalView(
            assignment_id=assignment.pk,
            state=assignment.state,
            blind=blind,
            reference=application.reference or "",
            call_title=call.title,
            title="",
            acronym="",
            summary="",
            voucher_type="",
            # The organisations' names (as submitted) unless the call is blind: no one can
            # judge a conflict of interest from countries alone.
            members=members,
            answers=(),
            attachments=(),
            my_scores=(),
        )
    redact = _record_redactor(record, _memberships([record]) if blind else {}, blind)
    criteria = call_criteria(call.pk)
    answers = tuple(AnswerView(question=a.label, text=redact(a.text)) for a in record.answers)
    attachments = tuple(
        AttachmentView(
            id=a.id,
            label=a.requirement,
            file_name=attachment_file_name(application, a, i) if blind else a.name,
            kind=a.kind,
            size=a.size,
        )
        for i, a in enumerate(record.attachments, start=1)
    )
    return ProposalView(
        assignment_id=assignment.pk,
        state=assignment.state,
        blind=blind,
        reference=application.reference or "",
        call_title=call.title,
        title=redact(record.title),
        acronym=redact(record.acronym),
        summary=redact(record.summary),
        voucher_type=record.voucher_type.name if record.voucher_type else "",
        members=members,
        answers=answers,
        attachments=attachments,
        my_scores=_score_views(
            criteria, [ScoreRow(*row) for row in _SCORES.rows(assignment=assignment.pk)]
        ),
        others=_other_sheets(assignment, call, criteria),
    )


def _other_sheets(assignment: Assignment, call, criteria: list[CriterionRow]) -> tuple:
    """The other evaluators' submitted sheets, once this evaluator's own are submitted and if
    the call shares them ("Evaluator 2": never a name)."""
    if assignment.state != AssignmentState.SCORED:
        return ()
    if not CallEvaluationSettings.for_call(call).share_scores_after_submission:
        return ()
    sheets = (
        Assignment.objects.filter(application_id=assignment.application_id)
        .exclude(pk=assignment.pk)
        .filter(state=AssignmentState.SCORED)
        .prefetch_related("scores")
        .order_by("pk")
    )
    return tuple(
        OtherSheet(
            label=_("Evaluator %(n)d") % {"n": i},
            scores=_score_views(criteria, list(sheet.scores.all())),
        )
        for i, sheet in enumerate(sheets, start=1)
    )


@dataclass(frozen=True)
class ConsensusAnswerView:
    label: str
    agreed: bool
    comment: str


@dataclass(frozen=True)
class ConsensusView:
    id: int
    state: str
    state_label: str
    is_rapporteur: bool
    comment: str
    scores: tuple[ScoreView, ...]
    answers: tuple[ConsensusAnswerView, ...]
    my_answer: ConsensusAnswerView | None


def consensus_view(assignment: Assignment) -> ConsensusView | None:
    """The consensus step as an evaluator of the application sees it (never others' names)."""
    if assignment.state != AssignmentState.SCORED:
        return None
    consensus = (
        Consensus.objects.filter(application_id=assignment.application_id)
        .prefetch_related("scores__criterion", "agreements")
        .first()
    )
    if consensus is None:
        return None
    criteria = call_criteria(assignment.application.call_id)
    scores = _score_views(criteria, list(consensus.scores.all()), text="comment")
    answers, mine = [], None
    for i, agreement in enumerate(sorted(consensus.agreements.all(), key=lambda a: a.pk), 1):
        view = ConsensusAnswerView(
            label=_("Evaluator %(n)d") % {"n": i},
            agreed=agreement.agreed,
            comment=agreement.comment,
        )
        answers.append(view)
        if agreement.evaluator_id == assignment.evaluator_id:
            mine = view
    return ConsensusView(
        id=consensus.pk,
        state=consensus.state,
        state_label=str(ConsensusState(consensus.state).label),
        is_rapporteur=consensus.rapporteur_id == assignment.evaluator_id,
        comment=consensus.comment,
        scores=scores,
        answers=tuple(answers),
        my_answer=mine,
    )
