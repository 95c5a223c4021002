"""Staff pages for running calls (/manage/calls/...). MFA is enforced by the middleware."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from calls import services
from calls.forms.call import (
    ITEM_FORMSETS,
    CallDocumentForm,
    CallForm,
    ExtendDeadlineForm,
    PublishForm,
)
from calls.models import ApplicationState, Call, CallDocument, CallState
from calls.preconditions import deadline_extension_refusal
from calls.validation import call_configuration_problems, short_window


def _errors_to_form(form, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


class StaffView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = "calls.manage_calls"

    def get_call(self, slug: str) -> Call:
        return get_object_or_404(Call, slug=slug)


class CallListView(StaffView):
    def get(self, request: HttpRequest) -> HttpResponse:
        calls = Call.objects.annotate(
            submitted=Count(
                "applications",
                filter=Q(applications__state__in=ApplicationState.submitted_states()),
            ),
            drafts=Count("applications", filter=Q(applications__state=ApplicationState.DRAFT)),
        ).order_by("-created_at")
        page = Paginator(calls, 25).get_page(request.GET.get("page"))
        return render(request, "calls/manage/call_list.html", {"page": page})


class CallCreateView(StaffView):
    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "calls/manage/call_form.html", {"form": CallForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = CallForm(request.POST)
        if form.is_valid():
            try:
                call = services.create_call(actor=request.user, data=form.service_data())
            except ValidationError as error:
                _errors_to_form(form, error)
            else:
                messages.success(request, _("Call created as a draft."))
                return redirect("calls:manage-detail", slug=call.slug)
        return render(request, "calls/manage/call_form.html", {"form": form}, status=400)


class CallEditView(StaffView):
    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        call = self.get_call(slug)
        return render(
            request, "calls/manage/call_form.html", {"form": CallForm(instance=call), "call": call}
        )

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        call = self.get_call(slug)
        form = CallForm(request.POST, instance=Call.objects.get(pk=call.pk))
        if form.is_valid():
            try:
                call = services.update_call(call=call, actor=request.user, data=form.service_data())
            except ValidationError as error:
                _errors_to_form(form, error)
            else:
                messages.success(request, _("Call saved."))
                return redirect("calls:manage-detail", slug=call.slug)
        return render(
            request, "calls/manage/call_form.html", {"form": form, "call": call}, status=400
        )


class CallDetailView(StaffView):
    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        call = self.get_call(slug)
        return render(request, "calls/manage/call_detail.html", self.context(call))

    @staticmethod
    def context(call: Call, **extra) -> dict:
        return {
            "call": call,
            "problems": call_configuration_problems(call) if call.state == CallState.DRAFT else [],
            "short_window": short_window(call),
            "publish_form": PublishForm(),
            "extend_form": ExtendDeadlineForm(call=call),
            "extend_refusal": deadline_extension_refusal(call, timezone.now()),
            "document_form": CallDocumentForm(),
            "item_pages": [(key, label) for key, (label, _formset) in ITEM_FORMSETS.items()],
            "voucher_types": call.voucher_types.all(),
            "criteria": call.criteria.all(),
            "questions": call.questions.select_related("criterion"),
            "requirements": call.attachment_requirements.all(),
            "documents": call.documents.all(),
            "configurable": call.state_at() in (CallState.DRAFT, CallState.PUBLISHED),
            **extra,
        }


class CallPublishView(StaffView):
    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        call = self.get_call(slug)
        form = PublishForm(request.POST)
        form.is_valid()
        try:
            services.publish_call(
                call=call,
                actor=request.user,
                acknowledge_short_window=form.cleaned_data.get("acknowledge_short_window", False),
            )
        except ValidationError as error:
            context = CallDetailView.context(call, publish_errors=error.messages)
            return render(request, "calls/manage/call_detail.html", context, status=400)
        messages.success(request, _("The call is published."))
        return redirect("calls:manage-detail", slug=call.slug)


class CallExtendView(StaffView):
    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        call = self.get_call(slug)
        form = ExtendDeadlineForm(request.POST, call=call)
        if form.is_valid():
            try:
                services.extend_deadline(
                    call=call, closes_at=form.cleaned_data["closes_at"], actor=request.user
                )
            except ValidationError as error:
                _errors_to_form(form, error)
            else:
                messages.success(request, _("Deadline extended; applicants are being notified."))
                return redirect("calls:manage-detail", slug=call.slug)
        context = CallDetailView.context(call, extend_form=form)
        return render(request, "calls/manage/call_detail.html", context, status=400)


class CallItemsView(StaffView):
    """One page per configurable list: voucher types, criteria, questions, attachments."""

    def formset(self, call: Call, kind: str, data=None):
        if kind not in ITEM_FORMSETS:
            raise Http404
        label, formset_class = ITEM_FORMSETS[kind]
        kwargs = {"form_kwargs": {"call": call}} if kind == "questions" else {}
        return label, formset_class(data, instance=call, prefix=kind, **kwargs)

    def render_page(self, request, call, kind, label, formset, status=200):
        return render(
            request,
            "calls/manage/call_items.html",
            {"call": call, "kind": kind, "label": label, "formset": formset},
            status=status,
        )

    def get(self, request: HttpRequest, slug: str, kind: str) -> HttpResponse:
        call = self.get_call(slug)
        label, formset = self.formset(call, kind)
        return self.render_page(request, call, kind, label, formset)

    def post(self, request: HttpRequest, slug: str, kind: str) -> HttpResponse:
        call = self.get_call(slug)
        label, formset = self.formset(call, kind, request.POST)
        if formset.is_valid():
            try:
                services.save_call_items(call=call, actor=request.user, formset=formset, what=kind)
            except ValidationError as error:
                formset._non_form_errors = formset.error_class(error.messages)
            else:
                messages.success(request, _("Saved."))
                return redirect("calls:manage-detail", slug=call.slug)
        return self.render_page(request, call, kind, label, formset, status=400)


class CallDocumentAddView(StaffView):
    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        call = self.get_call(slug)
        form = CallDocumentForm(request.POST, request.FILES)
        if form.is_valid():
            services.add_call_document(
                call=call,
                actor=request.user,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
                kind=form.kind,
            )
            messages.success(request, _("Document added."))
            return redirect("calls:manage-detail", slug=call.slug)
        context = CallDetailView.context(call, document_form=form)
        return render(request, "calls/manage/call_detail.html", context, status=400)


class CallDocumentRemoveView(StaffView):
    def post(self, request: HttpRequest, slug: str, document_id: int) -> HttpResponse:
        call = self.get_call(slug)
        document = get_object_or_404(CallDocument, pk=document_id, call=call)
        services.remove_call_document(document=document, actor=request.user)
        messages.success(request, _("Document removed."))
        return redirect("calls:manage-detail", slug=call.slug)
