"""Mentoring pages: staff (/manage/mentoring/...), the mentor (/mentoring/...) and the
consortium (/apply/vouchers/<pk>/mentoring/). Views are thin: a form, one service call.

Outsiders get 404 on a project's mentoring pages (they do not learn it exists); the mentor
themselves, refused for want of the second factor, are sent to pass it (PermissionDenied)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_POST

from calls.models import Call
from mentoring import selectors, services
from mentoring.forms import AssignForm, DeclareForm, EndForm, MeetingForm, ReportForm
from mentoring.models import MentorAssignment
from vouchers.models import Milestone, Voucher

PAGE_SIZE = 50


def _errors_into(form, error: ValidationError) -> None:
    for text in error.messages:
        form.add_error(None, text)


# Staff ------------------------------------------------------------------------------------


class StaffView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """Under /manage/, where the middleware already requires the second factor."""

    permission_required = "mentoring.manage_mentoring"


class ManageHomeView(StaffView):
    def get(self, request: HttpRequest) -> HttpResponse:
        page = Paginator(selectors.calls_with_vouchers(), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        return render(request, "mentoring/manage/home.html", {"page_obj": page})


class ManageCallView(StaffView):
    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        call = get_object_or_404(Call, slug=slug)
        page = Paginator(selectors.call_projects(call), PAGE_SIZE).get_page(request.GET.get("page"))
        return render(request, "mentoring/manage/call.html", {"call": call, "page_obj": page})


def _manage_context(request, voucher_pk: int, **forms) -> dict:
    voucher = selectors.project(voucher_pk)
    current = voucher.current[0] if voucher.current else None
    return {
        "voucher": voucher,
        "current": current,
        "contacts": selectors.consortium_contacts(voucher),
        "meetings": selectors.meetings_of(voucher),
        "assign_form": forms.get("assign_form")
        or AssignForm(candidates=selectors.mentor_candidates()),
        "end_form": forms.get("end_form") or EndForm(),
        "mentored": voucher.state in services.MENTORED_STATES,
    }


class ManageVoucherView(StaffView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        get_object_or_404(Voucher, pk=pk)
        return render(request, "mentoring/manage/voucher.html", _manage_context(request, pk))


class ManageAssignView(StaffView):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        voucher = get_object_or_404(Voucher, pk=pk)
        form = AssignForm(request.POST, candidates=selectors.mentor_candidates())
        if form.is_valid():
            try:
                services.assign_mentor(
                    voucher=voucher,
                    mentor=form.cleaned_data["mentor"],
                    actor=request.user,
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                _errors_into(form, error)
            else:
                messages.success(
                    request, _("Mentor asked: they declare any conflict of interest first.")
                )
                return redirect("mentoring:manage-voucher", pk=pk)
        context = _manage_context(request, pk, assign_form=form)
        return render(request, "mentoring/manage/voucher.html", context, status=400)


class ManageEndView(StaffView):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        voucher = get_object_or_404(Voucher, pk=pk)
        form = EndForm(request.POST)
        if form.is_valid():
            assignment = voucher.mentor_assignments.filter(
                state__in=["proposed", "accepted"]
            ).first()
            if assignment is None:
                form.add_error(None, _("This project has no mentor to end."))
            else:
                try:
                    services.end_mentoring(
                        assignment=assignment,
                        actor=request.user,
                        reason=form.cleaned_data["reason"],
                    )
                except ValidationError as error:
                    _errors_into(form, error)
                else:
                    messages.success(request, _("The mentoring has ended."))
                    return redirect("mentoring:manage-voucher", pk=pk)
        context = _manage_context(request, pk, end_form=form)
        return render(request, "mentoring/manage/voucher.html", context, status=400)


# The mentor -------------------------------------------------------------------------------


@login_required
def mentor_home(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("mentoring.view_mentor_home"):
        raise PermissionDenied(_("This page is for mentors."))
    return render(
        request,
        "mentoring/mentor/home.html",
        {"assignments": selectors.mentor_home(request.user)},
    )


def _assignment(request: HttpRequest, pk: int, permission: str) -> MentorAssignment:
    assignment = get_object_or_404(MentorAssignment.objects.select_related("voucher"), pk=pk)
    if not request.user.has_perm(permission, assignment):
        if assignment.mentor_id == request.user.pk and assignment.state in ("proposed", "accepted"):
            raise PermissionDenied  # their own: the second factor, or the other page
        raise Http404
    return assignment


@login_required
def declare(request: HttpRequest, pk: int) -> HttpResponse:
    if MentorAssignment.objects.filter(pk=pk, mentor_id=request.user.pk, state="accepted").exists():
        return redirect("mentoring:mentor-project", pk=pk)  # declared already: to the project
    assignment = _assignment(request, pk, "mentoring.declare")
    form = DeclareForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            conflict = form.cleaned_data["declaration"] == "conflict"
            try:
                services.declare_conflict(
                    assignment=assignment,
                    actor=request.user,
                    conflict=conflict,
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                _errors_into(form, error)
            else:
                if conflict:
                    messages.success(request, _("Thank you: the staff will ask someone else."))
                    return redirect("mentoring:mentor-home")
                messages.success(request, _("You now mentor this project."))
                return redirect("mentoring:mentor-project", pk=pk)
        status = 400
    voucher = selectors.project(assignment.voucher_id)
    return render(
        request,
        "mentoring/mentor/declare.html",
        {"assignment": assignment, "voucher": voucher, "form": form},
        status=status,
    )


def _project_context(assignment: MentorAssignment, **extra) -> dict:
    voucher = selectors.project(assignment.voucher_id)
    return {
        "assignment": assignment,
        "voucher": voucher,
        "contacts": selectors.consortium_contacts(voucher),
        "meetings": selectors.meetings_of(voucher),
        "meeting_form": extra.get("meeting_form") or MeetingForm(),
    }


@login_required
def mentor_project(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _assignment(request, pk, "mentoring.mentor_project")
    return render(request, "mentoring/mentor/project.html", _project_context(assignment))


@login_required
@require_POST
def record_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _assignment(request, pk, "mentoring.mentor_project")
    form = MeetingForm(request.POST)
    if form.is_valid():
        try:
            services.record_meeting(assignment=assignment, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _errors_into(form, error)
        else:
            messages.success(request, _("Meeting recorded. The consortium can read it."))
            return redirect("mentoring:mentor-project", pk=pk)
    return render(
        request,
        "mentoring/mentor/project.html",
        _project_context(assignment, meeting_form=form),
        status=400,
    )


@login_required
def milestone_report(request: HttpRequest, pk: int, milestone_pk: int) -> HttpResponse:
    assignment = _assignment(request, pk, "mentoring.mentor_project")
    milestone = get_object_or_404(Milestone, pk=milestone_pk, voucher_id=assignment.voucher_id)
    form = ReportForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.submit_milestone_report(
                    assignment=assignment,
                    actor=request.user,
                    milestone=milestone,
                    rating=form.cleaned_data["rating"],
                    report=form.cleaned_data["report"],
                    approve=form.cleaned_data["approve"],
                )
            except ValidationError as error:
                _errors_into(form, error)
            else:
                messages.success(request, _("Report submitted."))
                return redirect("mentoring:mentor-project", pk=pk)
        status = 400
    return render(
        request,
        "mentoring/mentor/report.html",
        {
            "assignment": assignment,
            "milestone": milestone,
            "reports": milestone.mentor_reports.order_by("-submitted_at", "-pk"),
            "approved": milestone.mentor_reports.filter(approved=True).exists(),
            "form": form,
        },
        status=status,
    )


# The consortium ---------------------------------------------------------------------------


@login_required
def my_mentoring(request: HttpRequest, pk: int) -> HttpResponse:
    voucher = get_object_or_404(Voucher, pk=pk)
    if not request.user.has_perm("mentoring.view_voucher_mentoring", voucher):
        raise Http404
    voucher = selectors.project(pk)
    current = voucher.current[0] if voucher.current else None
    return render(
        request,
        "mentoring/consortium/mentoring.html",
        {
            "voucher": voucher,
            # The mentor's contact only once they declared no conflict.
            "mentor": current.mentor if current and current.state == "accepted" else None,
            "meetings": selectors.meetings_of(voucher),
        },
    )
