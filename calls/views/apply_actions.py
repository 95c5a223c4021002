"""Applicant pages around the wizard: dashboard, start, submit, withdraw, invitations."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Organisation
from calls import selectors, services
from calls.forms.apply import (
    ClaimInvitationForm,
    ConfirmForm,
    ConfirmParticipationForm,
    InvitationActionForm,
    StartForm,
    error_messages,
)
from calls.models import Call, CallState, ConsortiumMember, MemberStatus
from calls.next_steps import next_steps
from calls.views.apply import _context, _fail, _posted, load_application


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    applications = list(selectors.applications_for_user(request.user))
    steps = next_steps(applications, now, request.user)
    for application in applications:
        application.next_step = steps[application.pk]
    open_calls = [c for c in selectors.published_calls() if c.effective_state == CallState.OPEN]
    return render(
        request,
        "calls/apply/dashboard.html",
        {
            "applications": applications,
            "invitations": selectors.pending_invitations(request.user),
            "email_invitations": ConsortiumMember.objects.filter(
                status=MemberStatus.INVITED,
                organisation__isnull=True,
                invited_email__iexact=request.user.email,
            ).select_related("application__call", "application__lead_organisation"),
            "open_calls": open_calls,
            "now": now,
        },
    )


@login_required
def start(request: HttpRequest, slug: str) -> HttpResponse:
    call = get_object_or_404(Call, slug=slug)
    if not call.is_open:
        messages.error(request, _("This call is not open for applications."))
        return redirect("calls:public-detail", slug=call.slug)
    form = StartForm(_posted(request), user=request.user)
    if not form.fields["organisation"].queryset.exists():
        return render(request, "calls/apply/start.html", {"call": call, "no_organisation": True})
    if request.method == "POST" and form.is_valid():
        try:
            application = services.create_application(
                call=call, organisation=form.cleaned_data["organisation"], actor=request.user
            )
        except (ValidationError, PermissionDenied) as error:
            _fail(request, error)
        else:
            return redirect("calls:apply-step", pk=application.pk, step="overview")
    return render(request, "calls/apply/start.html", {"call": call, "form": form})


@login_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    application = load_application(request, pk)
    try:
        version = services.submit_application(application=application, actor=request.user)
    except (ValidationError, PermissionDenied) as error:
        _fail(request, error)
        return redirect("calls:apply-step", pk=application.pk, step="review")
    application.refresh_from_db()
    messages.success(
        request,
        _("Submitted: %(reference)s, version %(n)s. The receipt is on its way.")
        % {"reference": application.reference, "n": version.number},
    )
    return redirect("calls:apply-step", pk=application.pk, step="review")


@login_required
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    application = load_application(request, pk)
    if application.call.imported_at is not None:
        messages.error(
            request, _("A project imported from a call run elsewhere is not withdrawn here.")
        )
        return redirect("calls:apply-home", pk=application.pk)
    form = ConfirmForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw_application(application=application, actor=request.user)
        except (ValidationError, PermissionDenied) as error:
            _fail(request, error)
        else:
            messages.success(request, _("The application is withdrawn."))
        return redirect("calls:apply-step", pk=application.pk, step="review")
    return render(
        request,
        "calls/apply/withdraw.html",
        _context(request, application, "review", form=form),
        status=400 if form.errors else 200,
    )


@login_required
def invitation(request: HttpRequest, pk: int) -> HttpResponse:
    """A partner's admin answers an invitation: role, budget share, declaration; or declines.
    Someone invited by e-mail first names the organisation they registered."""
    member = get_object_or_404(
        ConsortiumMember.objects.select_related(
            "application__call", "application__lead_organisation", "organisation"
        ),
        pk=pk,
    )
    by_email = member.organisation_id is None
    if by_email:
        if request.user.email.lower() != member.invited_email.lower():
            raise Http404
    elif not request.user.has_perm("calls.change_member", member):
        raise Http404
    application = member.application
    form = ConfirmParticipationForm(_posted(request), member=member)
    organisations = Organisation.objects.filter(
        memberships__user=request.user, memberships__role="admin"
    ).order_by("legal_name")
    status = 200
    if request.method == "POST":
        posted = InvitationActionForm(request.POST, by_email=by_email)
        claim = ClaimInvitationForm(request.POST, organisations=organisations)
        action = posted.cleaned_data["action"] if posted.is_valid() else None
        if action == "claim" and not claim.is_valid():
            posted, action = claim, None
        if action is None:  # an unknown action, or an organisation the person may not join with
            for text in error_messages(posted):
                messages.error(request, text)
            status = 400
        try:
            if action == "claim":
                services.claim_invitation(
                    member=member,
                    organisation=claim.cleaned_data["organisation"],
                    actor=request.user,
                )
                return redirect("calls:invitation", pk=member.pk)
            if action == "decline":
                services.decline_invitation(member=member, actor=request.user)
                messages.success(request, _("Invitation declined."))
                return redirect("calls:apply-dashboard")
            if action == "confirm" and form.is_valid():
                data = form.cleaned_data
                member = services.confirm_participation(
                    member=member,
                    actor=request.user,
                    role=data["role"],
                    requested_amount=data["requested_amount"],
                    budget_description=data["budget_description"],
                )
                if data["declaration"]:
                    services.sign_declaration(member=member, actor=request.user)
                messages.success(request, _("You joined the consortium."))
                return redirect("calls:apply-step", pk=application.pk, step="overview")
        except (ValidationError, PermissionDenied) as error:
            _fail(request, error)
    return render(
        request,
        "calls/apply/invitation.html",
        {
            "member": member,
            "application": application,
            "form": form,
            "by_email": by_email,
            "organisations": organisations,
            "register_url": reverse("account_signup"),
        },
        status=400 if form.errors else status,
    )
