"""Reads of the mentoring app: the staff lists, the mentor's home, one project's mentoring
(log, reports, milestones) and the contacts mentor and consortium see of each other."""

from dataclasses import dataclass

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from accounts import roles
from accounts.models import Organisation, User
from accounts.selectors import organisation_admins, people_with_role
from calls import selectors as calls_selectors
from calls.models import Call
from evaluation.models import EvaluatorProfile
from mentoring.models import AssignmentState, Meeting, MentorAssignment, MilestoneReport
from vouchers.models import Instalment, InstalmentTrigger, Milestone, Voucher, VoucherState

MENTORED = (VoucherState.DRAFTED, VoucherState.SIGNED, VoucherState.ACTIVE)


def _count_per_voucher(model) -> Coalesce:
    rows = (
        model.objects.filter(assignment__voucher=OuterRef("pk"))
        .order_by()
        .values("assignment__voucher")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows[:1]), 0, output_field=IntegerField())


def calls_with_vouchers() -> QuerySet[Call]:
    """Calls that funded projects, with how many live projects they have (`funded`) and how
    many of those are mentored (`mentored`: a mentor declared no conflict)."""
    live = Q(vouchers__state__in=MENTORED)
    mentored = live & Q(vouchers__mentor_assignments__state=AssignmentState.ACCEPTED)
    return (
        Call.objects.filter(vouchers__isnull=False)
        .annotate(
            funded=Count("vouchers", filter=live, distinct=True),
            mentored=Count("vouchers", filter=mentored, distinct=True),
        )
        .order_by("-pk")
    )


def _open_assignments(to_attr: str = "current") -> Prefetch:
    return Prefetch(
        "mentor_assignments",
        queryset=MentorAssignment.objects.filter(state__in=AssignmentState.open()).select_related(
            "mentor"
        ),
        to_attr=to_attr,
    )


def call_projects(call: Call) -> QuerySet[Voucher]:
    """The call's vouchers with their open mentor assignment (`current`: a list of at most
    one), meetings and reports counted: the same number of queries however many rows."""
    return (
        Voucher.objects.filter(call=call)
        .annotate(**calls_selectors.submitted_name_fields("application"))
        .annotate(
            meeting_count=_count_per_voucher(Meeting),
            report_count=_count_per_voucher(MilestoneReport),
        )
        .prefetch_related(_open_assignments())
        .order_by("agreement_number")
    )


def mentor_candidates() -> QuerySet[User]:
    """Who can be asked to mentor: active staff, and evaluator-pool experts who accepted the
    pool's declaration (the service checks each one's conflicts with the project)."""
    declared = EvaluatorProfile.objects.filter(
        user=OuterRef("pk"), declaration_accepted_at__isnull=False
    )
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(pk__in=people_with_role(roles.STAFF).values("pk"))
            | (Q(groups__name=roles.EVALUATOR) & Exists(declared))
        )
        .distinct()
        .order_by("full_name", "email")
    )


def project(voucher_pk: int) -> Voucher:
    """One voucher with what its mentoring pages show: beneficiaries, milestones (each with its
    reports and whether an instalment waits for the mentor's report), every assignment, every
    meeting (newest first)."""
    waiting = Instalment.objects.filter(
        milestone=OuterRef("pk"), trigger=InstalmentTrigger.MENTOR_REPORT
    )
    return (
        Voucher.objects.annotate(**calls_selectors.submitted_name_fields("application"))
        .select_related("call", "application")
        .prefetch_related(
            Prefetch(
                "shares__organisation",
                queryset=Organisation.objects.order_by("pk"),
            ),
            Prefetch(
                "milestones",
                queryset=Milestone.objects.annotate(
                    triggers_instalment=Exists(waiting),
                    # Set when the mentor's approved report made the instalment due.
                    instalment_due_at=Subquery(waiting.order_by("sequence").values("due_at")[:1]),
                )
                .prefetch_related(
                    Prefetch(
                        "mentor_reports",
                        queryset=MilestoneReport.objects.select_related("assignment__mentor"),
                    )
                )
                .order_by("sequence"),
            ),
            Prefetch(
                "mentor_assignments",
                queryset=MentorAssignment.objects.select_related("mentor", "assigned_by"),
                to_attr="all_assignments",
            ),
            _open_assignments(),
        )
        .get(pk=voucher_pk)
    )


def meetings_of(voucher: Voucher) -> QuerySet[Meeting]:
    return (
        Meeting.objects.filter(assignment__voucher=voucher)
        .select_related("assignment__mentor")
        .order_by("-held_on", "-pk")
    )


@dataclass(frozen=True)
class Contact:
    organisation: str
    name: str
    email: str


def consortium_contacts(voucher: Voucher) -> list[Contact]:
    """The administrators of each beneficiary: whom the mentor contacts."""
    organisations = [share.organisation for share in voucher.shares.all()]
    admins = organisation_admins(organisations).prefetch_related("memberships")
    by_org: dict[int, list[User]] = {}
    for user in admins:
        for membership in user.memberships.all():
            if membership.role == "admin":
                by_org.setdefault(membership.organisation_id, []).append(user)
    return [
        Contact(organisation.legal_name, user.full_name, user.email)
        for organisation in organisations
        for user in by_org.get(organisation.pk, [])
    ]


def mentor_home(user: User) -> list[MentorAssignment]:
    """The person's open assignments (asked, or mentoring), each with its project's name and
    next milestone still without an approved report (`next_milestone`, or None)."""
    assignments = list(
        MentorAssignment.objects.filter(mentor=user, state__in=AssignmentState.open())
        .select_related("voucher__call")
        .annotate(**calls_selectors.submitted_name_fields("voucher__application"))
        .order_by("voucher__agreement_number")
    )
    approved = MilestoneReport.objects.filter(milestone=OuterRef("pk"), approved=True)
    pending = (
        Milestone.objects.filter(voucher_id__in=[a.voucher_id for a in assignments])
        .exclude(Exists(approved))
        .order_by("voucher_id", "due_date", "sequence")
    )
    first: dict[int, Milestone] = {}
    for milestone in pending:
        first.setdefault(milestone.voucher_id, milestone)
    for assignment in assignments:
        assignment.next_milestone = first.get(assignment.voucher_id)
    return assignments
