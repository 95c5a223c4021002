"""The applicant's wizard (/apply/applications/<pk>/<step>/): each step saves and can be left."""

from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.models import Organisation
from calls import services
from calls.access import check_application_access
from calls.forms.apply import (
    AnswersForm,
    AttachmentActionForm,
    AttachmentForm,
    AutosaveForm,
    BudgetCheckForm,
    ConfirmForm,
    ConsortiumActionForm,
    FindOrganisationForm,
    InviteByEmailForm,
    MemberBudgetForm,
    MemberChoiceForm,
    OverviewForm,
    error_messages,
)
from calls.models import (
    Application,
    ApplicationState,
    ConsortiumMember,
    MemberStatus,
    Question,
)
from calls.selectors import latest_version
from calls.validation import (
    APPLICATION_STEPS,
    budget_problems,
    budget_room,
    submission_problems,
)

STEP_LABELS = {
    "overview": gettext_lazy("Overview"),
    "consortium": gettext_lazy("Consortium"),
    "budget": gettext_lazy("Budget"),
    "questions": gettext_lazy("Questions"),
    "attachments": gettext_lazy("Attachments"),
    "declarations": gettext_lazy("Declarations"),
    "review": gettext_lazy("Review and submit"),
}


def _posted(request: HttpRequest):
    """The POST data when the request is a POST (even an empty one), else None (unbound form)."""
    return request.POST if request.method == "POST" else None


def load_application(request: HttpRequest, pk: int) -> Application:
    application = get_object_or_404(
        Application.objects.select_related("call", "lead_organisation", "voucher_type"), pk=pk
    )
    check_application_access(request.user, application)
    return application


def is_editable(application: Application) -> bool:
    return application.state in ApplicationState.editable() and application.call.is_open


def _members(application: Application) -> list[ConsortiumMember]:
    return list(
        application.members.filter(status__in=[MemberStatus.INVITED, MemberStatus.CONFIRMED])
        .select_related("organisation")
        .order_by("-is_lead", "created_at", "pk")
    )


def _context(request: HttpRequest, application: Application, step: str, **extra) -> dict:
    can_edit = request.user.has_perm("calls.change_application", application) and is_editable(
        application
    )
    # Edits after the last submission: once the call closed, they are a draft that never counts.
    counted = latest_version(application) if application.has_unsubmitted_changes else None
    return {
        "counted_version": counted,
        "counted_at": counted.submitted_at.astimezone(application.call.tz) if counted else None,
        "application": application,
        "call": application.call,
        "step": step,
        "steps": [(key, STEP_LABELS[key]) for key in APPLICATION_STEPS],
        "can_edit": can_edit,
        "editable": is_editable(application),
        "closes_local": application.call.closes_at.astimezone(application.call.tz)
        if application.call.closes_at
        else None,
        "session_age": settings.SESSION_COOKIE_AGE,
        **extra,
    }


def _fail(request: HttpRequest, error: ValidationError | PermissionDenied) -> None:
    texts = error.messages if isinstance(error, ValidationError) else [str(error)]
    for text in texts:
        messages.error(request, text)


def _refuse(request: HttpRequest, form) -> None:
    """A posted form that does not read (an unknown action, an id the step does not offer):
    its errors as messages on the step, answered 400."""
    for text in error_messages(form):
        messages.error(request, text)


def imported_project(request: HttpRequest, application: Application) -> HttpResponse:
    """A project imported from a call run elsewhere: what was funded, read-only. It was never
    applied for here, so it has no wizard, no deadline, nothing to submit or withdraw."""
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"], _("An imported project cannot be changed here."))
    members = list(
        application.members.filter(status=MemberStatus.CONFIRMED)
        .select_related("organisation")
        .order_by("-is_lead", "pk")
    )
    return render(
        request,
        "calls/apply/imported.html",
        {
            "application": application,
            "call": application.call,
            "members": members,
            "total": sum((m.awarded_amount or Decimal("0") for m in members), Decimal("0.00")),
        },
    )


