"""Applicant pages for organisations, members, invitations and SME declarations (thin views)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts import selectors, services
from accounts.forms import (
    ApiTokenForm,
    InvitationForm,
    OrganisationForm,
    RelatedEnterpriseFormSet,
    RoleForm,
    SMEDeclarationForm,
)
from accounts.models import ApiToken, Invitation, Membership, Organisation, SMEDeclaration
from minegap.core.mfa import session_passed_mfa

PAGE_SIZE = 20


def _organisation_for(request: HttpRequest, pk: int, *, admin: bool = False) -> Organisation:
    organisation = get_object_or_404(Organisation, pk=pk)
    permission = "accounts.change_organisation" if admin else "accounts.view_organisation"
    if not request.user.has_perm(permission, organisation):
        raise PermissionDenied(_("You are not allowed to see this organisation."))
    return organisation


def _flash_error(request: HttpRequest, exc: ValidationError | PermissionDenied) -> None:
    for message in getattr(exc, "messages", None) or [str(exc)]:
        messages.error(request, message)


@login_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    """My organisations, my pending invitations, and "create or join" when I have none."""
    page = Paginator(selectors.memberships_for_user(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "accounts/organisation_list.html",
        {"page": page, "invitations": list(selectors.pending_invitations_for(request.user))},
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_create(request: HttpRequest) -> HttpResponse:
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(user=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("%(org)s is registered. Next: its SME declaration.") % {"org": organisation},
            )
            return redirect("accounts:sme-declaration-create", pk=organisation.pk)
    return render(request, "accounts/organisation_form.html", {"form": form, "creating": True})


@login_required
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation_for(request, pk)
    is_admin = request.user.has_perm("accounts.change_organisation", organisation)
    return render(
        request,
        "accounts/organisation_detail.html",
        {
            "organisation": organisation,
            "is_admin": is_admin,
            "members": selectors.members_of(organisation),
            "invitations": selectors.invitations_of(organisation) if is_admin else [],
            "declaration": selectors.current_declaration(organisation),
            "invitation_form": InvitationForm(),
            "role_choices": Membership.Role.choices,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation_for(request, pk, admin=True)
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(
                organisation=organisation, user=request.user, data=form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Organisation details saved."))
            return redirect("accounts:organisation-detail", pk=organisation.pk)
    organisation.refresh_from_db()
    return render(
        request,
        "accounts/organisation_form.html",
        {"form": form, "organisation": organisation, "creating": False},
    )


@login_required
@require_http_methods(["GET", "POST"])
def invitation_create(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation_for(request, pk, admin=True)
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_send(
                organisation=organisation,
                inviter=request.user,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("Invitation sent to %(email)s.") % {"email": invitation.email}
            )
            return redirect("accounts:organisation-detail", pk=organisation.pk)
    return render(
        request, "accounts/invitation_form.html", {"form": form, "organisation": organisation}
    )


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, pk: int, invitation_pk: int) -> HttpResponse:
    organisation = _organisation_for(request, pk, admin=True)
    invitation = get_object_or_404(Invitation, pk=invitation_pk, organisation=organisation)
    try:
        services.invitation_revoke(invitation=invitation, actor=request.user)
    except ValidationError as exc:
        _flash_error(request, exc)
    else:
        messages.success(request, _("Invitation revoked."))
    return redirect("accounts:organisation-detail", pk=organisation.pk)


@login_required
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = (
        Invitation.objects.select_related("organisation", "invited_by").filter(token=token).first()
    )
    if request.method == "POST":
        try:
            membership = services.invitation_accept(token=token, user=request.user)
        except (ValidationError, PermissionDenied) as exc:
            _flash_error(request, exc)
        else:
            messages.success(request, _("You joined %(org)s.") % {"org": membership.organisation})
            return redirect("accounts:organisation-detail", pk=membership.organisation_id)
    status = 404 if invitation is None else 200
    return render(
        request,
        "accounts/invitation_accept.html",
        {
            "invitation": invitation,
            "email_matches": invitation is not None
            and services.user_has_email(request.user, invitation.email),
        },
        status=status,
    )


@login_required
@require_POST
def membership_role(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    organisation = _organisation_for(request, pk, admin=True)
    membership = get_object_or_404(Membership, pk=membership_pk, organisation=organisation)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose administrator or member."))
        return redirect("accounts:organisation-detail", pk=organisation.pk)
    try:
        services.membership_change_role(
            membership=membership, role=form.cleaned_data["role"], actor=request.user
        )
    except ValidationError as exc:
        _flash_error(request, exc)
    else:
        messages.success(request, _("Role of %(name)s updated.") % {"name": membership.user})
    return redirect("accounts:organisation-detail", pk=organisation.pk)


@login_required
@require_http_methods(["GET", "POST"])
def membership_remove(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    organisation = _organisation_for(request, pk)
    membership = get_object_or_404(
        Membership.objects.select_related("user"), pk=membership_pk, organisation=organisation
    )
    leaving = membership.user_id == request.user.pk
    if not leaving and not request.user.has_perm("accounts.change_organisation", organisation):
        raise PermissionDenied(_("Only the organisation's administrators can remove members."))
    if request.method == "POST":
        try:
            services.membership_remove(membership=membership, actor=request.user)
        except ValidationError as exc:
            _flash_error(request, exc)
            return redirect("accounts:organisation-detail", pk=organisation.pk)
        if leaving:
            messages.success(request, _("You left %(org)s.") % {"org": organisation})
            return redirect("accounts:organisations")
        messages.success(request, _("%(name)s was removed.") % {"name": membership.user})
        return redirect("accounts:organisation-detail", pk=organisation.pk)
    return render(
        request,
        "accounts/membership_confirm_remove.html",
        {"organisation": organisation, "membership": membership, "leaving": leaving},
    )


@login_required
def sme_declaration_list(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation_for(request, pk)
    history = selectors.declaration_history(organisation)
    page = Paginator(history, PAGE_SIZE).get_page(request.GET.get("page"))
    current = selectors.current_declaration(organisation)
    return render(
        request,
        "accounts/sme_declaration_list.html",
        {
            "organisation": organisation,
            "page": page,
            "declaration": current,
            "result": current.classification() if current else None,
            "is_admin": request.user.has_perm("accounts.change_organisation", organisation),
        },
    )


@login_required
def sme_declaration_detail(request: HttpRequest, pk: int, version: int) -> HttpResponse:
    organisation = _organisation_for(request, pk)
    declaration = get_object_or_404(
        SMEDeclaration.objects.select_related("signed_by").prefetch_related("enterprises"),
        organisation=organisation,
        version=version,
    )
    return render(
        request,
        "accounts/sme_declaration_detail.html",
        {
            "organisation": organisation,
            "declaration": declaration,
            "result": declaration.classification(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def sme_declaration_create(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation_for(request, pk, admin=True)
    data = request.POST if request.method == "POST" else None
    form_initial, rows_initial = _initial_from(selectors.current_declaration(organisation))
    form = SMEDeclarationForm(data, initial=form_initial)
    formset = RelatedEnterpriseFormSet(data, prefix="enterprises", initial=rows_initial)
    if data is not None and form.is_valid() and formset.is_valid():
        rows = [row for row in formset.cleaned_data if row]
        fields = {k: v for k, v in form.cleaned_data.items() if k != "confirm"}
        try:
            declaration = services.sme_declaration_sign(
                organisation=organisation, user=request.user, data=fields, enterprises=rows
            )
        except ValidationError as exc:
            _attach_row_errors(formset, getattr(exc, "row_errors", []))
            if hasattr(exc, "error_dict"):
                exc.error_dict.pop("enterprises", None)
                if exc.error_dict:
                    form.add_error(None, exc)
            else:
                form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Declaration signed: %(org)s is classified as %(category)s.")
                % {"org": organisation, "category": declaration.get_category_display()},
            )
            return redirect("accounts:sme-declarations", pk=organisation.pk)
    return render(
        request,
        "accounts/sme_declaration_form.html",
        {"organisation": organisation, "form": form, "formset": formset},
    )


DECLARATION_FIELDS = (
    "staff_headcount",
    "annual_turnover",
    "balance_sheet_total",
    "enterprise_category",
    "public_body_holding",
)
ROW_FIELDS = (
    "relation",
    "name",
    "holding_percent",
    "staff_headcount",
    "annual_turnover",
    "balance_sheet_total",
)


def _initial_from(declaration: SMEDeclaration | None) -> tuple[dict, list[dict]]:
    """A new version starts from the current one's figures (the reference year is the form's)."""
    if declaration is None:
        return {}, []
    fields = {name: getattr(declaration, name) for name in DECLARATION_FIELDS}
    rows = [
        {name: getattr(row, name) for name in ROW_FIELDS} for row in declaration.enterprises.all()
    ]
    return fields, rows


def _attach_row_errors(formset, row_errors: list[dict]) -> None:
    """Put the service's per-row errors next to the fields of the filled-in rows."""
    filled = [f for f in formset.forms if f.cleaned_data]
    for row_form, errors in zip(filled, row_errors, strict=False):
        for field, field_messages in errors.items():
            for message in field_messages:
                row_form.add_error(field if field in row_form.fields else None, message)


