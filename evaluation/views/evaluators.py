"""The evaluator pool: staff invite; evaluators join, keep a profile, accept the declaration."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from evaluation.forms import DeclarationForm, EvaluatorProfileForm, InviteEvaluatorForm
from evaluation.models import EvaluatorInvitation, EvaluatorProfile
from evaluation.services import evaluators as services
from evaluation.views.common import PAGE_SIZE, StaffView


class EvaluatorAreaView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """Pages under /evaluate/: evaluators only, and nothing before the declaration."""

    permission_required = "evaluation.evaluate"
    needs_declaration = True

    def dispatch(self, request, *args, **kwargs):
        if (
            self.needs_declaration
            and request.user.is_authenticated
            and self.has_permission()
            and not request.user.has_perm("evaluation.evaluate_proposals")
        ):
            return redirect("evaluation:declaration")
        return super().dispatch(request, *args, **kwargs)


class PoolSearchForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Search"), required=False, max_length=100)

    def search(self) -> str:
        """The name or address searched for ("" when none, or too long to be one)."""
        return self.cleaned_data["q"] if self.is_valid() else ""


class EvaluatorPoolView(StaffView):
    def get_context(self, request, form):
        search = PoolSearchForm(request.GET).search()
        profiles = EvaluatorProfile.objects.select_related("user", "employer").annotate(
            expertise_count=Count("expertise"),
            load=Count(
                "user__assignments",
                filter=Q(user__assignments__state__in=["proposed", "accepted", "scored"]),
            ),
        )
        if search:
            profiles = profiles.filter(
                Q(user__full_name__icontains=search) | Q(user__email__icontains=search)
            )
        page = Paginator(profiles.order_by("user__full_name", "pk"), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        pending = EvaluatorInvitation.objects.filter(
            accepted_at__isnull=True, expires_at__gt=timezone.now()
        ).order_by("-created_at")[:50]
        return {"page": page, "pending": pending, "form": form, "search": search}

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(
            request,
            "evaluation/manage/evaluator_pool.html",
            self.get_context(request, InviteEvaluatorForm()),
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        form = InviteEvaluatorForm(request.POST)
        if form.is_valid():
            try:
                services.invite_evaluator(email=form.cleaned_data["email"], actor=request.user)
            except ValidationError as error:
                for message in error.messages:
                    form.add_error("email", message)
            else:
                messages.success(
                    request,
                    _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]},
                )
                return redirect("evaluation:evaluator-pool")
        return render(
            request, "evaluation/manage/evaluator_pool.html", self.get_context(request, form)
        )


@login_required
def join(request: HttpRequest, token: str) -> HttpResponse:
    invitation = EvaluatorInvitation.objects.filter(token=token).first()
    if request.method == "POST":
        try:
            services.accept_evaluator_invitation(token=token, user=request.user)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, _("Welcome to the evaluator pool."))
            return redirect("evaluation:profile")
    return render(request, "evaluation/evaluate/join.html", {"invitation": invitation})


class DeclarationView(EvaluatorAreaView):
    needs_declaration = False

    def get(self, request: HttpRequest) -> HttpResponse:
        profile = EvaluatorProfile.objects.filter(user=request.user).first()
        return render(
            request,
            "evaluation/evaluate/declaration.html",
            {"form": DeclarationForm(), "profile": profile},
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        form = DeclarationForm(request.POST)
        if form.is_valid():
            services.accept_declaration(user=request.user)
            messages.success(request, _("Declaration accepted."))
            return redirect("evaluation:evaluator-home")
        return render(request, "evaluation/evaluate/declaration.html", {"form": form})


class ProfileView(EvaluatorAreaView):
    needs_declaration = False

    def get(self, request: HttpRequest) -> HttpResponse:
        profile = EvaluatorProfile.objects.filter(user=request.user).first()
        form = EvaluatorProfileForm(profile=profile)
        return render(request, "evaluation/evaluate/profile.html", {"form": form})

    def post(self, request: HttpRequest) -> HttpResponse:
        profile = EvaluatorProfile.objects.filter(user=request.user).first()
        form = EvaluatorProfileForm(request.POST, profile=profile)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.update_evaluator_profile(
                    user=request.user,
                    country=data["country"],
                    employer=None,  # matched again from the name: a change of job counts
                    employer_name=data["employer_name"],
                    keywords=data["keywords"],
                    max_proposals=data["max_proposals"],
                    expertise=form.expertise(),
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, _("Profile saved."))
                return redirect("evaluation:profile")
        return render(request, "evaluation/evaluate/profile.html", {"form": form})