@login_required
def application_home(request: HttpRequest, pk: int) -> HttpResponse:
    application = load_application(request, pk)
    if application.call.imported_at is not None:
        return imported_project(request, application)
    return redirect("calls:apply-step", pk=application.pk, step="overview")


@login_required
def application_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    if step not in APPLICATION_STEPS:
        raise Http404
    application = load_application(request, pk)
    if application.call.imported_at is not None:
        return imported_project(request, application)
    handler = STEP_HANDLERS[step]
    return handler(request, application)


def _step_overview(request: HttpRequest, application: Application) -> HttpResponse:
    form = OverviewForm(_posted(request), application=application)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_overview(
                application=application, actor=request.user, **form.cleaned_data
            )
        except (ValidationError, PermissionDenied) as error:
            _fail(request, error)
        else:
            messages.success(request, _("Overview saved."))
            return redirect("calls:apply-step", pk=application.pk, step="consortium")
    return render(
        request,
        "calls/apply/step_overview.html",
        _context(request, application, "overview", form=form),
        status=400 if form.errors else 200,
    )


def _step_consortium(request: HttpRequest, application: Application) -> HttpResponse:
    find_form = FindOrganisationForm(request.GET if "q" in request.GET else None)
    email_form = InviteByEmailForm()
    if request.method == "POST":
        posted = ConsortiumActionForm(request.POST, application=application)
        if posted.is_valid():
            return _act_on_consortium(request, application, posted)
        _refuse(request, posted)
    results = []
    if find_form.is_bound and find_form.is_valid():
        query = find_form.cleaned_data["q"]
        in_consortium = [m.organisation_id for m in _members(application) if m.organisation_id]
        results = list(
            Organisation.objects.filter(
                Q(legal_name__icontains=query) | Q(vat_number__iexact=query)
            )
            .exclude(pk__in=in_consortium)
            .order_by("legal_name")[:20]
        )
    return render(
        request,
        "calls/apply/step_consortium.html",
        _context(
            request,
            application,
            "consortium",
            members=_members(application),
            find_form=find_form,
            email_form=email_form,
            results=results,
        ),
        status=400 if request.method == "POST" else 200,  # a valid POST redirected
    )


def _act_on_consortium(
    request: HttpRequest, application: Application, posted: ConsortiumActionForm
) -> HttpResponse:
    action = posted.cleaned_data["action"]
    try:
        if action == "invite":
            organisation = posted.cleaned_data["organisation"]
            services.invite_partner(
                application=application, organisation=organisation, invited_by=request.user
            )
            messages.success(request, _("%(name)s is invited.") % {"name": organisation})
        elif action == "invite_email":
            email_form = InviteByEmailForm(request.POST)
            if not email_form.is_valid():
                raise ValidationError(email_form.errors["email"])
            services.invite_by_email(
                application=application,
                email=email_form.cleaned_data["email"],
                invited_by=request.user,
            )
            messages.success(request, _("Invitation sent."))
        else:  # remove
            member = posted.cleaned_data["member"]
            services.withdraw_partner(member=member, actor=request.user)
            messages.success(request, _("%(name)s left the consortium.") % {"name": member})
    except (ValidationError, PermissionDenied) as error:
        _fail(request, error)
    return redirect("calls:apply-step", pk=application.pk, step="consortium")


