"""Beneficiary pages (/apply/vouchers/...): their vouchers, shares, plan, what is due from them,
what was paid and when. Never another organisation's voucher: 404, not a hint it exists."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from calls.downloads import file_download
from vouchers import selectors, services
from vouchers.forms import DeliverableUploadForm, RefuseForm, SignForm
from vouchers.models import (
    BeneficiaryShare,
    Deliverable,
    DeliverableState,
    DeliverableVersion,
    SupportService,
    Voucher,
)
from vouchers.next_steps import voucher_next_step
from vouchers.views.common import paginate


def _my_voucher(request: HttpRequest, pk: int, permission: str = "vouchers.view_voucher"):
    voucher = get_object_or_404(Voucher, pk=pk)
    if not request.user.has_perm(permission, voucher):
        raise Http404
    return selectors.voucher_detail(pk)


@login_required
def my_vouchers(request: HttpRequest) -> HttpResponse:
    vouchers = selectors.vouchers_for_user(request.user)
    return render(
        request, "vouchers/beneficiary/list.html", {"page_obj": paginate(request, vouchers)}
    )


def _detail_context(request, voucher, **extra) -> dict:
    memberships = list(request.user.memberships.all())  # one query for both sets
    shares = list(voucher.shares.all())
    mine = {m.organisation_id for m in memberships} & {s.organisation_id for s in shares}
    admin_of = {m.organisation_id for m in memberships if m.role == "admin"}
    to_sign = [
        s
        for s in shares
        if s.organisation_id in admin_of
        and not s.signed_at
        and not s.refused_at
        and voucher.state == "drafted"
    ]
    deliverables = list(voucher.deliverables.all())
    to_deliver = [
        d
        for d in deliverables
        if voucher.state == "active"
        and d.state in (DeliverableState.PENDING, DeliverableState.RETURNED)
    ]
    payments = [
        p
        for instalment in voucher.instalments.all()
        for p in instalment.payments.all()
        if p.beneficiary.organisation_id in mine
    ]
    next_step, _urgent = voucher_next_step(
        voucher, admin_of, {m.organisation_id for m in memberships}
    )
    context = {
        "voucher": voucher,
        "next_step": next_step,
        "shares": shares,
        "mine": mine,
        "instalments": list(voucher.instalments.all()),
        "deliverables": deliverables,
        "to_sign": to_sign,
        "to_deliver": to_deliver,
        "payments": payments,
        "upload_form": DeliverableUploadForm(),
        "support_services": list(
            SupportService.objects.filter(voucher=voucher, organisation_id__in=mine)
            .select_related("organisation")
            .order_by("date", "pk")
        ),
    }
    context.update(extra)
    return context


@login_required
def my_voucher(request: HttpRequest, pk: int) -> HttpResponse:
    voucher = _my_voucher(request, pk)
    return render(request, "vouchers/beneficiary/detail.html", _detail_context(request, voucher))


def _share_action(request, pk, share_pk, form_class, template, do):
    voucher = _my_voucher(request, pk)
    share = get_object_or_404(
        BeneficiaryShare.objects.select_related("organisation"), pk=share_pk, voucher=voucher
    )
    if not request.user.has_perm("vouchers.sign_share", share):
        raise PermissionDenied(
            _("Only an administrator of %(org)s can do this.") % {"org": share.organisation}
        )
    form = form_class(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                message = do(share, form.cleaned_data)
            except ValidationError as error:
                for text in error.messages:
                    form.add_error(None, text)
            else:
                messages.success(request, message)
                return redirect("vouchers:my-voucher", pk=voucher.pk)
        status = 400
    return render(
        request, template, {"voucher": voucher, "share": share, "form": form}, status=status
    )


@login_required
def sign(request: HttpRequest, pk: int, share_pk: int) -> HttpResponse:
    def do(share, data):
        services.sign_share(share=share, actor=request.user, password=data["password"])
        return _("You signed the agreement.")

    return _share_action(request, pk, share_pk, SignForm, "vouchers/beneficiary/sign.html", do)


@login_required
def refuse(request: HttpRequest, pk: int, share_pk: int) -> HttpResponse:
    def do(share, data):
        services.refuse_share(
            share=share, actor=request.user, password=data["password"], reason=data["reason"]
        )
        return _("You refused the voucher. The consortium staff are informed.")

    return _share_action(request, pk, share_pk, RefuseForm, "vouchers/beneficiary/refuse.html", do)


@login_required
@require_POST
def upload_deliverable(request: HttpRequest, pk: int, deliverable_pk: int) -> HttpResponse:
    voucher = _my_voucher(request, pk, "vouchers.upload_deliverable")
    deliverable = get_object_or_404(Deliverable, pk=deliverable_pk, voucher=voucher)
    form = DeliverableUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.submit_deliverable(
                deliverable=deliverable, upload=form.cleaned_data["file"], actor=request.user
            )
        except ValidationError as error:
            for text in error.messages:
                form.add_error("file", text)
        else:
            messages.success(request, _("Deliverable uploaded: the staff will review it."))
            return redirect("vouchers:my-voucher", pk=voucher.pk)
    context = _detail_context(request, voucher, upload_form=form, upload_error_for=deliverable.pk)
    return render(request, "vouchers/beneficiary/detail.html", context, status=400)


def serve_version(version: DeliverableVersion) -> FileResponse:
    return file_download(version.file, name=version.original_name, kind=version.kind)


@login_required
def deliverable_file(request: HttpRequest, pk: int, version_pk: int) -> FileResponse:
    voucher = _my_voucher(request, pk)
    version = get_object_or_404(DeliverableVersion, pk=version_pk, deliverable__voucher=voucher)
    return serve_version(version)