# API tokens --------------------------------------------------------------------------------------


@never_cache  # the answer to a creation carries the secret: no cache may keep it
@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request: HttpRequest) -> HttpResponse:
    """The person's API tokens and the form to create one; a new secret is shown here once."""
    session_mfa = session_passed_mfa(request)
    refusal = services.api_token_create_refusal(request.user, session_mfa=session_mfa)
    form = ApiTokenForm(request.POST or None)
    created = secret = None
    if request.method == "POST" and refusal is None and form.is_valid():
        try:
            created, secret = services.api_token_create(
                user=request.user,
                name=form.cleaned_data["name"],
                lifetime_days=form.cleaned_data["lifetime_days"],
                session_mfa=session_mfa,
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, exc)
        else:
            form = ApiTokenForm()
    page = Paginator(selectors.api_tokens_of(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "accounts/api_tokens.html",
        {
            "form": form,
            "refusal": refusal,
            "page": page,
            "created": created,
            "secret": secret,
            "now": timezone.now(),
        },
        status=403 if request.method == "POST" and refusal else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, then revoke one of the person's own tokens (someone else's is not found)."""
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    if request.method == "POST":
        try:
            services.api_token_revoke(token=token, actor=request.user)
        except (ValidationError, PermissionDenied) as exc:
            _flash_error(request, exc)
        else:
            messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
        return redirect("accounts:api-tokens")
    return render(request, "accounts/api_token_confirm_revoke.html", {"token": token})