def _step_budget(request: HttpRequest, application: Application) -> HttpResponse:
    members = _confirmed(application)
    lead_admin = request.user.has_perm("calls.change_application", application)
    forms = []
    room = budget_room(application, members)
    chosen = None
    if request.method == "POST":
        which = MemberChoiceForm(request.POST, members=members)
        if which.is_valid():
            chosen = which.chosen()
        else:
            _refuse(request, which)
    for member, share in zip(members, room.shares, strict=True):
        editable = lead_admin or request.user.has_perm("calls.change_member", member)
        bound = member is chosen
        form = MemberBudgetForm(
            request.POST if bound else None,
            prefix=f"m{member.pk}",
            initial={
                "role": member.role,
                "requested_amount": member.requested_amount,
                "budget_description": member.budget_description,
            },
        )
        form.fields["requested_amount"].widget.attrs.update(
            {
                "hx-get": reverse("calls:apply-budget-check", args=[application.pk]),
                "hx-trigger": "input changed delay:400ms",
                "hx-target": "#budget-problems",
                "hx-include": "closest form",
            }
        )
        if bound and form.is_valid():
            try:
                services.update_member_budget(
                    member=member, actor=request.user, **form.cleaned_data
                )
            except (ValidationError, PermissionDenied) as error:
                _fail(request, error)
            else:
                _report_saved_budget(request, application, member)
            return redirect("calls:apply-step", pk=application.pk, step="budget")
        forms.append((member, form, editable, share))
    problems = budget_problems(application, members)
    return render(
        request,
        "calls/apply/step_budget.html",
        _context(
            request,
            application,
            "budget",
            member_forms=forms,
            problems=problems,
            room=room,
            total=room.total,
        ),
        # A valid POST redirected: here the member or the budget form did not read.
        status=400 if request.method == "POST" else 200,
    )


def _confirmed(application: Application) -> list[ConsortiumMember]:
    return [m for m in _members(application) if m.status == MemberStatus.CONFIRMED]


def _report_saved_budget(
    request: HttpRequest, application: Application, member: ConsortiumMember
) -> None:
    """One message: saved, or kept as a draft that breaks a cap (never "saved" beside errors)."""
    if budget_problems(application, _confirmed(application)):
        messages.warning(
            request,
            _(
                "The budget of %(name)s is kept as a draft, but it is over a cap (below): the "
                "application cannot be submitted until every share and the total fit."
            )
            % {"name": member},
        )
    else:
        messages.success(request, _("Budget of %(name)s saved.") % {"name": member})


@login_required
def budget_check(request: HttpRequest, pk: int) -> HttpResponse:
    """Live check of the caps while a budget is typed (HTMX): nothing is saved."""
    application = load_application(request, pk)
    members = _confirmed(application)
    amounts = {}
    # The member whose amount is typed, and the amount as its budget form reads it (the
    # form's prefix names the member): an amount the save would refuse is not checked.
    check = BudgetCheckForm(request.GET)
    if check.is_valid():
        member_id = check.cleaned_data["member"]
        budget = MemberBudgetForm(request.GET, prefix=f"m{member_id}")
        budget.is_valid()
        if budget.cleaned_data.get("requested_amount") is not None:
            amounts[member_id] = budget.cleaned_data["requested_amount"]
    problems = budget_problems(application, members, amounts=amounts)
    room = budget_room(application, members, amounts=amounts)
    return render(
        request, "calls/apply/_budget_problems.html", {"problems": problems, "room": room}
    )


def _step_questions(request: HttpRequest, application: Application) -> HttpResponse:
    answers = {a.question_id: a for a in application.answers.all()}
    questions = list(application.call.questions.all())
    if request.method == "POST":  # the form's fallback without JavaScript: save every answer
        posted = AnswersForm(request.POST, questions=questions)
        if posted.is_valid():
            try:
                for question, text in posted.posted_answers():
                    services.save_answer(
                        application=application, question=question, text=text, actor=request.user
                    )
            except (ValidationError, PermissionDenied) as error:
                _fail(request, error)
            else:
                messages.success(request, _("Answers saved."))
            return redirect("calls:apply-step", pk=application.pk, step="questions")
        _refuse(request, posted)
    rows = [(question, answers.get(question.pk)) for question in questions]
    return render(
        request,
        "calls/apply/step_questions.html",
        _context(request, application, "questions", rows=rows),
        status=400 if request.method == "POST" else 200,  # a valid POST redirected
    )


@require_POST
def autosave_answer(request: HttpRequest, pk: int, question_id: int) -> HttpResponse:
    """HTMX autosave of one answer; answers 401 (not a login redirect) when the session is
    gone, so the page keeps the text and the browser's copy until the person signs in again.
    The service reads and checks everything in its one transaction; only a refusal looks
    further, to answer outsiders 404 and staff without the second factor with its step."""
    if not request.user.is_authenticated:
        return HttpResponse(_("Signed out: not saved. Sign in again in another tab."), status=401)
    typed = AutosaveForm(request.POST, question_id=question_id)
    if not typed.is_valid():
        return HttpResponse(" ".join(error_messages(typed)), status=400)
    try:
        answer = services.autosave_answer(
            application_id=pk,
            question_id=question_id,
            text=typed.typed(),
            actor=request.user,
        )
    except (Application.DoesNotExist, Question.DoesNotExist) as error:
        raise Http404 from error
    except PermissionDenied as error:
        load_application(request, pk)  # 404 for outsiders, the second factor for staff
        return HttpResponse(str(error), status=403)
    except ValidationError as error:
        return HttpResponse(" ".join(error.messages), status=409)
    # Digits only, the same in every language: strftime, without the format lookup (rush).
    saved_at = f"{timezone.localtime(answer.updated_at):%H:%M:%S}"
    return HttpResponse(_("Saved at %(time)s") % {"time": saved_at})


def _step_attachments(request: HttpRequest, application: Application) -> HttpResponse:
    requirements = list(application.call.attachment_requirements.all())
    current = {a.requirement_id: a for a in application.attachments.filter(removed_at__isnull=True)}
    if request.method == "POST":
        posted = AttachmentActionForm(request.POST, application=application)
        if posted.is_valid():
            return _act_on_attachment(request, application, posted)
        _refuse(request, posted)
    rows = [
        (requirement, current.get(requirement.pk), AttachmentForm(requirement=requirement))
        for requirement in requirements
    ]
    return render(
        request,
        "calls/apply/step_attachments.html",
        _context(request, application, "attachments", rows=rows),
        status=400 if request.method == "POST" else 200,  # a valid POST redirected
    )


def _act_on_attachment(
    request: HttpRequest, application: Application, posted: AttachmentActionForm
) -> HttpResponse:
    try:
        if posted.cleaned_data["action"] == "remove":
            attachment = posted.cleaned_data["attachment"]
            services.remove_attachment(attachment=attachment, actor=request.user)
            messages.success(request, _("File removed."))
        else:
            requirement = posted.cleaned_data["requirement"]
            form = AttachmentForm(request.POST, request.FILES, requirement=requirement)
            if not form.is_valid():
                raise ValidationError(form.errors["file"])
            services.add_attachment(
                application=application,
                requirement=requirement,
                upload=form.cleaned_data["file"],
                actor=request.user,
            )
            messages.success(request, _("File uploaded."))
    except (ValidationError, PermissionDenied) as error:
        _fail(request, error)
    return redirect("calls:apply-step", pk=application.pk, step="attachments")


def _step_declarations(request: HttpRequest, application: Application) -> HttpResponse:
    members = [m for m in _members(application) if m.status == MemberStatus.CONFIRMED]
    if request.method == "POST":
        which = MemberChoiceForm(request.POST, members=members)
        if which.is_valid():
            try:
                services.sign_declaration(member=which.chosen(), actor=request.user)
            except (ValidationError, PermissionDenied) as error:
                _fail(request, error)
            else:
                messages.success(request, _("Declaration of honour signed."))
            return redirect("calls:apply-step", pk=application.pk, step="declarations")
        _refuse(request, which)
    rows = [(m, request.user.has_perm("calls.change_member", m)) for m in members]
    return render(
        request,
        "calls/apply/step_declarations.html",
        _context(request, application, "declarations", rows=rows),
        status=400 if request.method == "POST" else 200,  # a valid POST redirected
    )


def _step_review(request: HttpRequest, application: Application) -> HttpResponse:
    problems = submission_problems(application, timezone.now())
    return render(
        request,
        "calls/apply/step_review.html",
        _context(
            request,
            application,
            "review",
            problems=problems,
            members=_members(application),
            versions=application.versions.order_by("-number"),
            withdraw_form=ConfirmForm(),
        ),
    )


STEP_HANDLERS = {
    "overview": _step_overview,
    "consortium": _step_consortium,
    "budget": _step_budget,
    "questions": _step_questions,
    "attachments": _step_attachments,
    "declarations": _step_declarations,
    "review": _step_review,
}
